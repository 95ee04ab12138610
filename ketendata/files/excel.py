"""The one Dutch-Excel writer: every ``.xlsx`` Ketenkaart writes, and the ``.csv`` Excel saves.

Templates, exports and the demo and synthetic upload files make their workbooks here, so the
Dutch defaults live in one place: dates shown as ``dd-mm-jjjj``, a text format that keeps
``2026-07`` as typed, column widths from the header, a bold, frozen header row. A text cell is
always written as text, never as a formula, whatever it starts with (uploaded text may start
with ``=``), and characters the file format cannot hold are dropped. Given a timestamp, the bytes
repeat: the same content gives the same file. The CSV is the one Dutch Excel saves: ``;``,
UTF-8 with BOM, CRLF. Pure module (no DuckDB, no pandas, no Streamlit).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

    #: A worksheet of either kind: an ordinary one, or a streaming one for large files.
    Sheet = Worksheet | WriteOnlyWorksheet

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "HEADER_FONT",
    "TEXT_FORMAT",
    "column_width",
    "csv_bytes",
    "excel_value",
    "new_workbook",
    "repeatable_zip",
    "save_workbook",
    "write_table",
]

#: Excel number format of dates; Dutch Excel shows it as ``dd-mm-jjjj``.
DATE_FORMAT = "dd-mm-yyyy"

#: Excel number format of a date with a time of day.
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"

#: Excel's text format: keeps ``2026-07`` or ``007`` as typed instead of turning it into a date.
TEXT_FORMAT = "@"

#: The font of a header row.
HEADER_FONT = Font(bold=True)

_SHEET_NAME_MAX = 31  # Excel refuses longer sheet names
# What XML 1.0 cannot hold: control characters (openpyxl refuses them), U+FFFE and U+FFFF (openpyxl
# writes them and the file no longer opens) and lone surrogates (no UTF-8 for them).
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def new_workbook(sheet_name: str, *, write_only: bool = False) -> tuple[Workbook, Sheet]:
    """A workbook with one sheet named ``sheet_name`` (cut to Excel's 31 characters).

    ``write_only`` gives a streaming sheet for large files: rows can only be appended, and
    column widths and the frozen header must be set before the first row (``write_table``
    does so).

    >>> workbook, sheet = new_workbook("Afspraken")
    >>> workbook.sheetnames
    ['Afspraken']
    """
    if write_only:
        workbook = Workbook(write_only=True)
        return workbook, workbook.create_sheet(sheet_name[:_SHEET_NAME_MAX])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:_SHEET_NAME_MAX]
    return workbook, sheet


def column_width(header: str) -> int:
    """The width of a column: its header and a little room, at least 12 and at most 60.

    >>> column_width("regio"), column_width("met_informatieoverdracht"), column_width("x" * 99)
    (12, 26, 60)
    """
    return max(12, min(60, len(header) + 2))


def excel_value(sheet: Sheet, value: object, date_format: str = DATE_FORMAT) -> object:
    """What to append to ``sheet`` for ``value``: text that stays text, a date shown the Dutch way.

    Text loses the characters the file format cannot hold (control characters, U+FFFE and
    U+FFFF); text starting with ``=`` becomes a cell forced to the string type (openpyxl would
    store it as a formula). A date becomes a cell with ``date_format`` (a date with a time of
    day: ``DATETIME_FORMAT``). Anything else (numbers, None for an empty cell) is returned as it
    is.

    >>> workbook, sheet = new_workbook("Blad")
    >>> cell = excel_value(sheet, "=1+1")
    >>> cell.value, cell.data_type
    ('=1+1', 's')
    >>> excel_value(sheet, date(2026, 3, 1)).number_format
    'dd-mm-yyyy'
    >>> excel_value(sheet, "a\\x01b"), excel_value(sheet, 7)
    ('ab', 7)
    """
    if isinstance(value, str):
        text = _NOT_IN_XML.sub("", value)
        if not text.startswith("="):
            return text
        cell = _cell(sheet, text)
        cell.data_type = "s"
        return cell
    if isinstance(value, date):
        cell = _cell(sheet, value)
        # Set after the value: openpyxl then has its own format on record first (the bytes of
        # the demo files, which tests/test_demo.py pins, depend on that order).
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else date_format
        return cell
    return value


def write_table(
    sheet: Sheet,
    header: Iterable[object],
    rows: Iterable[Sequence[object]],
    *,
    styled: bool = True,
    date_format: str = DATE_FORMAT,
) -> None:
    """Write a header row and the rows under it, from the first cell of an empty sheet.

    Every value goes through :func:`excel_value`; every column gets :func:`column_width`.

    Args:
        sheet: an empty sheet from :func:`new_workbook`.
        header: the column names (written as text).
        rows: the rows, each a sequence of cell values (None for an empty cell).
        styled: a bold header row that stays in view when scrolling (Ketenkaart's own files);
            False for a plain sheet as a person's own spreadsheet looks (the sample uploads).
        date_format: the number format of date cells.
    """
    names = [str(name) for name in header]
    for index, name in enumerate(names, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(name)
    if styled:
        sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, name, styled) for name in names])
    for row in rows:
        sheet.append([excel_value(sheet, value, date_format) for value in row])


def _header_cell(sheet: Sheet, name: str, styled: bool) -> object:
    value = excel_value(sheet, name)
    if not styled:
        return value
    cell = value if isinstance(value, Cell) else _cell(sheet, value)
    cell.font = HEADER_FONT
    return cell


def _cell(sheet: Sheet, value: object) -> Cell:
    """A cell to append (the sheet gives it its place; a streaming sheet wants one already)."""
    return Cell(sheet, row=1, column=1, value=value)


def save_workbook(workbook: Workbook, stamp: datetime | None = None) -> bytes:
    """The workbook as ``.xlsx`` bytes; with ``stamp``, repeatable (see :func:`repeatable_zip`).

    Without ``stamp`` the file carries the time of writing, as openpyxl stamps it.
    """
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    return data if stamp is None else repeatable_zip(data, stamp)


def repeatable_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite an ``.xlsx`` (a zip) so that the same content always gives the same bytes.

    ``Workbook.save`` stamps the current time on every zip entry and on the document's
    ``created`` and ``modified`` dates (overwriting whatever was set); all of them get ``stamp``.

    >>> workbook, sheet = new_workbook("Blad")
    >>> stamp = datetime(2026, 1, 1)
    >>> save_workbook(workbook, stamp) == save_workbook(workbook, stamp)
    True
    """
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(lambda m: m.group(1) + iso + m.group(3), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return output.getvalue()


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """Rows (the header first) as CSV the way Dutch Excel saves it: ``;``, UTF-8 with BOM, CRLF.

    Values are written as ``str`` gives them and None as an empty cell; a caller that needs
    Dutch decimals or dates, or formula-safe text, prepares its values first.

    >>> csv_bytes([["a", "b"], [1, None]])
    b'\\xef\\xbb\\xbfa;b\\r\\n1;\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")
