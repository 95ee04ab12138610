"""Tables as downloadable ``.csv`` and ``.xlsx`` files that a spreadsheet cannot execute.

Uploaded text may start with ``=``, ``+``, ``-`` or ``@`` (the importer stores it as text). A
spreadsheet would read such a cell in an exported file as a formula, so every export goes through
this module: in CSV such text gets a leading ``'``, in Excel every text cell is written as a
string cell (never a formula) by the one Excel writer, :mod:`ketendata.files.excel`. This module
turns a frame's values into plain cells (``ja``/``nee``, lists joined by ``;``). Pure module (no
DuckDB, no Streamlit).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd

from ketendata.files import excel

__all__ = [
    "CSV_MIME",
    "FORMULA_PREFIXES",
    "XLSX_MIME",
    "frame_to_csv_bytes",
    "frame_to_xlsx_bytes",
    "is_formula_like",
    "neutralise_frame",
    "neutralise_text",
]

#: Text starting with one of these could be run as a formula by a spreadsheet.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: The MIME types of the two export formats.
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula.

    >>> is_formula_like("=1+1"), is_formula_like("@SUM(A1)"), is_formula_like("Politie")
    (True, True, False)
    """
    return text.startswith(FORMULA_PREFIXES)


def neutralise_text(text: str) -> str:
    """Text that a spreadsheet shows as text: a leading ``'`` before formula-like text.

    >>> neutralise_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_text("-5 dagen")
    "'-5 dagen"
    >>> neutralise_text("Veilig Thuis")
    'Veilig Thuis'
    """
    return "'" + text if is_formula_like(text) else text


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _plain(value: Any) -> Any:
    """A cell value as a plain Python value: numbers, dates, text or None."""
    if _is_missing(value):
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` in which every text cell (and column name) is neutralised.

    Numbers and dates are kept as they are; only text can be a formula.

    >>> neutralise_frame(pd.DataFrame({"naam": ["=1+1", "A"], "n": [1, 2]}))["naam"].tolist()
    ["'=1+1", 'A']
    """
    out = pd.DataFrame(
        {
            neutralise_text(str(column)): [
                neutralise_text(v) if isinstance(v, str) else v
                for v in (_plain(value) for value in frame[column])
            ]
            for column in frame.columns
        },
        dtype=object,
    )
    return out


def frame_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a CSV that Dutch Excel opens directly: ``;``, UTF-8 with BOM, decimal comma.

    >>> frame_to_csv_bytes(pd.DataFrame({"a": ["=2", "x"], "b": [1.5, None]})).decode("utf-8-sig")
    "a;b\\r\\n'=2;1,5\\r\\nx;\\r\\n"
    """
    safe = neutralise_frame(frame)
    rows = ([_csv_cell(value) for value in row] for row in safe.itertuples(index=False, name=None))
    return excel.csv_bytes([list(safe.columns), *rows])


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",") if not value.is_integer() else str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def frame_to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Gegevens") -> bytes:
    """The frame as an ``.xlsx`` with one sheet; every text cell is a string cell, never a formula.

    Characters that the file format cannot hold (control characters) are removed; the header
    is bold and stays in view, dates show as ``dd-mm-jjjj``.

    >>> import io
    >>> from openpyxl import load_workbook
    >>> book = load_workbook(io.BytesIO(frame_to_xlsx_bytes(pd.DataFrame({"a": ["=1+1"]}))))
    >>> cell = book.active["A2"]
    >>> cell.value, cell.data_type
    ('=1+1', 's')
    """
    workbook, sheet = excel.new_workbook(sheet_name)
    rows = ([_plain(value) for value in row] for row in frame.itertuples(index=False, name=None))
    excel.write_table(sheet, frame.columns, rows)
    return excel.save_workbook(workbook)
