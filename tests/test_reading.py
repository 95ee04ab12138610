"""Reading uploaded files: encodings, separators, worksheets, formulas, row numbers, limits."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile

import pytest

from ketendata.intake.problems import ValidationError
from ketendata.intake.reading import check_unpacked_size, detect_separator, read_table
from ketendata.settings import MAX_XLSX_UNPACKED_BYTES
from tests.builders import Formula, csv_bytes, valid_rows, xlsx_bytes, xlsx_workbook_bytes


def only_problem(error: pytest.ExceptionInfo[ValidationError]):
    assert len(error.value.problems) == 1
    return error.value.problems[0]


# --- CSV -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_csv_separator_is_detected(sep):
    rows = [["regio", "organisatie", "afspraaktypes"], ["Noord", "Opvang", "meldcode;vervoer"]]
    if sep == ";":
        rows[1][2] = "meldcode,vervoer"  # the other separator inside a cell does not confuse it
    table = read_table(csv_bytes(rows, sep=sep), "a.csv")
    assert table.headers == ["regio", "organisatie", "afspraaktypes"]
    assert table.rows == [(2, ["Noord", "Opvang", rows[1][2]])]
    assert table.sheet is None


def test_excel_sep_directive_sets_the_separator_and_is_not_a_row():
    data = b"sep=,\r\nregio,toelichting\r\nNoord,een; twee\r\n"
    table = read_table(data, "a.csv")
    assert (table.header_row, table.headers) == (1, ["regio", "toelichting"])
    assert table.rows == [(2, ["Noord", "een; twee"])]


def test_separator_count_ignores_quoted_separators():
    assert detect_separator('"a;b";"c;d",x,y\n') == ","


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_csv_encodings_utf8_with_and_without_bom_and_windows_1252(encoding):
    table = read_table(csv_bytes([["domein"], ["Financiën"]], encoding=encoding), "s.csv")
    assert table.headers == ["domein"]  # no BOM left in the first header
    assert table.rows == [(2, ["Financiën"])]


def test_csv_bytes_that_are_no_text_give_a_dutch_error():
    data = b"regio;organisatie\r\nNoord;\x81\x8d\x8f\x90\x9d\r\n"  # undefined in Windows-1252
    with pytest.raises(ValidationError) as error:
        read_table(data, "a.csv")
    assert "tekens" in str(error.value) and "UTF-8" in str(error.value)


def test_quoted_cells_with_separators_and_line_breaks_keep_excel_row_numbers():
    rows = [
        ["regio", "toelichting", "partner"],
        ["Noord", "eerste regel\r\ntweede; regel\r\nderde", "Politie"],
        ["Zuid", "kort", "GGD"],
    ]
    table = read_table(csv_bytes(rows), "a.csv")
    assert table.rows[0] == (2, ["Noord", "eerste regel\r\ntweede; regel\r\nderde", "Politie"])
    # Excel shows the multi-line cell as one row: the next record is row 3
    assert table.rows[1][0] == 3


def test_header_is_first_non_empty_row_and_empty_rows_and_columns_are_dropped():
    rows = [
        [None, None, None, None],
        [],
        ["regio", None, "organisatie", None],
        ["Noord", None, "Opvang Noord", None],
        [None, None, None, None],
        ["Zuid", None, "Opvang Zuid", "los"],
    ]
    for data, name in ((csv_bytes(rows), "a.csv"), (xlsx_bytes(rows), "a.xlsx")):
        table = read_table(data, name)
        assert table.header_row == 3
        # column B (no header, no values) is gone; column D has a value but no header
        assert table.headers == ["regio", "organisatie", ""]
        assert table.rows == [
            (4, ["Noord", "Opvang Noord", None]),
            (6, ["Zuid", "Opvang Zuid", "los"]),
        ]


def test_blank_cells_become_none_and_headers_are_stripped():
    table = read_table(csv_bytes([["  regio ", "organisatie"], ["Noord", "   "]]), "a.csv")
    assert table.headers == ["regio", "organisatie"]
    assert table.rows == [(2, ["Noord", None])]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b";;;\r\n;;\r\n", b"   \n\n"])
def test_empty_file_is_refused(content):
    with pytest.raises(ValidationError) as error:
        read_table(content, "leeg.csv")
    assert "leeg" in str(only_problem(error))


def test_csv_with_unclosed_quote_is_read_not_crashed():
    table = read_table(b'regio;toelichting\r\nNoord;"nooit gesloten\r\n', "a.csv")
    assert table.rows[0][0] == 2


@pytest.mark.parametrize("name", ["afspraken.xls", "afspraken.ods", "afspraken.txt", "afspraken"])
def test_other_file_types_are_refused_naming_what_is_accepted(name):
    with pytest.raises(ValidationError) as error:
        read_table(csv_bytes(valid_rows("afspraken")), name)
    text = str(only_problem(error))
    assert "niet ondersteund" in text and ".xlsx" in text and ".csv" in text


def test_extension_is_case_insensitive():
    assert read_table(csv_bytes([["regio"], ["Noord"]]), "A.CSV").rows == [(2, ["Noord"])]


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_sheet_named_like_the_kind_is_used_ignoring_case_and_diacritics():
    data = xlsx_bytes(
        [["regio"], ["Gekozen"]],
        sheet=" AFSPRÁKEN ",
        extra_sheets={"Uitleg": [["tekst"], ["niet dit"]]},
        extra_first=True,
    )
    table = read_table(data, "a.xlsx", kind="afspraken")
    assert table.sheet == " AFSPRÁKEN "
    assert table.rows == [(2, ["Gekozen"])]


def test_xlsx_without_a_kind_sheet_uses_the_first_sheet():
    data = xlsx_workbook_bytes({"Blad1": [["regio"], ["Eerste"]], "Blad2": [["regio"], ["Tweede"]]})
    table = read_table(data, "a.xlsx", kind="stagnatie")
    assert (table.sheet, table.rows) == ("Blad1", [(2, ["Eerste"])])


def test_xlsx_without_kind_prefers_a_sheet_named_like_any_kind():
    data = xlsx_workbook_bytes({"Uitleg": [["lees mij"]], "Overdrachten": [["regio"], ["Noord"]]})
    assert read_table(data, "a.xlsx").sheet == "Overdrachten"


def test_xlsx_keeps_excel_types_and_real_dates():
    rows = [
        ["regio", "ingangsdatum", "gezinnen", "kindspecifiek"],
        ["Noord", dt.datetime(2026, 3, 31), 4, True],
    ]
    table = read_table(xlsx_bytes(rows), "a.xlsx")
    assert table.rows == [(2, ["Noord", dt.datetime(2026, 3, 31), 4, True])]


def test_xlsx_formula_uses_the_value_excel_cached():
    rows = [
        ["regio", "gezinnen"],
        [Formula('"Regio "&"Noord"', cached="Regio Noord"), Formula("2+3", cached=5)],
    ]
    table = read_table(xlsx_bytes(rows), "a.xlsx")
    assert table.rows == [(2, ["Regio Noord", 5])]


def test_xlsx_formula_without_cached_value_asks_to_open_and_save_in_excel():
    rows = [["regio", "gezinnen"], ["Noord", 1], ["Zuid", Formula("2+3")]]
    with pytest.raises(ValidationError) as error:
        read_table(xlsx_bytes(rows), "a.xlsx")
    problem = only_problem(error)
    assert (problem.row, problem.column) == (3, "gezinnen")
    assert "formule" in problem.message
    assert "open het bestand in Excel" in problem.expected and "sla het op" in problem.expected


def test_xlsx_text_that_starts_like_a_formula_stays_text():
    rows = [["toelichting"], ["=SUM(A1:A3)"], ["+31 is geen formule"], ["@iemand"], ["-min"]]
    table = read_table(xlsx_bytes(rows), "a.xlsx")
    assert [cells[0] for _, cells in table.rows] == [
        "=SUM(A1:A3)",
        "+31 is geen formule",
        "@iemand",
        "-min",
    ]


@pytest.mark.parametrize(
    "data",
    [b"dit is geen zip", b"PK\x03\x04" + b"\x00" * 40, csv_bytes(valid_rows("afspraken"))],
)
def test_xlsx_that_is_no_zip_gives_a_clean_dutch_error(data):
    with pytest.raises(ValidationError) as error:
        read_table(data, "a.xlsx")
    assert "geen geldige Excel-werkmap" in str(only_problem(error))


def test_damaged_xlsx_gives_a_clean_dutch_error():
    data = xlsx_bytes(valid_rows("afspraken"))
    with pytest.raises(ValidationError) as error:
        read_table(data[: len(data) // 2] + data[-200:], "a.xlsx")
    assert error.value.problems


def test_zip_without_a_workbook_gives_a_clean_dutch_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hallo.txt", "geen werkmap")
    with pytest.raises(ValidationError) as error:
        read_table(buffer.getvalue(), "a.xlsx")
    assert "Excel-werkmap" in str(error.value)


# --- Zip bombs -----------------------------------------------------------------------------


def bomb(real_size: int) -> bytes:
    """A zip with one highly compressible member that really unpacks to ``real_size`` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * real_size)
    return buffer.getvalue()


