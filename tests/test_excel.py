"""The one Dutch-Excel writer: real workbooks written, then read back with openpyxl."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ketendata.files import excel

HEADER = ["regio", "organisatie", "gezinnen", "ingangsdatum"]
ROWS = [
    ["Noord", "Opvang De Haven", 12, date(2025, 3, 1)],
    ["Noord", '=HYPERLINK("http://x")', None, None],
]
STAMP = datetime(2026, 11, 24)
FORMULA_LIKE = ["=1+1", '=HYPERLINK("http://x")', "+31 gemeente", "-2+3", "@SUM(A1:A2)"]


def _write(
    header=HEADER, rows=ROWS, *, sheet_name="Afspraken", write_only=False, stamp=STAMP, **options
) -> bytes:
    workbook, sheet = excel.new_workbook(sheet_name, write_only=write_only)
    excel.write_table(sheet, header, rows, **options)
    return excel.save_workbook(workbook, stamp)


def _values(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("write_only", [False, True], ids=["sheet", "streaming"])
def test_header_and_rows_read_back_under_the_sheet_name(write_only: bool) -> None:
    data = _write(write_only=write_only)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Afspraken"]
    assert _values(data) == [
        tuple(HEADER),
        ("Noord", "Opvang De Haven", 12, datetime(2025, 3, 1)),  # Excel stores no bare dates
        ("Noord", '=HYPERLINK("http://x")', None, None),
    ]


def test_a_sheet_name_is_cut_to_excels_31_characters() -> None:
    data = _write(sheet_name="Bevindingen van de regio Wolkendal en omstreken")
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Bevindingen van de regio Wolken"]


@pytest.mark.parametrize("write_only", [False, True], ids=["sheet", "streaming"])
@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_stays_text(text: str, write_only: bool) -> None:
    data = _write(["tekst", text], [[text, text]], write_only=write_only)
    sheet = load_workbook(io.BytesIO(data)).active
    for cell in (*sheet[1][1:], *sheet[2]):
        assert (cell.value, cell.data_type) == (text, "s")
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml  # no formula element at all


@pytest.mark.parametrize("write_only", [False, True], ids=["sheet", "streaming"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x01b\x1f", "ab"),  # control characters: openpyxl would refuse the cell
        ("Opvang\ufffe Noord\uffff", "Opvang Noord"),  # not XML: the file would not open
        ("regel 1\rregel 2", "regel 1\nregel 2"),  # XML reads a carriage return as a line feed
    ],
)
def test_characters_xml_cannot_hold_are_dropped(text: str, expected: str, write_only: bool) -> None:
    data = _write(["tekst"], [[text]], write_only=write_only)
    assert load_workbook(io.BytesIO(data)).active["A2"].value == expected


@pytest.mark.parametrize("write_only", [False, True], ids=["sheet", "streaming"])
@settings(max_examples=40, deadline=None)
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=["Cc"]), max_size=20))
def test_any_text_reads_back_as_that_text(write_only: bool, text: str) -> None:
    data = _write(["tekst"], [[text]], write_only=write_only)
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    expected = text.replace("\ufffe", "").replace("\uffff", "")
    if expected:
        assert (cell.value, cell.data_type) == (expected, "s")
    else:
        assert cell.value is None


def test_dates_show_the_dutch_way_and_a_time_of_day_stays() -> None:
    data = _write(["datum", "tijdstip"], [[date(2026, 1, 15), datetime(2026, 1, 15, 9, 30)]])
    day, moment = load_workbook(io.BytesIO(data)).active[2]
    assert (day.value, day.number_format) == (datetime(2026, 1, 15), excel.DATE_FORMAT)
    assert (moment.value, moment.number_format) == (
        datetime(2026, 1, 15, 9, 30),
        excel.DATETIME_FORMAT,
    )
    assert excel.DATE_FORMAT == "dd-mm-yyyy"


def test_a_caller_may_spell_its_own_date_format() -> None:
    data = _write(["datum"], [[date(2026, 1, 15)]], date_format="DD-MM-YYYY")
    assert load_workbook(io.BytesIO(data)).active["A2"].number_format == "DD-MM-YYYY"


def test_a_styled_header_is_bold_and_stays_in_view_a_plain_one_is_neither() -> None:
    styled = load_workbook(io.BytesIO(_write())).active
    assert all(cell.font.bold for cell in styled[1])
    assert styled.freeze_panes == "A2"
    plain = load_workbook(io.BytesIO(_write(styled=False))).active
    assert not any(cell.font.bold for cell in plain[1])
    assert plain.freeze_panes is None


@pytest.mark.parametrize("write_only", [False, True], ids=["sheet", "streaming"])
def test_columns_are_as_wide_as_their_header_within_bounds(write_only: bool) -> None:
    header = ["id", "met_informatieoverdracht", "x" * 80]
    sheet = load_workbook(io.BytesIO(_write(header, [], write_only=write_only))).active
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [12, 26, 60]


@pytest.mark.parametrize("write_only", [False, True], ids=["sheet", "streaming"])
def test_two_writes_of_the_same_content_give_the_same_bytes(write_only: bool) -> None:
    first = _write(write_only=write_only)
    assert _write(write_only=write_only) == first
    other = _write(rows=[*ROWS, ["Zuid", "Opvang Zuid", 3, None]], write_only=write_only)
    assert other != first


def test_the_stamp_is_the_only_time_in_the_file() -> None:
    data = _write(stamp=datetime(2026, 1, 1, 12, 30, 4))  # zip times count in steps of 2 s
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 12, 30, 4)}
        core = archive.read("docProps/core.xml").decode()
    times = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core)
    assert sorted(times) == [
        ("created", "2026-01-01T12:30:04Z"),
        ("modified", "2026-01-01T12:30:04Z"),
    ]


def test_saves_at_other_times_give_the_same_bytes_once_repeatable() -> None:
    """Two saves whose zip entries and document dates differ become the same bytes."""
    saves = []
    for year in (2001, 2019):
        workbook, sheet = excel.new_workbook("Afspraken")
        excel.write_table(sheet, HEADER, ROWS)
        workbook.properties.created = datetime(year, 5, 6, 7, 8, 10)
        saves.append(_with_zip_times(excel.save_workbook(workbook), (year, 5, 6, 7, 8, 10)))
    assert saves[0] != saves[1]
    repeatable = [excel.repeatable_zip(data, STAMP) for data in saves]
    assert repeatable[0] == repeatable[1]
    assert _values(repeatable[0]) == _values(saves[0])


def _with_zip_times(data: bytes, date_time: tuple[int, ...]) -> bytes:
    """The same zip with every entry dated ``date_time`` (as a save at that moment would be)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, date_time), source.read(info.filename))
    return output.getvalue()


def test_csv_is_the_one_dutch_excel_saves() -> None:
    data = excel.csv_bytes([["regio", "gezinnen", "toelichting"], ["Noord", 12, None]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["regio", "gezinnen", "toelichting"], ["Noord", "12", ""]]
