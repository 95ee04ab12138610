"""Encodings of uploaded CSV files, with real bytes: UTF-8 (with or without BOM), Windows-1252 as
Dutch Excel saves it, UTF-16 as Excel's "Unicode-tekst" saves it, and a UTF-8 file with one stray
Windows-1252 byte, which is refused naming its row instead of turning into mojibake."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketendata import importers, store
from ketendata.intake.problems import ValidationError
from ketendata.intake.reading import decode_text, read_table
from ketendata.store.schema import dump_content
from tests.builders import csv_bytes, header_index, valid_rows

ACCENTED = ["Financiën", "Geëvalueerd", "Cliënt", "café", "€ 5", "‘aanhalingstekens’", "Beëindigd"]


def stagnation_rows() -> list[list]:
    """Header and data rows of a stagnatie file whose texts carry accents, one per row."""
    rows = [valid_rows("stagnatie")[0]]
    template = valid_rows("stagnatie")[1]
    for index, text in enumerate(ACCENTED):
        row = list(template)
        row[header_index("stagnatie", "domein")] = "Financiën"
        row[header_index("stagnatie", "toelichting")] = text
        row[header_index("stagnatie", "respondent")] = f"Opvang {index}"
        rows.append(row)
    return rows


def notes(table) -> list[str]:
    return table.frame["toelichting"].tolist()


# --- What must read as it is ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_utf8_and_a_whole_windows_1252_file_read_every_accent(encoding):
    # cp1252 with ';' and CRLF: Excel's "CSV (gescheiden door lijstscheidingsteken)"
    table = importers.validate_file(csv_bytes(stagnation_rows(), encoding=encoding), "s.csv")
    assert notes(table) == ACCENTED
    assert set(table.frame["domein"]) == {"financien"}


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),  # Excel's "Unicode-tekst": UTF-16 LE with BOM, tabs
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
def test_a_utf16_file_is_read(codec, bom):
    data = bom + csv_bytes(stagnation_rows(), sep="\t", encoding=codec)
    table = importers.validate_file(data, "unicode.csv")
    assert notes(table) == ACCENTED
    assert table.header_names["toelichting"] == "toelichting"  # no BOM left in a header


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + "regio\tpartner\r\nNoord\tX".encode("utf-16-le")[:-1],  # cut off
        codecs.BOM_UTF16_LE + "regio\tpartner\r\n".encode("utf-16-le") + b"\x00\xd8a\x00",
    ],
    ids=["odd length", "lone surrogate"],
)
def test_a_damaged_utf16_file_is_refused_for_its_encoding_not_its_headers(data):
    with pytest.raises(ValidationError) as error:
        read_table(data, "unicode.csv")
    message = str(error.value)
    assert "UTF-16" in message and "Unicode-tekst" in message
    assert "kolom" not in message


# --- A stray byte --------------------------------------------------------------------------


def utf8_with_a_stray_byte() -> bytes:
    """A UTF-8 file whose third data row (Excel row 4) has 'Cliënt' in Windows-1252."""
    data = csv_bytes(stagnation_rows(), encoding="utf-8")
    good = "Cliënt".encode()
    assert data.count(good) == 1
    return data.replace(good, "Cliënt".encode("cp1252"))


def test_a_stray_windows_1252_byte_in_a_utf8_file_is_refused_naming_row_and_column():
    with pytest.raises(ValidationError) as error:
        read_table(utf8_with_a_stray_byte(), "s.csv")
    (problem,) = error.value.problems
    assert (problem.row, problem.column) == (4, "toelichting")
    assert problem.value == "Cli[0xEB]nt"
    assert "geen UTF-8" in problem.message and "0xEB" in problem.message
    assert "'ë'" in problem.message  # what the byte means in Windows-1252
    assert "CSV UTF-8" in problem.expected
    assert "Ã" not in str(error.value)  # no mojibake anywhere


def test_a_stray_byte_is_refused_by_the_importer_and_nothing_is_stored(tmp_path):
    con = store.open_database(tmp_path / "k.duckdb")
    try:
        before = dump_content(con)
        with pytest.raises(ValidationError):
            importers.import_file(con, utf8_with_a_stray_byte(), "s.csv", new_region=True)
        assert dump_content(con) == before
    finally:
        con.close()


def test_a_stray_byte_after_a_bom_and_in_a_header_is_named_too():
    rows = stagnation_rows()
    rows[0][header_index("stagnatie", "toelichting")] = "Opmerking"
    data = csv_bytes(rows, encoding="utf-8-sig").replace(b"Opmerking", b"Opm\xe9rking")
    with pytest.raises(ValidationError) as error:
        read_table(data, "s.csv")
    (problem,) = error.value.problems
    assert problem.row == 1 and problem.column is None and "kolomkop" in problem.message
    assert problem.value == "Opm[0xE9]rking"


def test_a_windows_1252_file_with_a_byte_that_is_no_character_names_the_row():
    data = csv_bytes(stagnation_rows(), encoding="cp1252").replace(b"caf\xe9", b"caf\x81")
    with pytest.raises(ValidationError) as error:
        read_table(data, "s.csv")
    (problem,) = error.value.problems
    assert (problem.row, problem.column, problem.value) == (5, "toelichting", "caf[0x81]")
    assert "Windows-1252" in problem.message


def test_decode_text_names_the_line_of_a_stray_byte():
    with pytest.raises(ValidationError) as error:
        decode_text(b"a;b\r\n" + "Financiën;x\r\n".encode() + b"Financi\xebn;y\r\n")
    (problem,) = error.value.problems
    assert str(problem).startswith("regel 3: een teken is geen UTF-8 (byte 0xEB")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"regio;toelichting\r\n",
                b"Noord;",
                "Financiën".encode(),
                b"\xeb",
                b"\x81",
                b"\x00",
                b"\xff\xfe",
                b"\xfe\xff",
                b"\r\n",
                b'"',
                b";",
                b"\xc3",
                b"\xd8\x00",
            ]
        ),
        max_size=30,
    )
)
def test_any_bytes_end_in_a_table_or_a_clean_validation_error(parts):
    data = b"".join(parts)
    try:
        table = read_table(data, "x.csv")
    except ValidationError as error:
        assert error.problems and all(p.message for p in error.problems)
        assert "\x00" not in str(error)
        return
    cells = [c for _, row in table.rows for c in row if isinstance(c, str)] + table.headers
    assert not any(0xDC80 <= ord(ch) <= 0xDCFF or ch == "\x00" for c in cells for ch in c)