def set_declared_sizes(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares (local header and central directory)."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    patched[local + 22 : local + 26] = struct.pack("<I", size)
    central = patched.find(b"PK\x01\x02")
    patched[central + 24 : central + 28] = struct.pack("<I", size)
    return bytes(patched)


def test_xlsx_unpacking_beyond_the_limit_is_refused_as_too_large():
    data = bomb(3_000_000)
    assert len(data) < 20_000
    with pytest.raises(ValidationError) as error:
        read_table(data, "bom.xlsx", max_unpacked_bytes=1_000_000)
    assert "te groot" in str(only_problem(error))


def test_zip_that_declares_more_than_200_mb_is_refused_before_unpacking():
    data = set_declared_sizes(bomb(1000), MAX_XLSX_UNPACKED_BYTES + 1)
    with pytest.raises(ValidationError) as error:
        read_table(data, "bom.xlsx")  # the default limit
    assert "te groot" in str(only_problem(error)) and "200 MB" in str(error.value)


def test_zip_that_lies_about_its_size_is_caught_by_counting_real_bytes():
    data = set_declared_sizes(bomb(3_000_000), 100)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) == 100
    with pytest.raises(ValidationError) as error:
        check_unpacked_size(data, limit=1_000_000)
    assert "te groot" in str(only_problem(error))


def test_normal_xlsx_passes_the_size_check_and_reports_its_real_size():
    data = xlsx_bytes(valid_rows("afspraken"))
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert check_unpacked_size(data) == declared


def test_a_file_name_with_personal_data_is_masked_in_the_reading_errors() -> None:
    from ketendata.intake.problems import ValidationError
    from ketendata.intake.reading import read_table

    with pytest.raises(ValidationError) as refused:
        read_table(b"x", "bsn_111222333.pdf")
    text = str(refused.value.problems[0])
    assert "111222333" not in text and "bsn_1112*****" in text
