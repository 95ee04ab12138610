"""The cost of reading an upload is bounded before its cells are kept (issue 14, item 5): blank
padding is cut off or counted without being built, and a file with too many rows or columns is
refused while it is read, with a Dutch message that names the limit and what to do."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from ketendata import importers, store
from ketendata.intake.problems import ValidationError
from ketendata.intake.reading import (
    CELLS_PER_ROW,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_ROWS,
    read_table,
)
from ketendata.store.schema import dump_content
from tests.builders import csv_bytes, valid_rows, xlsx_bytes

MB = 1024 * 1024


def peak_allocated(function, *args, **kwargs) -> tuple[object, int]:
    """What ``function`` returns or raises, and the most memory Python held for it at once."""
    tracemalloc.start()
    try:
        try:
            result: object = function(*args, **kwargs)
        except ValidationError as error:
            result = error
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def only_problem(error: ValidationError):
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


# --- Blank padding -------------------------------------------------------------------------


@pytest.mark.parametrize("blank_line", ["\r\n", ";;;;;;;;;;;;;\r\n", "  ;\t; \r\n", "\n"])
def test_blank_lines_at_the_end_are_cut_off_without_being_built(blank_line):
    data = csv_bytes(valid_rows("afspraken")) + (blank_line * (8 * MB // len(blank_line))).encode()
    table, peak = peak_allocated(read_table, data, "opgevuld.csv")
    assert [number for number, _ in table.rows] == [2, 3]
    # a few copies of the text at most, never a row per blank line (the previous release held
    # about 90 times the file size: 0.7 GB here)
    assert peak < 5 * len(data) + 4 * MB


def test_the_importer_takes_a_padded_file_and_stores_only_its_rows(tmp_path):
    data = csv_bytes(valid_rows("afspraken")) + b"\r\n" * (4 * MB)
    con = store.open_database(tmp_path / "k.duckdb")
    try:
        result = importers.import_file(con, data, "opgevuld.csv", new_region=True)
    finally:
        con.close()
    assert (result.rows_read, result.rows_stored) == (2, 2)


def test_blank_rows_between_the_data_are_counted_but_not_kept():
    rows = valid_rows("afspraken")
    data = csv_bytes(rows[:2]) + b";;;\r\n" * 50_000 + csv_bytes(rows[2:])
    table, peak = peak_allocated(read_table, data, "gaten.csv")
    assert [number for number, _ in table.rows] == [2, 50_003]  # the row numbers Excel shows
    assert peak < 5 * len(data) + 4 * MB


def test_more_blank_rows_than_a_worksheet_holds_are_refused_while_reading():
    rows = valid_rows("afspraken")
    data = csv_bytes(rows[:2]) + b"\r\n" * MAX_SHEET_ROWS + csv_bytes(rows[2:])
    error, peak = peak_allocated(read_table, data, "gaten.csv")
    assert isinstance(error, ValidationError)
    text = str(only_problem(error))
    assert "1.048.576 rijen" in text and "lege rijen" in text and "verwijder" in text
    assert peak < 5 * len(data) + 4 * MB


# --- Rows ----------------------------------------------------------------------------------


def test_up_to_max_rows_data_rows_are_read_and_one_more_is_refused():
    header, row = valid_rows("afspraken")[:2]
    assert len(read_table(csv_bytes([header] + [row] * 50), "a.csv", max_rows=50).rows) == 50
    blank_between = csv_bytes([header] + [row] * 25 + [[]] * 10 + [row] * 25)
    assert len(read_table(blank_between, "a.csv", max_rows=50).rows) == 50  # blank rows are free
    with pytest.raises(ValidationError) as error:
        read_table(csv_bytes([header] + [row] * 51), "a.csv", max_rows=50)
    text = str(only_problem(error.value))
    assert "meer dan 50 rijen met gegevens" in text and "verdeel" in text


def test_the_default_limit_refuses_a_csv_with_one_row_too_many_before_validation(tmp_path):
    data = b"regio;organisatie\r\n" + b"R;O\r\n" * (MAX_ROWS + 1)
    con = store.open_database(tmp_path / "k.duckdb")
    try:
        before = dump_content(con)
        with pytest.raises(ValidationError) as error:
            importers.import_file(con, data, "groot.csv", new_region=True)
        assert dump_content(con) == before
    finally:
        con.close()
    text = str(only_problem(error.value))
    assert f"meer dan {MAX_ROWS:,} rijen".replace(",", ".") in text


def test_an_xlsx_with_more_data_rows_than_the_limit_is_refused():
    header, row = valid_rows("afspraken")[:2]
    data = xlsx_bytes([header] + [row] * 6)
    assert len(read_table(data, "a.xlsx", max_rows=6).rows) == 6
    with pytest.raises(ValidationError) as error:
        read_table(data, "a.xlsx", max_rows=5)
    assert "meer dan 5 rijen met gegevens" in str(only_problem(error.value))


def test_formatted_empty_rows_of_an_xlsx_are_skipped():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Afspraken"
    rows = valid_rows("afspraken")
    for values in rows[:2]:
        sheet.append(values)
    fill = openpyxl.styles.PatternFill("solid", start_color="FFFF00")
    for number in range(3, 3000):
        for column in range(1, 30):
            sheet.cell(row=number, column=column).fill = fill  # styled, no value
    for column, value in enumerate(rows[2], start=1):
        sheet.cell(row=3000, column=column, value=value or None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "a.xlsx")
    assert [number for number, _ in table.rows] == [2, 3000]


def with_sheet_xml(data: bytes, rows_xml: str) -> bytes:
    """An ``.xlsx`` with ``rows_xml`` added at the end of its first worksheet's rows."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", rows_xml.encode() + b"</sheetData>")
            target.writestr(info.filename, content)
    return out.getvalue()


