"""Names are normalised once (issue 14, item 8): look-alikes made with invisible characters,
decomposed accents or other compatibility forms get the key of the real name; control and bidi
characters and names of mixed scripts are refused at upload; keys a previous release stored are
recomputed by a migration."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.codes import normalize_name
from ketendata import importers, store
from ketendata.intake.problems import ValidationError
from ketendata.samples.demo import build_demo_files
from ketendata.store.schema import KEPT_APART, dump_content
from tests.builders import csv_bytes, header_index, valid_rows, with_cell, xlsx_bytes
from tests.conftest import TODAY


def previous_release_key(name: str) -> str:
    """The name key the previous release made (``normalize_name`` before issue 14)."""
    return " ".join(str(name).split()).casefold()


# --- The key -----------------------------------------------------------------------------------

LOOK_ALIKES = [
    ("Vrouwenopvang Wolkendal", "Vrouwenopvang Wolk\u200bendal"),  # zero-width space
    ("Vrouwenopvang Wolkendal", "Vrouwenopvang\u200c Wolkendal\u200d"),  # zero-width (non-)joiner
    ("Vrouwenopvang Wolkendal", "Vrouwen\u00adopvang Wolkendal"),  # soft hyphen
    ("Vrouwenopvang Wolkendal", "\ufeffVrouwenopvang Wolkendal"),  # BOM
    ("Vrouwenopvang Wolkendal", "Vrouwenopvang \u2060Wolkendal"),  # word joiner
    ("Vrouwenopvang Wolkendal", "\u200eVrouwenopvang Wolkendal\u200f"),  # bidi marks
    ("Vrouwenopvang Wolkendal", "\u2066Vrouwenopvang Wolkendal\u2069"),  # bidi isolate
    ("Vrouwenopvang Wolkendal", "Vrouwenopvang\u00a0Wolkendal"),  # no-break space
    ("Vrouwenopvang Wolkendal", "Vrouwenopvang\u202fWolkendal"),  # narrow no-break space
    ("Vrouwenopvang Wolkendal", "Vrouwenopvang\u3000Wolkendal"),  # ideographic space
    ("Vrouwenopvang Wolkendal", "Ｖｒｏｕｗｅｎｏｐｖａｎｇ Ｗｏｌｋｅｎｄａｌ"),  # full-width
    ("Vrouwenopvang Wolkendal", "VROUWENOPVANG   wolkendal "),
    ("Stichting Eén", "Stichting Ee\u0301n"),  # decomposed accent
    ("Financiën Zuid", "Financie\u0308n\u200b Zuid"),  # decomposed accent and zero-width space
    ("Île de Zorg", "I\u0302le de Zorg"),
    ("Straße", "STRASSE"),  # case folding
]


@pytest.mark.parametrize(("real", "look_alike"), LOOK_ALIKES)
def test_a_look_alike_gets_the_key_of_the_real_name(real, look_alike):
    assert look_alike != real
    assert normalize_name(look_alike) == normalize_name(real)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Vrouwenopvang Wolkendal", "Vrouwenopvang Wolkendaal"),
        ("Stichting Eén", "Stichting Een"),  # an accent is part of the name
        ("Vrouwenopvang Wolkendal", "Vrouwenopvang Wоlkendal"),  # Cyrillic о: refused at upload
        ("Opvang Noord", "Opvang-Noord"),
    ],
)
def test_names_that_differ_to_the_eye_keep_different_keys(one, other):
    assert normalize_name(one) != normalize_name(other)


@given(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from("\t\r\n"))
)
def test_an_ascii_name_keeps_the_key_of_the_previous_release(name):
    assert normalize_name(name) == previous_release_key(name)


@given(st.text())
def test_the_key_is_its_own_key(name):
    key = normalize_name(name)
    assert normalize_name(key) == key
    assert "\u200b" not in key and "\u00ad" not in key and "\ufeff" not in key


def test_the_demo_names_keep_their_keys_so_the_stored_content_hashes_stay():
    """Every name in the demo files has the key the previous release gave it: loading the demo
    stores the same keys and the same content hashes as before."""
    import csv
    import io

    import openpyxl

    names: set[str] = set()
    name_columns = {"regio", "organisatie", "partner", "respondent"}
    for file_name, data in build_demo_files(TODAY):
        if file_name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
            rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
        header = [str(cell).strip().lower() for cell in rows[0]]
        for row in rows[1:]:
            names.update(
                str(cell) for name, cell in zip(header, row, strict=False) if name in name_columns
            )
    names.discard("")
    names.discard("None")
    assert len(names) > 50
    assert [n for n in names if normalize_name(n) != previous_release_key(n)] == []


# --- Importing look-alikes ---------------------------------------------------------------------


def agreement_file(region: str, organisation: str, partner: str, status: str) -> bytes:
    rows = valid_rows("afspraken")[:2]
    row = rows[1]
    row[header_index("afspraken", "regio")] = region
    row[header_index("afspraken", "organisatie")] = organisation
    row[header_index("afspraken", "partner")] = partner
    row[header_index("afspraken", "status")] = status
    return csv_bytes(rows)


def counts(con) -> dict[str, int]:
    return {
        table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        for table in ("regions", "organisations", "versions")
    }


@pytest.mark.parametrize("new_region", [False, True])
@pytest.mark.parametrize(
    ("region", "organisation", "partner"),
    [
        ("Regio Wolk\u200bendal", "Vrouwenopvang\u00ad Wolkendal", "Veilig Thuis\u200d Wolkendal"),
        ("Regio Wolke\u0301ndal", "Vrouwenopvang Wolke\u0301ndal", "Veilig Thuis Wolke\u0301ndal"),
    ],
)
def test_a_look_alike_file_adds_no_second_organisation_or_region(
    tmp_path: Path, region, organisation, partner, new_region
):
    accent = "\u0301" in region
    real = "Wolkéndal" if accent else "Wolkendal"
    con = store.open_database(tmp_path / "k.duckdb")
    try:
        first = agreement_file(
            f"Regio {real}", f"Vrouwenopvang {real}", f"Veilig Thuis {real}", "schriftelijk"
        )
        importers.import_file(con, first, "echt.csv", new_region=True)
        assert counts(con) == {"regions": 1, "organisations": 2, "versions": 1}
        look_alike = agreement_file(region, organisation, partner, "mondeling")
        assert importers.regions_to_create(con, importers.validate_file(look_alike, "x.csv")) == []
        importers.import_file(con, look_alike, "lijkt_erop.csv", new_region=new_region)
        # a new version of the same inventory, not a second organisation or region
        assert counts(con) == {"regions": 1, "organisations": 2, "versions": 2}
        assert con.execute("SELECT name FROM regions").fetchall() == [(f"Regio {real}",)]
        subjects = con.execute("SELECT DISTINCT region_id, organisation_id FROM versions")
        assert len(subjects.fetchall()) == 1
    finally:
        con.close()


# --- Refused at upload -------------------------------------------------------------------------

REFUSED = [
    ("toelichting", "eerste regel\x00tweede", "[U+0000]", "stuurteken"),
    ("toelichting", "kleur\x1b[31m rood", "[U+001B]", "stuurteken"),
    ("toelichting", "einde\x7f", "[U+007F]", "stuurteken"),
    ("afspraak_id", "A\x0c1", "[U+000C]", "stuurteken"),
    ("partner", "Politie \u202eNoord", "[U+202E]", "leesrichting"),
    ("partner", "Politie \u202dNoord\u202c", "[U+202D]", "leesrichting"),
    ("organisatie", "\u202bOpvang Noord", "[U+202B]", "leesrichting"),
    ("regio", "Regio \u2066Noord\u2069", "[U+2066]", "leesrichting"),
    ("toelichting", "zie \u2067bijlage\u2069", "[U+2067]", "leesrichting"),
    ("organisatie", "Vrouwenopvang Wоlkendal", "W[U+043E]lkendal", "gemengd schrift"),  # Cyrillic
    ("partner", "Politie Nοord", "N[U+03BF]ord", "gemengd schrift"),  # Greek omicron
    ("regio", "Regio Nооrd", "N[U+043E][U+043E]rd", "gemengd schrift"),
    ("partner", "Veilig Thuis Wolk\u200bеndal", "[U+0435]", "gemengd schrift"),  # also split
]


@pytest.mark.parametrize(("column", "value", "shown", "what"), REFUSED)
@pytest.mark.parametrize("extension", [".csv", ".xlsx"])
def test_control_bidi_and_mixed_script_are_refused_with_row_column_and_escaped_value(
    tmp_path: Path, column, value, shown, what, extension
):
    if extension == ".xlsx" and any(ch < " " or ch == "\x7f" for ch in value):
        pytest.skip("an .xlsx cannot hold a control character (XML forbids them)")
    rows = with_cell("afspraken", column, value, row=2)
    rows[0][header_index("afspraken", column)] = column.capitalize()  # as the user wrote it
    data = csv_bytes(rows) if extension == ".csv" else xlsx_bytes(rows)
    path = tmp_path / "k.duckdb"
    con = store.open_database(path)
    try:
        before = dump_content(con)
        with pytest.raises(ValidationError) as error:
            importers.import_file(con, data, f"bestand{extension}", new_region=True)
        assert dump_content(con) == before
    finally:
        con.close()
    problems = [p for p in error.value.problems if p.row == 3]
    assert len(problems) == 1, error.value.problems
    problem = problems[0]
    assert problem.column == column.capitalize()
    assert shown in problem.value
    assert what in problem.message
    assert problem.expected
    assert not any(ch in str(error.value) for ch in "\x00\x1b\u202e\u202d\u2066\u2067\u202b")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("toelichting", "Afspraak met Wоlkendal over Нидерланды"),  # not a name: may mix
        ("partner", "Стичтинг Надежда"),  # one script per word
        ("partner", "Ελπίδα Noord"),
        ("partner", "Ｐｏｌｉｔｉｅ Noord"),  # full-width Latin is Latin
        ("toelichting", "eerste regel\ntweede regel\tmet tab"),
        ("organisatie", "Opvang Eén"),
    ],
)
def test_ordinary_text_in_other_scripts_and_line_breaks_pass(column, value):
    table = importers.validate_file(csv_bytes(with_cell("afspraken", column, value)), "a.csv")
    assert table.frame[column].iloc[0] == value


def test_a_header_with_a_bidi_character_is_refused():
    rows = valid_rows("afspraken")
    rows[0][header_index("afspraken", "toelichting")] = "toelichting\u202e"
    with pytest.raises(ValidationError) as error:
        importers.validate_file(csv_bytes(rows), "a.csv")
    (problem,) = error.value.problems
    assert problem.row == 1 and "kolomkop" in problem.message
    assert problem.value == "toelichting[U+202E]"


def test_personal_data_next_to_a_control_character_is_masked_in_the_message():
    rows = with_cell("afspraken", "toelichting", "bel 06-12345678\x00")
    with pytest.raises(ValidationError) as error:
        importers.validate_file(csv_bytes(rows), "a.csv")
    assert "12345678" not in str(error.value)


# --- Migrating keys a previous release stored --------------------------------------------------

#: (id, name) of regions and organisations as the previous release could have stored them, each
#: with its key made the previous release's way.
PREVIOUS_REGIONS = [
    (1, "Demoregio Wolkendal"),
    (2, "Demoregio Wolk\u200bendal"),  # --new-region made a look-alike
    (3, "Regio Ee\u0301n"),  # decomposed, no twin
]
PREVIOUS_ORGANISATIONS = [
    (1, "Vrouwenopvang Wolkendal"),
    (2, "Vrouwenopvang Wolk\u200bendal"),
    (3, "GGZ Ce\u0301ntrum"),  # a look-alike with the lower id ...
    (4, "GGZ Céntrum"),  # ... of a name whose key already is the new one
    (5, "Huisarts\u200b Oost"),  # two look-alikes, neither with the new key
    (6, "Huisarts\u00ad Oost"),
    (7, "Politie Noord"),
]


@pytest.fixture
def previous_release_file(tmp_path: Path) -> Path:
    """A database file as the previous release (schema 2) wrote it: a real import, and the rows
    its importer made for look-alike names, with keys made its way."""
    path = tmp_path / "vorige.duckdb"
    con = store.connect(path)
    store.migrate(con, target=2)  # the schema the previous release wrote
    for table, rows in (("regions", PREVIOUS_REGIONS), ("organisations", PREVIOUS_ORGANISATIONS)):
        for row_id, name in rows:
            con.execute(
                f"INSERT INTO {table} VALUES (?, ?, ?, TIMESTAMP '2026-01-05 10:00:00')",
                [row_id, name, previous_release_key(name)],
            )
    con.execute(
        "INSERT INTO imports VALUES (1, 'oud.csv', 'x', 'afspraken', 'Demoregio Wolk\u200bendal', "
        "'Vrouwenopvang Wolk\u200bendal', 1, 1, '[]', TIMESTAMP '2026-01-05 10:00:00')"
    )
    con.execute("INSERT INTO versions VALUES (1, 1, 'afspraken', 2, 2, NULL, 'hash', 1)")
    con.execute(
        "INSERT INTO agreement_rows VALUES (1, 2, 'vrouwenopvang', 7, 'politie', ['meldcode'], "
        "'organisatie', 'schriftelijk', false, NULL, NULL, NULL, NULL, NULL)"
    )
    con.close()
    return path


def keys(con, table: str) -> dict[int, str]:
    return dict(con.execute(f"SELECT id, name_key FROM {table}").fetchall())


def test_the_migration_recomputes_the_keys_of_a_previous_release(previous_release_file: Path):
    con = store.connect(previous_release_file)
    old_rows = {
        table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        for table in ("imports", "versions", "agreement_rows")
    }
    con.close()
    con = store.open_database(previous_release_file)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert keys(con, "regions") == {
            1: "demoregio wolkendal",
            2: f"demoregio wolkendal{KEPT_APART}2",  # kept apart from its twin
            3: "regio eén",
        }
        assert keys(con, "organisations") == {
            1: "vrouwenopvang wolkendal",
            2: f"vrouwenopvang wolkendal{KEPT_APART}2",
            3: f"ggz céntrum{KEPT_APART}3",  # the row that already had the key keeps it
            4: "ggz céntrum",
            5: "huisarts oost",  # neither had it: the lowest id gets it
            6: f"huisarts oost{KEPT_APART}6",
            7: "politie noord",
        }
        # names and everything else stay as they were: nothing is merged
        names = dict(con.execute("SELECT id, name FROM organisations").fetchall())
        assert names == dict(PREVIOUS_ORGANISATIONS)
        for table, rows in old_rows.items():
            assert sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr) == rows
        assert store.migrate(con) == store.SCHEMA_VERSION  # nothing left to do
    finally:
        con.close()


def test_after_the_migration_uploads_match_the_stored_names(previous_release_file: Path):
    con = store.open_database(previous_release_file)
    try:
        before = counts(con)
        data = agreement_file(
            "Demoregio Wolkendal", "Vrouwenopvang Wolk\u200bendal", "Politie Noord", "mondeling"
        )
        importers.import_file(con, data, "nieuw.csv")  # no new region needed
        data = agreement_file("Regio Eén", "GGZ Ce\u0301ntrum", "Huisarts\u00ad Oost", "mondeling")
        importers.import_file(con, data, "nieuw2.csv")
        assert counts(con) == {**before, "versions": before["versions"] + 2}
        stored = con.execute(
            "SELECT region_id, organisation_id FROM versions WHERE import_id > 1 ORDER BY id"
        ).fetchall()
        assert stored == [(1, 1), (3, 4)]
        partners = con.execute(
            "SELECT partner_id FROM agreement_rows WHERE version_id > 1 ORDER BY version_id"
        ).fetchall()
        assert partners == [(7,), (5,)]
    finally:
        con.close()
