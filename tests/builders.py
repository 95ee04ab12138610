"""Build real upload files (CSV and XLSX bytes) for tests.

Rows are lists of cells; the first row is usually the header. ``None`` is an empty cell.

    csv_bytes([["regio", "organisatie"], ["Noord", "Opvang Noord"]])          # ; and UTF-8 BOM
    csv_bytes(rows, sep=",", encoding="cp1252")                               # other dialects
    xlsx_bytes(rows, sheet="Afspraken")                                       # one worksheet
    xlsx_bytes(rows, sheet="Afspraken", extra_sheets={"Uitleg": [["tekst"]]}) # more worksheets
    xlsx_bytes([["regio", Formula("A1&B1", cached="x")]])                     # a formula cell
    valid_rows("afspraken")                                                   # header + valid rows

In ``.xlsx`` a ``str`` cell is always stored as text, even when it starts with ``=``; use
:class:`Formula` for a real formula. ``datetime``/``date`` cells become real Excel dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

import openpyxl


@dataclass(frozen=True)
class Formula:
    """An ``.xlsx`` formula cell. ``cached`` is the value Excel would have saved with it; None
    writes the formula without a saved value (as programs that never calculate do)."""

    expression: str
    cached: object = None


def csv_bytes(
    rows: list[list], sep: str = ";", encoding: str = "utf-8-sig", line_end: str = "\r\n"
) -> bytes:
    """The bytes of a CSV file as Excel writes it (``\\r\\n``, quotes only where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=line_end)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(
    rows: list[list],
    sheet: str = "Afspraken",
    extra_sheets: dict[str, list[list]] | None = None,
    extra_first: bool = False,
) -> bytes:
    """The bytes of an ``.xlsx`` with ``rows`` on worksheet ``sheet``.

    Args:
        rows: the cells, row by row, starting at A1.
        sheet: the name of the worksheet holding ``rows``.
        extra_sheets: more worksheets (name -> rows).
        extra_first: put the extra worksheets before ``sheet`` (so ``sheet`` is not the first).
    """
    sheets = {sheet: rows}
    if extra_sheets:
        sheets = {**extra_sheets, **sheets} if extra_first else {**sheets, **extra_sheets}
    return xlsx_workbook_bytes(sheets)


def xlsx_workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """The bytes of an ``.xlsx`` with one worksheet per entry, in the order given."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    cached: dict[int, dict[str, object]] = {}
    for index, (name, rows) in enumerate(sheets.items(), start=1):
        worksheet = workbook.create_sheet(name)
        for row_number, row in enumerate(rows, start=1):
            for column_number, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = worksheet.cell(row=row_number, column=column_number)
                if isinstance(value, Formula):
                    cell.value = "=" + value.expression
                    if value.cached is not None:
                        cached.setdefault(index, {})[cell.coordinate] = value.cached
                else:
                    cell.value = value
                    if isinstance(value, str):
                        cell.data_type = "s"  # text that starts with = stays text
                    if isinstance(value, dt.datetime | dt.date):
                        cell.number_format = "dd-mm-yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    return _add_cached_values(data, cached) if cached else data


def _add_cached_values(data: bytes, cached: dict[int, dict[str, object]]) -> bytes:
    """Write the values Excel would have cached into the formula cells of the sheet XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match and int(match.group(1)) in cached:
                text = content.decode("utf-8")
                for coordinate, value in cached[int(match.group(1))].items():
                    text = _cache_one(text, coordinate, value)
                content = text.encode("utf-8")
            target.writestr(info.filename, content)
    return out.getvalue()


def _cache_one(xml: str, coordinate: str, value: object) -> str:
    pattern = re.compile(rf'<c r="{coordinate}"([^>]*)><f>(.*?)</f><v\s*/>')
    if isinstance(value, bool):
        kind, text = ' t="b"', "1" if value else "0"
    elif isinstance(value, int | float):
        kind, text = "", repr(value)
    else:
        kind, text = ' t="str"', escape(str(value))
    return pattern.sub(
        lambda m: f'<c r="{coordinate}"{m.group(1)}{kind}><f>{m.group(2)}</f><v>{text}</v>',
        xml,
        count=1,
    )


#: Header and valid rows per kind: the smallest files that import cleanly.
_VALID_ROWS: dict[str, list[list]] = {
    "afspraken": [
        [
            "regio",
            "organisatie",
            "organisatietype",
            "partner",
            "partnertype",
            "afspraaktypes",
            "niveau",
            "status",
            "kindspecifiek",
            "ingangsdatum",
            "einddatum",
            "geevalueerd_op",
            "afspraak_id",
            "toelichting",
        ],
        [
            "Regio Noord",
            "Opvang Noord",
            "vrouwenopvang",
            "Veilig Thuis Noord",
            "veilig_thuis",
            "meldcode;informatie_uitwisseling",
            "organisatie",
            "schriftelijk",
            "ja",
            "2025-01-01",
            "",
            "2026-01-15",
            "A1",
            "Convenant meldcode",
        ],
        [
            "Regio Noord",
            "Opvang Noord",
            "",
            "Politie Noord",
            "politie",
            "veiligheid",
            "",
            "mondeling",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ],
    "overdrachten": [
        [
            "regio",
            "organisatie",
            "periode",
            "fase",
            "partner",
            "partnertype",
            "gezinnen",
            "warm",
            "kinderen",
            "kind_overgedragen",
            "met_informatieoverdracht",
            "met_persoonlijk_contact",
            "met_ketenafspraken",
            "regisseur_belegd",
            "veiligheidsplan_gedeeld",
        ],
        [
            "Regio Noord",
            "Opvang Noord",
            "2026-Q1",
            "uitstroom",
            "Wijkteam Noord",
            "wijkteam",
            "10",
            "7",
            "15",
            "9",
            "8",
            "6",
            "5",
            "4",
            "3",
        ],
        [
            "Regio Noord",
            "Opvang Noord",
            "2026-Q1",
            "instroom",
            "",
            "veilig_thuis",
            "4",
            "4",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ],
    "stagnatie": [
        [
            "regio",
            "respondent",
            "periode",
            "domein",
            "onderwerp",
            "partner",
            "partnertype",
            "ernst",
            "wachttijd_dagen",
            "gezinnen",
            "extra_verblijfsdagen",
            "toelichting",
        ],
        [
            "Regio Noord",
            "Opvang Noord",
            "2026-Q1",
            "financien",
            "uitkering",
            "Gemeente Noord",
            "werk_inkomen",
            "4",
            "42,5",
            "6",
            "120",
            "Uitkering start pas na verhuizing",
        ],
        [
            "Regio Noord",
            "Opvang Noord",
            "2026-Q1",
            "wonen",
            "woningaanbod",
            "",
            "",
            "5",
            "",
            "",
            "",
            "",
        ],
    ],
}


def valid_rows(kind: str) -> list[list]:
    """A fresh copy of the header and valid data rows of ``kind`` (all cells are text)."""
    return [list(row) for row in _VALID_ROWS[kind]]


def header_index(kind: str, column: str) -> int:
    """The position of ``column`` in the header of :func:`valid_rows`."""
    return _VALID_ROWS[kind][0].index(column)


def with_cell(kind: str, column: str, value: object, row: int = 1) -> list[list]:
    """:func:`valid_rows` with one cell replaced (``row`` 1 is the first data row)."""
    rows = valid_rows(kind)
    rows[row][header_index(kind, column)] = value
    return rows