def test_an_xlsx_row_beyond_the_last_row_of_a_worksheet_is_refused():
    data = xlsx_bytes([["regio", "organisatie"], ["Noord", "Opvang Noord"]])
    beyond = MAX_SHEET_ROWS + 1
    row = f'<row r="{beyond}"><c r="A{beyond}" t="inlineStr"><is><t>x</t></is></c></row>'
    with pytest.raises(ValidationError) as error:
        read_table(with_sheet_xml(data, row), "a.xlsx")
    assert "1.048.576 rijen" in str(only_problem(error.value))


def test_an_xlsx_padded_with_formatted_empty_cells_is_refused_before_it_is_parsed():
    data = xlsx_bytes(valid_rows("afspraken"))  # 3 rows of 14 cells
    max_rows = 10
    room = max_rows * CELLS_PER_ROW - 3 * 14
    columns = [chr(ord("A") + i) for i in range(10)]

    def padding(cells: int) -> str:
        """Rows 4, 5, ... of ten formatted empty cells each."""
        return "".join(
            f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="0"/>' for c in columns) + "</row>"
            for r in range(4, 4 + cells // 10)
        )

    fits = with_sheet_xml(data, padding(room - room % 10))
    assert len(read_table(fits, "a.xlsx", max_rows=max_rows).rows) == 2
    with pytest.raises(ValidationError) as error:
        read_table(with_sheet_xml(data, padding(room + 10)), "a.xlsx", max_rows=max_rows)
    text = str(only_problem(error.value))
    assert f"meer dan {max_rows * CELLS_PER_ROW} cellen" in text and "opgemaakte" in text


# --- Columns -------------------------------------------------------------------------------


def test_empty_cells_at_the_end_of_rows_cost_nothing_and_a_too_wide_row_is_refused():
    rows = valid_rows("afspraken")
    padded = [row + [None] * 5_000 for row in rows]
    assert read_table(csv_bytes(padded), "a.csv").headers == rows[0]
    wide = rows + [["x"] * (MAX_COLUMNS + 1)]
    with pytest.raises(ValidationError) as error:
        read_table(csv_bytes(wide), "a.csv")
    problem = only_problem(error.value)
    assert problem.row == 4 and f"meer dan {MAX_COLUMNS} kolommen" in problem.message
