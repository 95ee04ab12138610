"""Read an uploaded ``.csv`` or ``.xlsx`` into a header and raw cells, with Excel row numbers.

Reading knows nothing about the columns of a kind beyond choosing the worksheet: it decodes the
file (encoding, separator, worksheet, cached formula values, unpack limit), finds the header row
(the first non-empty row), drops empty rows and fully empty columns, and keeps for every row the
row number the user sees in Excel. Anything it cannot read becomes a
:class:`ketendata.intake.validation.ValidationError` with a Dutch explanation; no other exception
leaves :func:`read_table`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from analysis import codes
from ketendata import columns
from ketendata.intake.problems import Problem, ValidationError
from ketendata.settings import MAX_XLSX_UNPACKED_BYTES

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "CSV_SEPARATORS",
    "RawTable",
    "check_unpacked_size",
    "decode_text",
    "detect_separator",
    "read_table",
]

#: File extensions that can be read, with how to mention them to the user.
ACCEPTED_EXTENSIONS = (".xlsx", ".csv")

#: Candidate CSV separators, in order of preference when they occur equally often.
CSV_SEPARATORS = (";", ",", "\t", "|")

_CHUNK = 1 << 20  # bytes decompressed per step while counting an .xlsx's real size
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass(frozen=True)
class RawTable:
    """The cells of an uploaded file, before any column is interpreted.

    Attributes:
        file_name: the name of the uploaded file.
        sheet: the ``.xlsx`` worksheet that was read, ``None`` for a ``.csv``.
        header_row: the Excel row number of the header row.
        headers: the column headers as the user wrote them (stripped); ``''`` for a column that
            has values but no header.
        rows: ``(Excel row number, cells)`` per non-empty data row; cells are aligned with
            ``headers``; an empty cell is ``None``; ``.csv`` cells are strings, ``.xlsx`` cells
            are what Excel stored (str, int, float, bool, datetime).
    """

    file_name: str
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[object]]]


def read_table(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    *,
    max_unpacked_bytes: int = MAX_XLSX_UNPACKED_BYTES,
) -> RawTable:
    """Read an uploaded file into a :class:`RawTable`.

    Args:
        data: the bytes of the file.
        file_name: its name; the extension decides how it is read (``.xlsx`` or ``.csv``).
        kind: the upload kind when known; chooses the ``.xlsx`` sheet named like it.
        max_unpacked_bytes: an ``.xlsx`` that unpacks to more than this is refused.

    Raises:
        ValidationError: the file cannot be read (wrong type, damaged, too large, empty, a
            formula without a value Excel saved).
    """
    extension = PurePath(file_name or "").suffix.lower()
    try:
        if extension == ".csv":
            return _read_csv(bytes(data), file_name)
        if extension == ".xlsx":
            return _read_xlsx(bytes(data), file_name, kind, max_unpacked_bytes)
    except ValidationError:
        raise
    except Exception as error:  # any unreadable input must become a clean error
        raise _file_error(
            f"het bestand '{file_name}' kan niet worden gelezen: het is beschadigd "
            "of het is geen echt Excel- of CSV-bestand",
            "een .xlsx- of .csv-bestand dat in Excel opent; sla het daar opnieuw op",
        ) from error
    shown = extension or "zonder extensie"
    raise _file_error(
        f"het bestandstype van '{file_name}' ({shown}) wordt niet ondersteund",
        "een Excel-werkmap (.xlsx) of een CSV-bestand (.csv)",
    )


def _file_error(message: str, expected: str) -> ValidationError:
    return ValidationError([Problem(None, None, None, message, expected)])


# --- CSV ---------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Decode CSV bytes as UTF-8 (with or without BOM), else as Windows-1252.

    >>> decode_text("Financiën".encode("utf-8-sig"))
    'Financiën'
    >>> decode_text("Financiën".encode("cp1252"))
    'Financiën'
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _file_error(
            "de tekens in het bestand zijn niet te lezen",
            "een CSV-bestand in UTF-8 of Windows-1252 (in Excel: 'CSV UTF-8' of 'CSV (puntkomma)')",
        ) from error


def detect_separator(text: str) -> str:
    """The CSV separator: the candidate that occurs most often, outside quotes, in the first line
    with any letter or digit (the header). Ties prefer ``;`` (Dutch Excel), then ``,``.

    A count is more predictable than ``csv.Sniffer`` here: data rows often contain ``,`` or ``;``
    inside multi-valued cells, while the header line does not.

    >>> detect_separator("regio;organisatie;partner\\nA;B;C")
    ';'
    >>> detect_separator('\\n;;\\nregio,organisatie,"partner; type"')
    ','
    >>> detect_separator("regio")
    ';'
    """
    for line in text.splitlines():
        if not any(ch.isalnum() for ch in line):
            continue
        counts = dict.fromkeys(CSV_SEPARATORS, 0)
        quoted = False
        for ch in line:
            if ch == '"':
                quoted = not quoted
            elif not quoted and ch in counts:
                counts[ch] += 1
        best = max(CSV_SEPARATORS, key=lambda sep: counts[sep])
        if counts[best]:
            return best
        break
    return ";"


def _read_csv(data: bytes, file_name: str) -> RawTable:
    text = decode_text(data)
    # Excel honours a first line "sep=;" and does not show it as a row
    directive = re.match(r"sep=(.)[ \t]*(?:\r\n|\r|\n|$)", text)
    if directive:
        separator, text = directive.group(1), text[directive.end() :]
    else:
        separator = detect_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
    records: list[tuple[int, list[object]]] = []
    try:
        # Excel shows every record as one row, also a quoted cell with line breaks and a blank
        # line, so the record count is the row number the user sees
        # csv cells are str: blank is empty or only whitespace (what str.strip() removes)
        records = [
            (number, [cell if cell and not cell.isspace() else None for cell in record])
            for number, record in enumerate(reader, start=1)
        ]
    except csv.Error as error:
        raise _file_error(
            f"het CSV-bestand is niet goed opgebouwd rond regel {reader.line_num} ({error})",
            "een CSV-bestand zoals Excel het opslaat, met aanhalingstekens die gesloten worden",
        ) from error
    return _build_table(file_name, None, records)


def _blank_to_none(cell: object) -> object:
    if cell is None:
        return None
    if isinstance(cell, str):
        return cell if cell.strip() else None
    return cell


# --- XLSX --------------------------------------------------------------------------------------


def check_unpacked_size(data: bytes, limit: int = MAX_XLSX_UNPACKED_BYTES) -> int:
    """Refuse a zip (an ``.xlsx``) whose parts unpack to more than ``limit`` bytes in total.

    Checks the sizes the zip declares first, then decompresses every part as a stream and counts
    the bytes that really come out (the declared sizes can lie), stopping as soon as the total
    passes the limit. Returns the real unpacked size.

    Raises:
        ValidationError: the file is not a zip, is damaged, or is too large.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise _file_error(
            "het bestand is geen geldige Excel-werkmap (.xlsx) of is beschadigd",
            "een .xlsx-bestand dat in Excel opent, zonder wachtwoord; "
            "een oud .xls-bestand eerst opslaan als .xlsx",
        ) from error
    with archive:
        infos = archive.infolist()
        declared = sum(info.file_size for info in infos)
        if declared > limit:
            raise _too_large(limit)
        total = 0
        try:
            for info in infos:
                for chunk_size in _unpack_sizes(data, archive, info):
                    total += chunk_size
                    if total > limit:
                        raise _too_large(limit)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as error:
            raise _file_error(
                "het Excel-bestand is beschadigd: een onderdeel kan niet worden uitgepakt",
                "een .xlsx-bestand dat in Excel opent en opnieuw is opgeslagen",
            ) from error
    return total


