"""ketendata.store.writes: what an import, an undo and a norm matrix write, on a real database
file. The importer's own tests check the whole way from a file; these check the statements."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketendata import columns, store
from ketendata.store import queries, writes

NOW = dt.datetime(2026, 11, 24, 9, 30)


@pytest.fixture
def con(tmp_path):
    connection = store.open_database(tmp_path / "k.duckdb")
    yield connection
    connection.close()


def stored_rows(con, kind: str) -> list[tuple]:
    """The rows of a row table in the order they were stored."""
    return con.execute(f"SELECT * FROM {columns.ROW_TABLES[kind]} ORDER BY rowid").fetchall()


def one_version(con, kind: str) -> int:
    """A region, an organisation, an import and one version to hang rows on; its id."""
    region = writes.insert_regions(con, [("Noord", "noord")], NOW)["noord"]
    organisation = writes.insert_organisations(con, [("Opvang Noord", "opvang noord")], NOW)
    import_id = writes.insert_import(
        con,
        file_name="a.csv",
        sha256="0" * 64,
        kind=kind,
        regions=["Noord"],
        subjects=["Opvang Noord"],
        rows_read=3,
        rows_stored=3,
        warnings=[],
        now=NOW,
    )
    version = writes.NewVersion(region, organisation["opvang noord"], "2026-Q1", "h", 3)
    (version_id,) = writes.insert_versions(con, import_id, kind, [version])
    return version_id


def stagnation_columns(version_id: int) -> dict[str, list[object]]:
    """Three stagnation rows by store column, as validation gives them."""
    return {
        "version_id": [version_id] * 3,
        "source_row": [2, 3, 4],
        "domain": ["wonen", "financien", "wonen"],
        "topic": ["woningtekort", "schulden", "urgentie"],
        "partner_id": [None, None, None],
        "partner_type": [None, "gemeente", None],
        "severity": [3, 5, 1],
        "wait_days": [12.5, None, 0.0],
        "families": [None, 4, 2],
        "extra_shelter_days": [30, None, None],
        "note": [None, "Wachtlijst 'schuldhulp'", None],
    }


@pytest.mark.parametrize("kind", list(columns.COLUMNS))
def test_the_row_tables_have_the_columns_writes_inserts(con, kind):
    described = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [columns.ROW_TABLES[kind]],
    ).fetchall()
    assert tuple(described) == writes.row_table_columns(kind)


def test_the_rows_at_the_positions_asked_are_stored_in_that_order(con):
    with store.transaction(con):
        version_id = one_version(con, "stagnatie")
        writes.insert_rows(con, "stagnatie", stagnation_columns(version_id), [2, 0])
    assert stored_rows(con, "stagnatie") == [
        (version_id, 4, "wonen", "urgentie", None, None, 1, 0.0, 2, None, None),
        (version_id, 2, "wonen", "woningtekort", None, None, 3, 12.5, None, 30, None),
    ]


def test_values_are_stored_in_the_type_of_their_column(con):
    with store.transaction(con):
        version_id = one_version(con, "afspraken")
        partner = writes.insert_organisations(con, [("GGD Noord", "ggd noord")], NOW)
        writes.insert_rows(
            con,
            "afspraken",
            {
                "version_id": [version_id, version_id],
                "source_row": [2, 3.0],  # a whole float is stored as the number
                "organisation_type": ["vrouwenopvang", "vrouwenopvang"],
                "partner_id": [partner["ggd noord"], partner["ggd noord"]],
                "partner_type": ["jgz", "jgz"],
                "agreement_types": [("meldcode", "veiligheid"), ("informatie_uitwisseling",)],
                "level": ["organisatie", "regio"],
                "status": ["schriftelijk", "mondeling"],
                "child_specific": [True, 0],  # 0 as no
                "start_date": [dt.date(2026, 1, 31), None],
                "end_date": [None, dt.date(2027, 12, 31)],
                "evaluated_on": [None, None],
                "agreement_id": ["CONV-1", 12],  # a number read from Excel stays its text
                "note": ['Zuid "Oost" é\n', None],
            },
            [0, 1],
        )
    rows = stored_rows(con, "afspraken")
    assert rows[0][1:] == (
        2,
        "vrouwenopvang",
        partner["ggd noord"],
        "jgz",
        ["meldcode", "veiligheid"],
        "organisatie",
        "schriftelijk",
        True,
        dt.date(2026, 1, 31),
        None,
        None,
        "CONV-1",
        'Zuid "Oost" é\n',
    )
    assert rows[1][1] == 3 and rows[1][5] == ["informatie_uitwisseling"]
    assert rows[1][8] is False and rows[1][10] == dt.date(2027, 12, 31) and rows[1][12] == "12"


def test_rows_go_in_chunk_by_chunk_with_progress(con):
    calls = []
    with store.transaction(con):
        version_id = one_version(con, "stagnatie")
        writes.insert_rows(
            con,
            "stagnatie",
            stagnation_columns(version_id),
            [0, 1, 2],
            chunk_rows=2,
            progress=lambda done, total: calls.append((done, total)),
        )
    assert calls == [(2, 3), (3, 3)]
    assert [row[1] for row in stored_rows(con, "stagnatie")] == [2, 3, 4]


def test_ids_continue_after_the_highest_id_of_each_table(con):
    with store.transaction(con):
        first = writes.insert_regions(con, [("Noord", "noord"), ("Zuid", "zuid")], NOW)
        second = writes.insert_regions(con, [("Oost", "oost")], NOW)
        organisations = writes.insert_organisations(con, [("A", "a"), ("B", "b")], NOW)
        version_ids = writes.insert_versions(
            con,
            7,
            "afspraken",
            [writes.NewVersion(1, 1, None, "x", 1), writes.NewVersion(2, 2, None, "y", 2)],
        )
        more = writes.insert_versions(con, 8, "afspraken", [writes.NewVersion(1, 1, None, "z", 1)])
    assert (first, second, organisations) == (
        {"noord": 1, "zuid": 2},
        {"oost": 3},
        {"a": 1, "b": 2},
    )
    assert (version_ids, more) == ([1, 2], [3])
    assert con.execute(
        "SELECT id, import_id, kind, period, row_count FROM versions"
    ).fetchall() == [
        (1, 7, "afspraken", None, 1),
        (2, 7, "afspraken", None, 2),
        (3, 8, "afspraken", None, 1),
    ]
    assert queries.region_ids(con) == {"noord": 1, "zuid": 2, "oost": 3}
    assert queries.organisation_ids(con, ["b", "c"]) == {"b": 2}
    assert writes.insert_regions(con, [], NOW) == {}


def test_the_import_log_holds_what_the_import_stored(con):
    import_id = writes.insert_import(
        con,
        file_name="noord.csv",
        sha256="ab" * 32,
        kind="overdrachten",
        regions=["Noord", "Zuid"],
        subjects=["Opvang Noord"],
        rows_read=10,
        rows_stored=8,
        warnings=["onbekende kolom 'opmerking' genegeerd"],
        now=NOW,
    )
    log = queries.list_imports(con)
    assert import_id == 1 and len(log) == 1
    row = log.iloc[0]
    assert (row.file_name, row.kind, row.regions, row.subjects) == (
        "noord.csv",
        "overdrachten",
        "Noord; Zuid",
        "Opvang Noord",
    )
    assert (row.rows_read, row.rows_stored, row.warnings) == (
        10,
        8,
        ["onbekende kolom 'opmerking' genegeerd"],
    )
    assert not row.undone
    writes.insert_undo(con, import_id, NOW)
    assert queries.import_state(con, import_id) == ("noord.csv", True, 0)
    assert queries.import_state(con, 2) is None


def test_a_failed_transaction_leaves_the_database_as_it_was(con):
    before = store.dump_content(con)
    with pytest.raises(RuntimeError), store.transaction(con):
        version_id = one_version(con, "stagnatie")
        writes.insert_rows(con, "stagnatie", stagnation_columns(version_id), [0, 1, 2])
        raise RuntimeError("the import stops halfway")
    assert store.dump_content(con) == before


def test_a_matrix_version_with_rows_and_one_back_to_the_default(con):
    region = writes.insert_regions(con, [("Noord", "noord")], NOW)["noord"]
    rows = [
        ("politie", "meldcode", "verplicht", False, "keurmerk", None, 1),
        ("*", "veiligheid", "wenselijk", True, "inspectie 2017", "organisatie", 3),
    ]
    own = writes.insert_matrix(con, region, file_name="m.csv", sha256="c" * 64, rows=rows, now=NOW)
    assert queries.own_matrix_rows(con, region) == rows
    back = writes.insert_default_matrix(con, region, NOW)
    assert (own, back) == (1, 2)
    assert queries.own_matrix_rows(con, region) is None


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from([0.0, -0.0, 1.0, 1, True, 0, False]),
    st.text(max_size=3),
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 1, 3)),
    # fold=1 (the second of two equal wall-clock times) never comes from an upload's parsers,
    # and a fold=1 time equals its fold=0 twin while its repr differs
    st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 1, 2)).map(
        lambda moment: moment.replace(fold=0)
    ),
    st.lists(st.sampled_from(["a", "b", 1, True, 1.0, -0.0]), max_size=2).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, max_size=12))
def test_per_distinct_gives_what_mapping_every_value_gives(values):
    assert writes.per_distinct(values, repr) == [repr(value) for value in values]
