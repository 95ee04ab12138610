"""Exports: text that a spreadsheet could run as a formula stays text in CSV and Excel."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ketendata.files.exports import (
    frame_to_csv_bytes,
    frame_to_xlsx_bytes,
    neutralise_frame,
    neutralise_text,
)

DANGEROUS = ["=1+1", "+31 gemeente", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd"]


def _read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 gemeente", "'+31 gemeente"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Veilig Thuis", "Veilig Thuis"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_text(text: str, expected: str) -> None:
    assert neutralise_text(text) == expected


def test_neutralise_frame_keeps_numbers_and_dates() -> None:
    frame = pd.DataFrame({"naam": ["=1+1"], "aantal": [-3], "datum": [date(2026, 1, 2)]})
    safe = neutralise_frame(frame)
    assert safe.iloc[0].tolist() == ["'=1+1", -3, date(2026, 1, 2)]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cell_starts_with_quote(text: str) -> None:
    rows = _read_csv(frame_to_csv_bytes(pd.DataFrame({"organisatie": [text, "Politie"]})))
    assert rows[0] == ["organisatie"]
    assert rows[1] == ["'" + text]
    assert rows[2] == ["Politie"]


def test_csv_is_dutch_excel_csv() -> None:
    frame = pd.DataFrame({"aandeel": [0.25], "gezinnen": [4], "datum": [date(2026, 3, 1)]})
    data = frame_to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert _read_csv(data) == [["aandeel", "gezinnen", "datum"], ["0,25", "4", "2026-03-01"]]


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_cell_is_a_string_not_a_formula(text: str) -> None:
    data = frame_to_xlsx_bytes(pd.DataFrame({"organisatie": [text]}), sheet_name="Bevindingen")
    book = load_workbook(io.BytesIO(data))
    sheet = book["Bevindingen"]
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")  # XML stores a CR as a line feed
    # the raw XML holds no formula element at all
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_xlsx_keeps_numbers_as_numbers() -> None:
    data = frame_to_xlsx_bytes(pd.DataFrame({"gezinnen": [7], "aandeel": [0.5], "ok": [True]}))
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[2]] == [7, 0.5, "ja"]


def test_xlsx_drops_control_characters() -> None:
    data = frame_to_xlsx_bytes(pd.DataFrame({"t": ["a\x01b"]}))
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "ab"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20))
def test_no_text_ever_becomes_a_formula(text: str) -> None:
    frame = pd.DataFrame({"tekst": [text]})
    csv_rows = _read_csv(frame_to_csv_bytes(frame))
    cell = csv_rows[1][0] if len(csv_rows) > 1 and csv_rows[1] else ""
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    sheet = load_workbook(io.BytesIO(frame_to_xlsx_bytes(frame))).active
    assert sheet["A2"].data_type != "f"