def _too_large(limit: int) -> ValidationError:
    megabytes = limit / (1024 * 1024)
    shown = f"{megabytes:.0f} MB" if megabytes >= 1 else f"{limit} bytes"
    return _file_error(
        f"het Excel-bestand is te groot: uitgepakt zou het meer dan {shown} zijn",
        "een kleiner bestand, bijvoorbeeld zonder afbeeldingen of met minder tabbladen",
    )


def _unpack_sizes(data: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """Yield the sizes of the chunks a zip member really decompresses to.

    Deflated members are inflated from their raw bytes with zlib, ignoring the declared size
    (``zipfile`` itself stops at the declared size); other methods go through ``zipfile``.
    """
    if info.compress_type == zipfile.ZIP_DEFLATED:
        offset = info.header_offset
        header = data[offset : offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        name_length = int.from_bytes(header[26:28], "little")
        extra_length = int.from_bytes(header[28:30], "little")
        position = offset + 30 + name_length + extra_length
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = b""
        while not inflater.eof:
            if not pending:
                pending = data[position : position + _CHUNK]
                position += len(pending)
                if not pending:
                    break  # truncated stream; openpyxl will report the damage
            out = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            yield len(out)
        return
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            yield len(chunk)


def _read_xlsx(data: bytes, file_name: str, kind: str | None, limit: int) -> RawTable:
    check_unpacked_size(data, limit)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        has_formulas = any(
            _FORMULA_TAG.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )
    import openpyxl  # imported here: reading a CSV should not pay for it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on damaged files
            raise _file_error(
                "het bestand is geen geldige Excel-werkmap (.xlsx) of is beschadigd",
                "een .xlsx-bestand dat in Excel opent en opnieuw is opgeslagen",
            ) from error
        try:
            sheet = _choose_sheet(workbook, kind)
            if sheet is None:
                raise _file_error(
                    "de Excel-werkmap heeft geen werkblad met cellen",
                    "een werkblad met de kolomkoppen in de eerste gevulde rij",
                )
            records = _sheet_records(sheet)
            title = sheet.title
        finally:
            workbook.close()
        if has_formulas:
            _check_formulas(data, title, records)
    return _build_table(file_name, title, records)


def _choose_sheet(workbook, kind: str | None):
    """The sheet named like ``kind`` (or like any kind when ``kind`` is None), else the first."""
    sheets = list(workbook.worksheets)
    if not sheets:
        return None
    wanted = [kind] if kind in columns.SHEET_NAMES else list(columns.SHEET_NAMES)
    keys = {codes.normalize_token(columns.SHEET_NAMES[k]) for k in wanted} | {
        codes.normalize_token(k) for k in wanted
    }
    for sheet in sheets:
        if codes.normalize_token(sheet.title) in keys:
            return sheet
    return sheets[0]


def _sheet_records(sheet) -> list[tuple[int, list[object]]]:
    # a stored <dimension> can claim a huge range; reading without it avoids padding to it
    sheet.reset_dimensions()
    records = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if values:
            records.append((number, [_blank_to_none(value) for value in values]))
    return records


def _check_formulas(data: bytes, title: str, records: list[tuple[int, list[object]]]) -> None:
    """Refuse formulas Excel saved no value for (files written by programs, never opened)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = workbook[title]
        sheet.reset_dimensions()
        formula_cells = [
            (cell.row, cell.column)
            for row in sheet.iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        ]
    finally:
        workbook.close()
    if not formula_cells:
        return
    values = {number: cells for number, cells in records}
    header = next((cells for _, cells in records if any(c is not None for c in cells)), [])
    problems = []
    for row, column in formula_cells:
        cells = values.get(row, [])
        if column - 1 < len(cells) and cells[column - 1] is not None:
            continue  # Excel saved a value: that is what we read
        named = column - 1 < len(header) and header[column - 1] is not None
        problems.append(
            Problem(
                row,
                _header_text(header[column - 1]) if named else get_column_letter(column),
                None,
                "deze cel bevat een formule waarvan Excel geen uitkomst heeft opgeslagen",
                "open het bestand in Excel, sla het op en upload het opnieuw",
            )
        )
    if problems:
        raise ValidationError(problems)


# --- Shared ------------------------------------------------------------------------------------


def _build_table(
    file_name: str, sheet: str | None, records: list[tuple[int, list[object]]]
) -> RawTable:
    """Find the header row, drop empty rows and fully empty columns, align cells to headers."""
    records = [(number, cells) for number, cells in records if cells.count(None) != len(cells)]
    if not records:
        where = f"het werkblad '{sheet}'" if sheet else "het bestand"
        raise _file_error(
            f"{where} is leeg",
            "een eerste gevulde rij met kolomkoppen en daaronder een rij per gegeven",
        )
    header_row, header_cells = records[0]
    width = max(len(cells) for _, cells in records)
    # every row as long as the widest (short rows padded with empty cells)
    data_rows = [
        (number, cells if len(cells) == width else cells + [None] * (width - len(cells)))
        for number, cells in records[1:]
    ]
    headers = [_header_text(cell) for cell in header_cells] + [""] * (width - len(header_cells))
    keep = [
        index
        for index in range(width)
        if headers[index] or any(cells[index] is not None for _, cells in data_rows)
    ]
    # a dropped column is empty in every data row, so no data row becomes empty here
    rows = (
        data_rows
        if len(keep) == width
        else [(number, [cells[index] for index in keep]) for number, cells in data_rows]
    )
    return RawTable(
        file_name=file_name,
        sheet=sheet,
        header_row=header_row,
        headers=[headers[index] for index in keep],
        rows=rows,
    )


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    return str(cell).strip()
