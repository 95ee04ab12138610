"""Storing validated files: versions, replacement per kind, dedupe, undo, all-or-nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from ketendata import store
from ketendata.importers import (
    CHUNK_ROWS,
    check_cells,
    check_file,
    import_file,
    regions_to_create,
    undo_import,
)
from ketendata.intake.problems import ValidationError
from ketendata.store import queries
from tests.builders import csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[1]

AFSPRAKEN_HEADER = [
    "regio",
    "organisatie",
    "organisatietype",
    "partner",
    "partnertype",
    "afspraaktypes",
    "status",
    "kindspecifiek",
    "geevalueerd_op",
    "afspraak_id",
]
OVERDRACHTEN_HEADER = ["regio", "organisatie", "periode", "fase", "partnertype", "gezinnen", "warm"]
STAGNATIE_HEADER = ["regio", "respondent", "periode", "domein", "onderwerp", "ernst"]


def afspraak(org="Opvang Noord", partner="Veilig Thuis Noord", status="schriftelijk", **kw):
    row = {
        "regio": kw.get("regio", "Regio Noord"),
        "organisatie": org,
        "organisatietype": kw.get("organisatietype", "vrouwenopvang"),
        "partner": partner,
        "partnertype": kw.get("partnertype", "veilig_thuis"),
        "afspraaktypes": kw.get("afspraaktypes", "meldcode"),
        "status": status,
        "kindspecifiek": kw.get("kindspecifiek", "ja"),
        "geevalueerd_op": kw.get("geevalueerd_op", "01-03-2026"),
        "afspraak_id": kw.get("afspraak_id", ""),
    }
    return [row[c] for c in AFSPRAKEN_HEADER]


def afspraken_file(*rows) -> bytes:
    return csv_bytes([AFSPRAKEN_HEADER, *rows])


@pytest.fixture
def con(tmp_path):
    connection = store.open_database(tmp_path / "k.duckdb")
    yield connection
    connection.close()


def test_first_import_creates_region_versions_and_organisations(con):
    data = afspraken_file(
        afspraak(),
        afspraak(partner="Politie Noord", partnertype="politie", afspraaktypes="veiligheid"),
    )
    result = import_file(con, data, "noord.csv", new_region=True)
    assert result.import_id == 1
    assert (result.rows_read, result.rows_stored, result.versions_created) == (2, 2, 1)
    assert queries.list_regions(con) == ["Regio Noord"]
    agreements = queries.current_agreements(con, "regio noord")
    assert sorted(agreements["partner"]) == ["Politie Noord", "Veilig Thuis Noord"]
    assert agreements["evaluated_on"].tolist() == [date(2026, 3, 1)] * 2
    assert agreements["agreement_types"].iloc[0] in {("meldcode",), ("veiligheid",)}


def test_unknown_region_is_refused_with_the_closest_known_region(con):
    import_file(con, afspraken_file(afspraak()), "a.csv", new_region=True)
    before = store.dump_content(con)
    with pytest.raises(ValidationError) as caught:
        import_file(con, afspraken_file(afspraak(regio="Regio Nord")), "b.csv")
    message = str(caught.value)
    assert "rij 2" in message and "kolom 'regio'" in message
    assert "onbekende regio" in message and "Regio Noord" in message
    assert store.dump_content(con) == before


def test_bad_cells_and_an_unknown_region_are_refused_together_in_one_run(con):
    import_file(con, afspraken_file(afspraak()), "a.csv", new_region=True)
    before = store.dump_content(con)
    data = afspraken_file(
        afspraak(regio="Regio Nord", partnertype="Veilig Thuuis"),
        afspraak(regio="Regio Nord", partner="Politie Noord", status="misschien"),
        afspraak(regio="Regio Elders", partner="Gemeente Elders"),
    )
    with pytest.raises(ValidationError) as caught:
        import_file(con, data, "b.csv")
    found = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert found == [
        (2, "partnertype", "onbekend partnertype"),
        (2, "regio", "onbekende regio"),
        (3, "status", "onbekende status"),
        (4, "regio", "onbekende regio"),
    ]
    nord, elders = (p for p in caught.value.problems if p.column == "regio")
    assert nord.expected.startswith("bedoelt u 'Regio Noord'? Anders een bekende regio")
    assert elders.expected.startswith("een bekende regio ('Regio Noord'), of vink")
    assert "bedoelt u 'Veilig Thuis'?" in caught.value.problems[0].expected
    assert store.dump_content(con) == before


def test_a_period_form_conflict_with_the_database_and_a_bad_cell_in_one_run(con):
    import_file(
        con, csv_bytes([OVERDRACHTEN_HEADER, overdracht("2026-Q1", 2)]), "o.csv", new_region=True
    )
    before = store.dump_content(con)
    rows = [overdracht("2026-05", 2), overdracht("2026-06", 9), overdracht("2026-07", 1)]
    rows[1][OVERDRACHTEN_HEADER.index("gezinnen")] = "veel"
    with pytest.raises(ValidationError) as caught:
        import_file(con, csv_bytes([OVERDRACHTEN_HEADER, *rows]), "m.csv")
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [(2, "periode"), (3, "gezinnen"), (3, "periode"), (4, "periode")]
    period = caught.value.problems[0]
    assert "al gegevens per kwartaal" in period.message and "een maand" in period.message
    assert period.expected.startswith("een periode in de vorm JJJJ-Qn")
    assert store.dump_content(con) == before


def test_a_cell_with_a_problem_of_its_own_gets_no_second_one_from_the_database(con):
    import_file(
        con, csv_bytes([OVERDRACHTEN_HEADER, overdracht("2026-Q1", 2)]), "o.csv", new_region=True
    )
    rows = [overdracht("2026-Q2", 2), overdracht("2026", 2)]  # the year breaks both rules
    with pytest.raises(ValidationError) as caught:
        import_file(con, csv_bytes([OVERDRACHTEN_HEADER, *rows]), "j.csv")
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (3, "periode")
    assert "gebruikt in dit bestand al kwartalen" in problem.message


def test_the_one_pass_checks_without_writing_and_knows_the_regions_to_create(con):
    data = afspraken_file(afspraak(), afspraak(regio="regio  noord", partner="Politie"))
    checked = check_cells(data, "a.csv")
    assert checked.problems == ()
    assert regions_to_create(con, checked.table) == ["Regio Noord"]
    before = store.dump_content(con)
    with pytest.raises(ValidationError, match="onbekende regio"):
        check_file(con, data, "a.csv")
    assert check_file(con, data, "a.csv", new_region=True).rows_read == 2
    assert store.dump_content(con) == before
    import_file(con, data, "a.csv", new_region=True)
    assert regions_to_create(con, checked.table) == []


def test_import_and_undo_messages_count_in_correct_dutch(con):
    one = import_file(con, afspraken_file(afspraak()), "een.csv", new_region=True)
    assert "1 rij opgeslagen in 1 nieuwe versie." in one.message
    again = import_file(con, afspraken_file(afspraak()), "een.csv")
    assert "(1 rij gelezen)" in again.message
    data = afspraken_file(afspraak(), afspraak(org="Opvang Zuid"), afspraak(org="Opvang West"))
    three = import_file(con, data, "drie.csv")
    assert "2 rijen opgeslagen in 2 nieuwe versies; 1 versie ongewijzigd." in three.message
    assert "1 versie is niet meer actueel" in undo_import(con, one.import_id).message
    assert "2 versies zijn niet meer actueel" in undo_import(con, three.import_id).message
    for message in (one.message, again.message, three.message):
        assert "(s)" not in message and "(en)" not in message


def test_same_content_twice_stores_nothing_and_says_so(con):
    data = afspraken_file(afspraak())
    import_file(con, data, "a.csv", new_region=True)
    before = store.dump_content(con)
    again = import_file(con, data, "a-kopie.csv")
    assert again.unchanged and again.import_id is None
    assert "niets nieuws" in again.message
    assert store.dump_content(con) == before


def test_same_content_in_other_order_and_spelling_is_the_same_version(con):
    rows = [afspraak(), afspraak(partner="Politie Noord", partnertype="politie")]
    import_file(con, afspraken_file(*rows), "a.csv", new_region=True)
    reordered = [
        afspraak(org=" opvang  noord", partner="Politie Noord", partnertype="politie"),
        afspraak(org="OPVANG NOORD"),
    ]
    assert import_file(con, afspraken_file(*reordered), "b.csv").unchanged


def test_a_new_inventory_replaces_the_old_one_and_an_old_file_comes_back_as_new_version(con):
    old = afspraken_file(afspraak(status="mondeling"))
    new = afspraken_file(afspraak(status="schriftelijk"))
    import_file(con, old, "v1.csv", new_region=True)
    import_file(con, new, "v2.csv")
    assert queries.current_agreements(con, "Regio Noord")["status"].tolist() == ["schriftelijk"]
    third = import_file(con, old, "v1.csv")
    assert not third.unchanged and third.import_id == 3
    assert queries.current_agreements(con, "Regio Noord")["status"].tolist() == ["mondeling"]
    versions = con.execute("SELECT count(*) FROM versions").fetchall()[0][0]
    assert versions == 3  # nothing overwritten


def test_one_file_with_two_organisations_makes_a_version_each(con):
    data = afspraken_file(afspraak(org="Opvang Noord"), afspraak(org="Opvang Zuid"))
    result = import_file(con, data, "regio.csv", new_region=True)
    assert result.versions_created == 2
    # Later the one shelter uploads its own inventory: only its version changes.
    import_file(con, afspraken_file(afspraak(org="Opvang Zuid", status="mondeling")), "zuid.csv")
    current = queries.current_agreements(con, "Regio Noord")
    by_org = dict(zip(current["organisation"], current["status"], strict=True))
    assert by_org == {"Opvang Noord": "schriftelijk", "Opvang Zuid": "mondeling"}


def test_partner_in_two_spellings_is_one_organisation_with_the_first_spelling(con):
    data = afspraken_file(
        afspraak(org="Opvang Noord", partner="Veilig Thuis  Noord"),
        afspraak(org="Opvang Zuid", partner="veilig thuis noord"),
    )
    import_file(con, data, "a.csv", new_region=True)
    names = [n for (n,) in con.execute("SELECT name FROM organisations ORDER BY id").fetchall()]
    assert names.count("Veilig Thuis  Noord") == 1
    assert "veilig thuis noord" not in names
    partners = set(queries.current_agreements(con, "Regio Noord")["partner"])
    assert partners == {"Veilig Thuis  Noord"}


def overdracht(periode, warm, org="Opvang Noord", gezinnen=5):
    return ["Regio Noord", org, periode, "uitstroom", "wijkteam", gezinnen, warm]


def test_handovers_replace_only_the_period_reimported(con):
    data = csv_bytes([OVERDRACHTEN_HEADER, overdracht("2026-Q1", 2), overdracht("2026-Q2", 3)])
    import_file(con, data, "o.csv", new_region=True)
    import_file(con, csv_bytes([OVERDRACHTEN_HEADER, overdracht("2026-Q2", 5)]), "q2.csv")
    handovers = queries.current_handovers(con, "Regio Noord")
    assert dict(zip(handovers["period"], handovers["warm"], strict=True)) == {
        "2026-Q1": 2,
        "2026-Q2": 5,
    }


def test_a_region_keeps_one_period_granularity(con):
    import_file(
        con, csv_bytes([OVERDRACHTEN_HEADER, overdracht("2026-Q1", 2)]), "o.csv", new_region=True
    )
    before = store.dump_content(con)
    with pytest.raises(ValidationError) as caught:
        import_file(con, csv_bytes([OVERDRACHTEN_HEADER, overdracht("2026-05", 2)]), "m.csv")
    assert "kwartaal" in str(caught.value) and "rij 2" in str(caught.value)
    assert store.dump_content(con) == before


def test_stagnation_replaces_the_wave_of_that_respondent(con):
    rows = [
        ["Regio Noord", "Opvang Noord", "2026-Q1", "wonen", "woningaanbod", 4],
        ["Regio Noord", "Wijkteam Noord", "2026-Q1", "wonen", "woningaanbod", 2],
    ]
    import_file(con, csv_bytes([STAGNATIE_HEADER, *rows]), "s.csv", new_region=True)
    update = [["Regio Noord", "Opvang Noord", "2026-Q1", "wonen", "urgentie", 5]]
    import_file(con, csv_bytes([STAGNATIE_HEADER, *update]), "s2.csv")
    current = queries.current_stagnation(con, "Regio Noord")
    assert sorted(zip(current["respondent"], current["topic"], strict=True)) == [
        ("Opvang Noord", "urgentie"),
        ("Wijkteam Noord", "woningaanbod"),
    ]


def test_undo_makes_the_previous_version_current_and_deletes_nothing(con):
    import_file(con, afspraken_file(afspraak(status="mondeling")), "v1.csv", new_region=True)
    second = import_file(con, afspraken_file(afspraak(status="schriftelijk")), "v2.csv")
    rows_before = con.execute("SELECT count(*) FROM agreement_rows").fetchall()[0][0]
    result = undo_import(con, second.import_id)
    assert "ongedaan" in result.message
    assert queries.current_agreements(con, "Regio Noord")["status"].tolist() == ["mondeling"]
    assert con.execute("SELECT count(*) FROM agreement_rows").fetchall()[0][0] == rows_before
    log = queries.list_imports(con, "Regio Noord")
    assert log.set_index("id").loc[second.import_id, "undone"]
    with pytest.raises(LookupError, match="al ongedaan"):
        undo_import(con, second.import_id)
    with pytest.raises(LookupError, match="bestaat niet"):
        undo_import(con, 99)


def test_import_log_records_file_hash_counts_and_warnings(con):
    header = [*AFSPRAKEN_HEADER, "opmerking intern"]
    data = csv_bytes([header, afspraak() + ["iets"]])
    result = import_file(con, data, "met-extra.csv", new_region=True)
    assert result.warnings and "opmerking intern" in result.warnings[0]
    log = queries.list_imports(con)
    row = log.iloc[0]
    assert row["file_name"] == "met-extra.csv"
    assert len(row["sha256"]) == 64
    assert (row["rows_read"], row["rows_stored"]) == (1, 1)
    assert row["regions"] == "Regio Noord" and row["subjects"] == "Opvang Noord"
    assert row["warnings"] == list(result.warnings)


def test_xlsx_and_csv_of_the_same_content_are_the_same_version(con):
    rows = [AFSPRAKEN_HEADER, afspraak()]
    import_file(con, csv_bytes(rows), "a.csv", new_region=True)
    assert import_file(con, xlsx_bytes(rows, sheet="Afspraken"), "a.xlsx").unchanged


def big_inventory(n: int) -> bytes:
    rows = [afspraak(partner=f"Partner {i}", afspraak_id=f"A{i}") for i in range(n)]
    return afspraken_file(*rows)


def test_an_import_that_fails_halfway_leaves_the_database_as_it_was(con):
    import_file(con, afspraken_file(afspraak()), "a.csv", new_region=True)
    before = store.dump_content(con)
    calls = []

    def fail_after_first_chunk(done: int, total: int) -> None:
        calls.append(done)
        raise RuntimeError("geïnjecteerde fout")

    with pytest.raises(RuntimeError):
        import_file(
            con, big_inventory(CHUNK_ROWS + 10), "groot.csv", progress=fail_after_first_chunk
        )
    assert calls == [CHUNK_ROWS]  # rows had been written before the failure
    assert store.dump_content(con) == before
    # The connection is usable afterwards and the same file then imports whole.
    result = import_file(con, big_inventory(CHUNK_ROWS + 10), "groot.csv")
    assert result.rows_stored == CHUNK_ROWS + 10


def test_a_process_killed_halfway_an_import_leaves_the_file_as_it_was(tmp_path):
    db = tmp_path / "k.duckdb"
    con = store.open_database(db)
    import_file(con, afspraken_file(afspraak()), "a.csv", new_region=True)
    before = store.dump_content(con)
    con.close()
    source = tmp_path / "groot.csv"
    source.write_bytes(big_inventory(CHUNK_ROWS + 10))
    script = textwrap.dedent(
        f"""
        import os
        from ketendata import store
        from ketendata.importers import import_file
        con = store.open_database({str(db)!r})
        def die(done, total):
            os._exit(9)  # killed: no rollback, no close
        import_file(con, open({str(source)!r}, 'rb').read(), 'groot.csv', progress=die)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert run.returncode == 9
    con = store.open_database(db)
    assert store.dump_content(con) == before
    con.close()


def test_content_version_changes_with_imports_and_undos(con):
    start = queries.content_version(con)
    first = import_file(con, afspraken_file(afspraak()), "a.csv", new_region=True)
    after_import = queries.content_version(con)
    undo_import(con, first.import_id)
    assert len({start, after_import, queries.content_version(con)}) == 3
