"""The fast import paths give exactly what checking cell by cell and row by row gives.

Validation parses each distinct value of a column once and shares the outcome; storing encodes
each distinct value once. These tests compare that with the plain way on random files.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketendata import columns, importers, store
from ketendata.importers import import_file
from ketendata.intake import validation
from ketendata.intake.privacy import (
    _PERSONAL_KINDS,
    _personal_matches,
    find_personal,
    has_personal_signs,
)
from ketendata.intake.problems import ValidationError
from ketendata.intake.reading import RawTable, read_table
from ketendata.intake.validation import validate_table
from tests.builders import csv_bytes, xlsx_bytes

KINDS = ["afspraken", "overdrachten", "stagnatie"]

# Cells that are tricky in any column: empty, blank, equal in Python but different cells
# (True, 1, 1.0), -0.0, Excel dates, personal data, too long, wrong in most columns.
ANY_CELL = [
    None,
    "",
    "  ",
    "x",
    "1",
    "0",
    "-1",
    "ja",
    True,
    False,
    1,
    0,
    1.0,
    0.0,
    -0.0,
    3.5,
    "3,5",
    "1.234",
    2026,
    "2026",
    "2026-Q3",
    "2026-07",
    dt.datetime(2026, 7, 1),
    dt.datetime(2026, 7, 1, 5, 30),
    dt.date(2025, 1, 1),
    "31-02-2026",
    "bel 06-12345678",
    "a" * 501,
]

GOOD_CELLS = {
    columns.TEXT: ["Noord", " noord ", "Opvang Noord", "opvang  NOORD", "Veilig Thuis", 12],
    columns.BOOL: ["ja", "nee", "x", None],
    columns.DATE: ["2026-01-31", "1-3-2026", "01/02/2025", dt.datetime(2026, 2, 1), None],
    columns.INT: ["0", "3", "10", 12, "2", None],
    columns.DECIMAL: ["3,5", 2.0, "0", None],
    columns.PERIOD: ["2026", "2026-Q1", "2026-07", 2026],
}


# Columns compared across a row get values that mostly fit together.
COLUMN_CELLS = {
    "regio": ["Noord", " noord ", "Zuid"],
    "organisatie": ["Opvang Noord", "opvang  NOORD", "Opvang Zuid"],
    "respondent": ["Opvang Noord", "opvang  NOORD", "Opvang Zuid"],
    "partner": ["Veilig Thuis", "GGD Noord", " ggd  noord", 12],
    "einddatum": ["2026-12-31", None, None, "2025-01-01"],
    "periode": ["2026", "2025", 2026, "2026-Q1"],
    "gezinnen": ["10", 12, 10.0],
    "warm": ["0", "3", 3],
    "kinderen": ["4", None],
    "kind_overgedragen": [None, None, "1"],
    "ernst": ["1", "3", 5],
    "domein": ["financien", "Financiën"],
    "onderwerp": ["schulden", "uitkering", "Bewindvoering", "urgentie"],
}


def good_cells(column: columns.Column) -> list[object]:
    if column.name in COLUMN_CELLS:
        return COLUMN_CELLS[column.name]
    if column.type == columns.INT and column.name != "gezinnen" and column.minimum == 0:
        return ["0", "2", None]
    if column.codes:
        some = list(column.codes)[:4]
        found = some + [column.codes[some[0]]]
        return found + ([f"{some[0]}; {some[-1]}"] if column.type == columns.CODES else [])
    return GOOD_CELLS[column.type]


@st.composite
def raw_tables(draw, kind: str) -> RawTable:
    headers = [column.name for column in columns.COLUMNS[kind]]
    pools = [good_cells(column) for column in columns.COLUMNS[kind]]
    # a messy file repeats a few tricky cells, so equal-but-different cells meet in a column
    messy = draw(st.booleans())
    tricky = draw(st.lists(st.sampled_from(ANY_CELL), min_size=1, max_size=4)) if messy else []
    rows = []
    row_number = 1
    for _ in range(draw(st.integers(1, 7))):
        row_number += draw(st.integers(1, 3))
        cells = [
            draw(st.sampled_from(tricky if tricky and draw(st.integers(0, 3)) == 0 else pool))
            for pool in pools
        ]
        if draw(st.integers(0, 9)) == 0:  # a short row: the cells at its end are empty
            cells = cells[: draw(st.integers(0, len(cells)))]
        rows.append((row_number, cells))
    return RawTable("t.csv", None, 1, headers, rows)


def typed(rows: list[tuple]) -> list[tuple]:
    return [tuple((type(value), value) for value in row) for row in rows]


def cell_by_cell(table: RawTable, kind: str) -> tuple[list[tuple], list]:
    """The plain way: every cell of every row parsed on its own, row after row."""
    problems: list = []
    positions, names = validation._match_headers(table, kind, problems, [])
    records = [
        validation._validate_row(kind, number, cells, positions, names, problems)
        for number, cells in table.rows
    ]
    order = [column.name for column in columns.COLUMNS[kind]] + ["source_row"]
    return typed([tuple(record[name] for name in order) for record in records]), problems


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_column_wise_validation_gives_what_cell_by_cell_validation_gives(kind, data):
    table = data.draw(raw_tables(kind))
    expected_rows, expected_problems = cell_by_cell(table, kind)
    try:
        frame = validate_table(table, kind).frame
    except ValidationError as error:
        # the same problems in the same order; only the periods across rows come on top
        found = error.problems
        assert found[: len(expected_problems)] == expected_problems
        across_rows = found[len(expected_problems) :]
        assert all("gebruikt in dit bestand al" in problem.message for problem in across_rows)
        assert expected_problems or across_rows
    else:
        assert not expected_problems
        assert typed(list(frame.itertuples(index=False))) == expected_rows


FRAGMENTS = [
    "1234",
    "9999",
    "0123",
    "AB",
    "ab",
    " ",
    ",",
    "-",
    ".",
    "1",
    "12",
    "06",
    "12345678",
    "+31",
    "0031",
    "(0)",
    "0800",
    "111222333",
    "1112.22.333",
    "111 222 333",
    "@",
    "j.jansen@example.nl",
    "x",
    "\u0663",  # an Arabic-Indic digit: regular expressions count it as a digit
    "\u200b",  # a zero-width space: the guard reads past it
    "\u2013",  # an en dash reads as a dash
    "\uff20",  # a full-width @
    "/",
    "NL91ABNA0417164300",
    "NL91",
    "geb. ",
    "Sanne ",
    "12-03-2015",
    "maart",
    "straat ",
    "Kerkstraat 12",
    "postbus ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join) | st.text(max_size=30))
def test_the_quick_personal_data_check_misses_nothing_the_patterns_find(text):
    found = list(_personal_matches(text))
    assert (find_personal(text) is None) == (not found)
    if found:
        assert has_personal_signs(text)
        assert find_personal(text) in {(_PERSONAL_KINDS[kind], part) for _, kind, part in found}


CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["a", "b", 'Zuid "Oost"', "é\n\t\\", "\x00"]),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=4), max_size=3).map(tuple),
    st.lists(st.sampled_from([1, True, 1.0, 0, False]), max_size=2).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(st.tuples(*[CELL_VALUES] * width), min_size=1, max_size=6)
    )
)
def test_row_texts_for_the_content_hash_are_the_json_of_each_row(rows):
    by_column = [list(column) for column in zip(*rows, strict=True)]
    expected = [
        json.dumps([importers._canonical(value) for value in row], ensure_ascii=False)
        for row in rows
    ]
    assert importers._canonical_rows(by_column) == expected


@pytest.mark.parametrize(
    "column",
    [[1, True, 1.0, 0, False, -0.0], [(1,), (True,), (1.0,)], ["1", 1, None], [(), None, ("a",)]],
)
def test_equal_but_different_values_in_one_column_get_their_own_row_text(column):
    expected = [json.dumps([importers._canonical(value)], ensure_ascii=False) for value in column]
    assert importers._canonical_rows([column]) == expected


def test_content_hashes_keep_their_format_so_an_existing_database_sees_equal_content(tmp_path):
    # The hashes the importer wrote before the fast path: same content must keep its hash, or a
    # database would store identical content as a new version once.
    rows = [
        ["regio", "organisatie", "partner", "partnertype", "afspraaktypes", "status"]
        + ["ingangsdatum", "toelichting"],
        ["Noord", "Opvang Noord", "Veilig Thuis Noord", "Veilig Thuis", "meldcode; veiligheid"]
        + ["Schriftelijk", "1-3-2026", 'Met "overleg" élke maand'],
        ["Noord", "Opvang Noord", "GGD Noord", "jgz", "informatie_uitwisseling", "mondeling"]
        + ["", ""],
        ["Noord", "Opvang Zuid", "Politie Noord", "politie", "veiligheid", "in ontwikkeling"]
        + ["2026-01-31", ""],
    ]
    con = store.open_database(tmp_path / "k.duckdb")
    import_file(con, csv_bytes(rows), "a.csv", new_region=True)
    hashes = con.execute(
        "SELECT o.name, v.content_hash FROM versions v "
        "JOIN organisations o ON o.id = v.organisation_id ORDER BY o.name"
    ).fetchall()
    con.close()
    assert hashes == [
        ("Opvang Noord", "382c08d4bba7115eb1070afd229d57b9302be06ebc368cde5a193548c47dd017"),
        ("Opvang Zuid", "99220789ea669206f94bc55e7e3f3bfe70bc091437184a69e00dbdd0bd1e78b1"),
    ]


def test_interleaved_organisations_store_each_row_in_its_own_version(tmp_path):
    header = ["regio", "organisatie", "partner", "partnertype", "afspraaktypes", "status"]
    header += ["afspraak_id", "ingangsdatum"]
    rows = [header]
    for number in range(12):
        organisation = f"Opvang {'ABC'[number % 3]}"
        date = f"2026-01-{1 + number % 2:02d}"  # repeated values, as in real files
        rows.append(
            ["Noord", organisation, f"Partner {number % 4}", "politie", "meldcode"]
            + ["schriftelijk", f"ID-{number}", date]
        )
    con = store.open_database(tmp_path / "k.duckdb")
    result = import_file(con, csv_bytes(rows), "a.csv", new_region=True)
    stored = con.execute(
        "SELECT r.source_row, o.name, p.name, r.agreement_id, r.start_date FROM agreement_rows r "
        "JOIN versions v ON v.id = r.version_id JOIN organisations o ON o.id = v.organisation_id "
        "JOIN organisations p ON p.id = r.partner_id ORDER BY r.source_row"
    ).fetchall()
    con.close()
    assert result.versions_created == 3
    assert stored == [
        (number + 2, row[1], row[2], row[6], dt.date.fromisoformat(row[7]))
        for number, row in enumerate(rows[1:])
    ]


def test_equal_but_different_excel_cells_in_one_column_are_each_read_as_written():
    # Python calls True, 1 and 1.0 equal; as cells they are 'ja', '1' and '1'.
    header = ["regio", "organisatie", "partner", "partnertype", "afspraaktypes", "status"]
    rows = [header + ["afspraak_id", "kindspecifiek"]]
    for cell in (True, 1, 1.0, "1", True):
        rows.append(["Noord", "Opvang Noord", "GGD", "jgz", "meldcode", "mondeling", cell, cell])
    table = read_table(xlsx_bytes(rows, sheet="Afspraken"), "a.xlsx", "afspraken")
    frame = validate_table(table, "afspraken").frame
    assert list(frame["afspraak_id"]) == ["ja", "1", "1", "1", "ja"]
    assert list(frame["kindspecifiek"]) == [True] * 5
