"""Read an uploaded ``.csv`` or ``.xlsx`` into a header and raw cells, with Excel row numbers.

Reading knows nothing about the columns of a kind beyond choosing the worksheet: it decodes the
file (encoding, separator, worksheet, cached formula values, unpack limit), finds the header row
(the first non-empty row), drops empty rows and fully empty columns, and keeps for every row the
row number the user sees in Excel. Anything it cannot read becomes a
:class:`ketendata.intake.validation.ValidationError` with a Dutch explanation; no other exception
leaves :func:`read_table`.

Reading also refuses what no cell may hold, whatever its column: a byte the file's encoding
cannot read, control and bidi characters, and a name that mixes scripts within a word
(:mod:`ketendata.intake.cells`), each with its row, column and the value shown escaped.

Its cost is bounded before anything is built from the cells: blank lines at the end are cut off
in one step, blank rows elsewhere are counted but never kept, and a file with more than
:data:`MAX_ROWS` rows with data, more than :data:`MAX_SHEET_ROWS` rows in all or a row wider
than :data:`MAX_COLUMNS` is refused while it is read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import PurePath

from analysis import codes
from ketendata import columns
from ketendata.intake.cells import (
    FORBIDDEN_CHARACTERS,
    check_name,
    check_text,
    escape_text,
    mixed_script_words,
)
from ketendata.intake.privacy import find_personal_data, safe_file_name
from ketendata.intake.problems import ECHO_LENGTH, CellError, Problem, ValidationError
from ketendata.settings import MAX_XLSX_UNPACKED_BYTES

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "CELLS_PER_ROW",
    "CSV_SEPARATORS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SHEET_ROWS",
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

#: Most data rows (rows with a value below the header) one file may have: far above a region's
#: inventory (about a thousand rows) and all regions at once (about 40,000 at the synthetic
#: national scale), and what a request can read and check in seconds.
MAX_ROWS = 100_000

#: Most rows in all, blank rows included: what one Excel worksheet can hold.
MAX_SHEET_ROWS = 1_048_576

#: Most columns a row may fill: every kind has fewer than twenty.
MAX_COLUMNS = 500

_CHUNK = 1 << 20  # bytes decompressed per step while counting an .xlsx's real size
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")

#: An ``.xlsx`` sheet may hold this many cell elements per allowed data row (every kind has
#: fewer than twenty columns; the rest is room for extra columns and formatted cells).
CELLS_PER_ROW = 30


class RawTable:
    """The cells of an uploaded file, before any column is interpreted.

    Reading keeps the cells column by column (:meth:`cells_by_column`), as the checks read them;
    :attr:`rows` is made from the columns when it is first asked for. A table can also be made
    from rows (``RawTable(file_name, sheet, header_row, headers, rows)``). Read-only.

    Attributes:
        file_name: the name of the uploaded file.
        sheet: the ``.xlsx`` worksheet that was read, ``None`` for a ``.csv``.
        header_row: the Excel row number of the header row.
        headers: the column headers as the user wrote them (stripped); ``''`` for a column that
            has values but no header.
        rows: ``(Excel row number, cells)`` per non-empty data row; cells are aligned with
            ``headers``; an empty cell is ``None``; ``.csv`` cells are strings, ``.xlsx`` cells
            are what Excel stored (str, int, float, bool, datetime).
        row_numbers: the Excel row number of every data row, in order.
    """

    __slots__ = ("file_name", "sheet", "header_row", "headers", "row_numbers", "_rows", "_columns")

    def __init__(
        self,
        file_name: str,
        sheet: str | None,
        header_row: int,
        headers: list[str],
        rows: list[tuple[int, list[object]]] | None = None,
        *,
        columns: list[list[object]] | None = None,
        row_numbers: list[int] | None = None,
    ) -> None:
        if (rows is None) == (columns is None or row_numbers is None):
            raise TypeError("RawTable takes rows, or columns and row_numbers")
        set_ = object.__setattr__
        set_(self, "file_name", file_name)
        set_(self, "sheet", sheet)
        set_(self, "header_row", header_row)
        set_(self, "headers", headers)
        set_(self, "_rows", rows)
        set_(self, "_columns", columns)
        set_(self, "row_numbers", [n for n, _ in rows] if rows is not None else row_numbers)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"RawTable is read-only ({name})")

    def __repr__(self) -> str:
        return (
            f"RawTable(file_name={self.file_name!r}, sheet={self.sheet!r}, "
            f"header_row={self.header_row!r}, headers={self.headers!r}, "
            f"rows=<{len(self.row_numbers)}>)"
        )

    @property
    def rows(self) -> list[tuple[int, list[object]]]:
        """``(Excel row number, cells)`` per data row (made from the columns once)."""
        if self._rows is None:
            cells = map(list, zip(*self._columns, strict=True)) if self._columns else ()
            rows = list(zip(self.row_numbers, cells, strict=True)) if self._columns else []
            object.__setattr__(self, "_rows", rows)
        return self._rows

    def cells_by_column(self) -> list[Sequence[object]]:
        """The cells column by column, one sequence per header (at least), each as long as
        :attr:`row_numbers`; a row's missing cells are None."""
        if self._columns is not None:
            return self._columns
        width = max([len(self.headers)] + [len(cells) for _, cells in self._rows])
        if not self._rows:
            return [()] * width
        by_column = list(itertools.zip_longest(*(cells for _, cells in self._rows)))
        return by_column + [(None,) * len(self._rows)] * (width - len(by_column))

    def row_cells(self, position: int) -> list[object]:
        """The cells of the data row at ``position`` (0 for the first)."""
        if self._rows is not None:
            return self._rows[position][1]
        return [cells[position] for cells in self._columns]


def read_table(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    *,
    max_unpacked_bytes: int = MAX_XLSX_UNPACKED_BYTES,
    max_rows: int = MAX_ROWS,
) -> RawTable:
    """Read an uploaded file into a :class:`RawTable`.

    Args:
        data: the bytes of the file.
        file_name: its name; the extension decides how it is read (``.xlsx`` or ``.csv``).
        kind: the upload kind when known; chooses the ``.xlsx`` sheet named like it.
        max_unpacked_bytes: an ``.xlsx`` that unpacks to more than this is refused.
        max_rows: a file with more data rows than this (rows with a value below the header) is
            refused while it is read, before its cells are kept.

    Raises:
        ValidationError: the file cannot be read (wrong type, damaged, too large, empty, a
            formula without a value Excel saved).
    """
    extension = PurePath(file_name or "").suffix.lower()
    try:
        if extension == ".csv":
            return _read_csv(bytes(data), file_name, max_rows)
        if extension == ".xlsx":
            return _read_xlsx(bytes(data), file_name, kind, max_unpacked_bytes, max_rows)
    except ValidationError:
        raise
    except Exception as error:  # any unreadable input must become a clean error
        raise _file_error(
            f"het bestand '{safe_file_name(file_name)}' kan niet worden gelezen: het is beschadigd "
            "of het is geen echt Excel- of CSV-bestand",
            "een .xlsx- of .csv-bestand dat in Excel opent; sla het daar opnieuw op",
        ) from error
    shown = extension or "zonder extensie"
    raise _file_error(
        f"het bestandstype van '{safe_file_name(file_name)}' ({shown}) wordt niet ondersteund",
        "een Excel-werkmap (.xlsx) of een CSV-bestand (.csv)",
    )


def _file_error(message: str, expected: str) -> ValidationError:
    return ValidationError([Problem(None, None, None, message, expected)])


# --- CSV ---------------------------------------------------------------------------------------


#: How a message names the encodings a CSV file is read in.
UTF8, CP1252, UTF16, UTF32 = "UTF-8", "Windows-1252", "UTF-16", "UTF-32"

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_DECODED_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_SAVE_AS_UTF8 = "sla het bestand in Excel op als 'CSV UTF-8 (door komma's gescheiden)'"


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Windows-1252; UTF-16 and UTF-32 when a
    BOM or the pattern of zero bytes says so (Excel's "Unicode-tekst").

    A file is read in one encoding. A UTF-8 file with a byte that is not UTF-8 (a stray
    Windows-1252 character) is refused, naming the lines, instead of being read as Windows-1252
    and turning every accent into two characters. :func:`read_table` names the row and column.

    >>> decode_text("Financiën".encode("utf-8-sig"))
    'Financiën'
    >>> decode_text("Financiën".encode("cp1252")), decode_text("Financiën".encode("utf-16"))
    ('Financiën', 'Financiën')
    >>> decode_text("Financiën\\n".encode() + "Financiën".encode("cp1252"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ketendata.intake.problems.ValidationError: regel 2: een teken is geen UTF-8 (byte 0xEB; ...
    """
    text, encoding = _decode(data)
    if _ESCAPED_BYTE.search(text) is None:
        return text
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = _ESCAPED_BYTE.search(line)
        if match is not None:
            message, expected = _undecodable(match.group(), encoding)
            problems.append(Problem(None, None, None, f"regel {number}: {message}", expected))
    raise ValidationError(problems)


def _decode(data: bytes) -> tuple[str, str]:
    """The text of CSV bytes and the encoding it was read in (:data:`UTF8`, ...).

    A byte the encoding cannot read stays in the text as a surrogate escape (U+DC80 + the byte),
    so that the cell holding it can be named. UTF-8 wins when any non-ASCII character decodes as
    UTF-8: a Windows-1252 file practically never holds a valid UTF-8 sequence, a UTF-8 file with a
    stray byte always does.

    Raises:
        ValidationError: a UTF-16 or UTF-32 file that is damaged.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _decode_wide(data, "utf-32", UTF32), UTF32
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_wide(data, "utf-16", UTF16), UTF16
    wide = _utf16_without_bom(data)
    if wide is not None:
        return _decode_wide(data, wide, UTF16), UTF16
    if data.startswith(codecs.BOM_UTF8):
        after_bom = memoryview(data)[len(codecs.BOM_UTF8) :]  # not a copy of the bytes
        return str(after_bom, "utf-8", "surrogateescape"), UTF8
    text = data.decode("utf-8", "surrogateescape")
    if _ESCAPED_BYTE.search(text) is None or _DECODED_NON_ASCII.search(text) is not None:
        return text, UTF8
    return data.decode("cp1252", "surrogateescape"), CP1252


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the zero bytes of the start of ``data`` fall on every
    other byte, as they do for text that is mostly Latin in UTF-16; else None.

    >>> _utf16_without_bom("regio;partner".encode("utf-16-le")), _utf16_without_bom(b"regio")
    ('utf-16-le', None)
    """
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _decode_wide(data: bytes, codec: str, encoding: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise _file_error(
            f"het bestand is opgeslagen als {encoding} (in Excel: 'Unicode-tekst'), maar is "
            "beschadigd of afgebroken: de tekens zijn niet te lezen",
            f"{_SAVE_AS_UTF8} of als Excel-werkmap (.xlsx) en upload het opnieuw",
        ) from error


def _undecodable(escaped: str, encoding: str) -> tuple[str, str]:
    """What is wrong with a byte ``encoding`` cannot read (as its surrogate escape), and what to
    do about it."""
    byte = ord(escaped) - 0xDC00
    if encoding == UTF8:
        try:
            guess = f"; in Windows-1252 is dat '{bytes([byte]).decode('cp1252')}'"
        except UnicodeDecodeError:
            guess = ""
        return (
            f"een teken is geen UTF-8 (byte 0x{byte:02X}{guess}), terwijl de rest van het "
            "bestand UTF-8 is",
            _SAVE_AS_UTF8,
        )
    return (
        f"de tekens zijn niet te lezen: byte 0x{byte:02X} bestaat niet in UTF-8 en niet in "
        "Windows-1252",
        "een CSV-bestand in UTF-8 of Windows-1252 (in Excel: 'CSV UTF-8' of 'CSV (puntkomma)')",
    )


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
    header = _HEADER_LINE.search(text)  # found without splitting a padded file into lines
    if header is None:
        return ";"
    counts = dict.fromkeys(CSV_SEPARATORS, 0)
    quoted = False
    for ch in header.group():
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(CSV_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


#: The first line with a letter or digit.
_HEADER_LINE = re.compile(r"[^\r\n]*[^\W_][^\r\n]*")


def _read_csv(data: bytes, file_name: str, max_rows: int) -> RawTable:
    text, encoding = _decode(data)
    # Excel honours a first line "sep=;" and does not show it as a row
    directive = re.match(r"sep=(.)[ \t]*(?:\r\n|\r|\n|$)", text)
    if directive:
        separator, text = directive.group(1), text[directive.end() :]
    else:
        separator = detect_separator(text)
    # Blank lines at the end (padding, however long) go in one step, before the parser sees them.
    text = text.rstrip(" \t\r\n" + separator)
    reader = csv.reader(_lines(text), delimiter=separator, strict=False)
    try:
        numbers, header, by_column = _csv_records(reader, max_rows)
    except csv.Error as error:
        raise _file_error(
            f"het CSV-bestand is niet goed opgebouwd rond regel {reader.line_num} ({error})",
            "een CSV-bestand zoals Excel het opslaat, met aanhalingstekens die gesloten worden",
        ) from error
    table = _build_table(file_name, None, numbers, header, by_column, raw_text=True)
    # One search over the whole text passes a file without any suspect character: then only
    # the name columns are judged (for mixed scripts), each distinct name once.
    suspect = FORBIDDEN_CHARACTERS.search(text) is not None or (
        _ESCAPED_BYTE.search(text) is not None
    )
    problems = _character_problems(table, encoding, suspect=suspect)
    if problems:
        raise ValidationError(problems)
    return table


#: Characters of text handed to the CSV reader at a time (see :func:`_lines`).
_PIECE = 1 << 20


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their line ends, as a file opened with ``newline=""`` gives
    them (``\\r\\n``, ``\\r`` or ``\\n``).

    A piece of about :data:`_PIECE` characters at a time goes through a StringIO, which splits
    it into lines without a step of Python per line; one StringIO of the whole text would hold
    it again at four bytes per character. A piece ends just after a ``\\n``, so that no
    ``\\r\\n`` is split in two.

    >>> list(_lines("a;b\\r\\nc\\rd\\n\\ne"))
    ['a;b\\r\\n', 'c\\r', 'd\\n', '\\n', 'e']
    """
    return itertools.chain.from_iterable(io.StringIO(piece, newline="") for piece in _pieces(text))


def _pieces(text: str) -> Iterator[str]:
    start = 0
    while start < len(text):
        cut = text.find("\n", start + _PIECE)
        end = len(text) if cut < 0 else cut + 1
        yield text[start:end]
        start = end


def _csv_records(reader, max_rows: int) -> tuple[list[int], list[str], list[list[object]]]:
    """The row numbers of the records of a CSV file that hold any value, the first of them (the
    header row) and the cells of the others column by column; blank records are counted but not
    kept, and the limits are checked while reading.

    Excel shows every record as one row, also a quoted cell with line breaks and a blank line,
    so the record count is the row number the user sees. A cell that is empty or only
    whitespace (what ``str.strip()`` removes) is blank. Cells are kept as the reader gives them
    (:func:`_build_table` makes blank ones None, column by column); only a record wider than
    :data:`MAX_COLUMNS` loses its blank cells at the end here, and is refused when it is still
    too wide.
    """
    numbers: list[int] = []
    header: list[str] = []
    columns = _Columns()
    chunk: list[list[str]] = []
    for number, record in enumerate(reader, start=1):
        if number > MAX_SHEET_ROWS:
            raise _too_many_lines()
        first = record[0] if record else ""
        if (not first or first.isspace()) and all(not c or c.isspace() for c in record):
            continue
        if len(record) > MAX_COLUMNS:
            while not record[-1] or record[-1].isspace():
                record.pop()
            _check_width(number, len(record))
        if not numbers:
            numbers.append(number)
            header = record
            continue
        numbers.append(number)
        if len(numbers) > max_rows + 1:  # the header row and max_rows data rows
            raise _too_many_rows(max_rows)
        chunk.append(record)
        if len(chunk) == _Columns.CHUNK_ROWS:
            columns.add(chunk)
            chunk = []
    columns.add(chunk)
    return numbers, header, columns.columns


class _Columns:
    """Records gathered column by column, a chunk of a few thousand at a time: the records of a
    chunk go as soon as their cells are in the columns, so a large file leaves a list per column
    instead of a list per row (fewer objects for the garbage collector to go through)."""

    CHUNK_ROWS = 4096

    def __init__(self) -> None:
        self.columns: list[list[object]] = []
        self.count = 0

    def add(self, chunk: list[list[object]]) -> None:
        """Add the cells of ``chunk`` (records of any length; a short one's last cells: None)."""
        if not chunk:
            return
        by_column = list(itertools.zip_longest(*chunk))
        self.columns += [[None] * self.count for _ in range(len(by_column) - len(self.columns))]
        missing = (None,) * len(chunk)
        for index, column in enumerate(self.columns):
            column += by_column[index] if index < len(by_column) else missing
        self.count += len(chunk)


def _dutch_count(number: int) -> str:
    """``100.000``: a count as a Dutch reader writes it."""
    return f"{number:,}".replace(",", ".")


def _too_many_rows(max_rows: int) -> ValidationError:
    return _file_error(
        f"het bestand heeft meer dan {_dutch_count(max_rows)} rijen met gegevens; Ketenkaart "
        f"leest hoogstens {_dutch_count(max_rows)} rijen per bestand",
        "verdeel de gegevens over meer bestanden, bijvoorbeeld één per regio of per "
        "organisatie, en upload ze na elkaar",
    )


def _too_many_lines() -> ValidationError:
    return _file_error(
        f"het bestand heeft meer dan {_dutch_count(MAX_SHEET_ROWS)} rijen (lege rijen tussen de "
        "gegevens tellen mee), meer dan een Excel-werkblad kan bevatten",
        "verwijder de lege rijen tussen de gegevens (in Excel: selecteer ze en kies "
        "Verwijderen), sla het bestand op en upload het opnieuw",
    )


def _check_width(row: int, width: int) -> None:
    if width > MAX_COLUMNS:
        raise ValidationError(
            Problem(
                row,
                None,
                None,
                f"deze rij vult meer dan {MAX_COLUMNS} kolommen",
                "alleen de kolommen van het sjabloon; verwijder de kolommen rechts daarvan "
                "(in Excel: selecteer ze en kies Verwijderen)",
            )
        )


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


def _read_xlsx(
    data: bytes, file_name: str, kind: str | None, limit: int, max_rows: int
) -> RawTable:
    check_unpacked_size(data, limit)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        scans = [
            _scan_sheet(archive, name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        ]
    has_formulas = any(formulas for formulas, _ in scans)
    # Every cell element costs openpyxl time, also an empty one that only carries formatting:
    # counted in the raw XML, a sheet padded with them is refused before it is parsed.
    max_cells = max_rows * CELLS_PER_ROW
    if max((cells for _, cells in scans), default=0) > max_cells:
        raise _file_error(
            f"een werkblad heeft meer dan {_dutch_count(max_cells)} cellen (opgemaakte lege "
            "cellen tellen mee)",
            "verwijder de opgemaakte lege rijen en kolommen onder en naast de gegevens (in Excel: "
            "selecteer ze en kies Verwijderen), of verdeel de gegevens over meer bestanden",
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
            numbers, records = _sheet_records(sheet, max_rows)
            title = sheet.title
        finally:
            workbook.close()
        if has_formulas:
            _check_formulas(data, title, list(zip(numbers, records, strict=True)))
    by_column = _Columns()
    by_column.add(records[1:])
    header = records[0] if records else []
    table = _build_table(file_name, title, numbers, header, by_column.columns, raw_text=False)
    problems = _character_problems(table, None)
    if problems:
        raise ValidationError(problems)
    return table


def _scan_sheet(archive: zipfile.ZipFile, name: str) -> tuple[bool, int]:
    """Whether a worksheet's XML has a formula element, and how many cell elements it has; read
    in chunks (a sheet may unpack to far more than one chunk; the whole of it is never held).

    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as archive:
    ...     archive.writestr("s.xml", '<row r="1"><c r="A1"><f>1+1</f></c><c r="B1" s="1"/></row>')
    >>> _scan_sheet(zipfile.ZipFile(buffer), "s.xml")
    (True, 2)
    """
    formulas, cells, pending = False, 0, b""
    with archive.open(name) as member:
        while True:
            chunk = member.read(_CHUNK)
            text = pending + chunk
            # a tag name is never split: a '<' near the end waits for the next chunk (a tag that
            # starts earlier has its name, all the patterns look at, within the text)
            cut = text.rfind(b"<", max(len(text) - 64, 0)) if chunk else -1
            whole, pending = (text, b"") if cut < 0 else (text[:cut], text[cut:])
            formulas = formulas or _FORMULA_TAG.search(whole) is not None
            cells += len(_CELL_TAG.findall(whole))
            if not chunk:
                return formulas, cells


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


def _sheet_records(sheet, max_rows: int) -> tuple[list[int], list[list[object]]]:
    """The rows of a worksheet that hold any value, with their row number; blank rows (also
    rows of formatted empty cells) are counted but not kept, and the limits are checked while
    the sheet is streamed."""
    # a stored <dimension> can claim a huge range; reading without it avoids padding to it
    sheet.reset_dimensions()
    numbers: list[int] = []
    records: list[list[object]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_SHEET_ROWS:
            raise _too_many_lines()
        if not values:
            continue
        cells = [_blank_to_none(value) for value in values]
        while cells and cells[-1] is None:
            cells.pop()
        if not cells:
            continue
        _check_width(number, len(cells))
        numbers.append(number)
        records.append(cells)
        if len(records) > max_rows + 1:  # the header row and max_rows data rows
            raise _too_many_rows(max_rows)
    return numbers, records


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
    file_name: str,
    sheet: str | None,
    numbers: list[int],
    header_cells: list[object],
    by_column: list[list[object]],
    *,
    raw_text: bool,
) -> RawTable:
    """The table from the header row's cells and the data cells column by column (``numbers``:
    the row numbers, the header row's first): fully empty columns dropped, headers aligned.

    With ``raw_text`` (a ``.csv``) blank cells are still empty or whitespace strings; they
    become None once per distinct value of a column, so that no cell costs a step of its own.
    """
    if not numbers:
        where = f"het werkblad '{sheet}'" if sheet else "het bestand"
        raise _file_error(
            f"{where} is leeg",
            "een eerste gevulde rij met kolomkoppen en daaronder een rij per gegeven",
        )
    headers = [_header_text(cell) for cell in header_cells]
    width = max(len(headers), len(by_column))
    headers += [""] * (width - len(headers))
    by_column += [[None] * (len(numbers) - 1) for _ in range(width - len(by_column))]
    if raw_text:
        by_column = [_blank_text_to_none(cells) for cells in by_column]
    # a dropped column is empty in every data row, so no data row becomes empty here
    keep = [
        index
        for index in range(width)
        if headers[index] or by_column[index].count(None) != len(by_column[index])
    ]
    return RawTable(
        file_name,
        sheet,
        numbers[0],
        [headers[index] for index in keep],
        columns=[by_column[index] for index in keep],
        row_numbers=numbers[1:],
    )


def _blank_text_to_none(cells: list[object]) -> list[object]:
    """A column with every empty or whitespace text as None; each distinct text judged once.

    >>> _blank_text_to_none(["a", "", " ", None, "a"])
    ['a', None, None, None, 'a']
    """
    blanks = [cell for cell in set(cells) if cell is not None and (not cell or cell.isspace())]
    if not blanks:
        return cells
    as_none = dict.fromkeys(blanks)
    return list(map(as_none.get, cells, cells))


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    return str(cell).strip()


# --- Characters --------------------------------------------------------------------------------

#: The headers of the columns that hold a name (organisation, partner, region), normalised.
_NAME_HEADERS = frozenset(
    codes.normalize_token(column.name)
    for kind_columns in columns.COLUMNS.values()
    for column in kind_columns
    if column.references is not None
)


def _character_problems(
    table: RawTable, encoding: str | None, *, suspect: bool = True
) -> list[Problem]:
    """A problem for every header and cell holding a byte ``encoding`` could not read (``.csv``;
    None for ``.xlsx``), a control or bidi character, or, in a name column, a word of mixed
    scripts. One problem per cell, its value shown escaped.

    Each distinct text of a column is judged once, and a column whose texts hold no suspect
    character at all is passed with one search; rows are only gone through when a text fails.
    Without ``suspect`` (one search over the whole file found no control, bidi or undecodable
    character) only the name columns are judged.
    """
    problems = []
    for header in table.headers if suspect else ():
        judged = _text_problem(header, encoding, name=False)
        if judged is not None:
            shown, message, expected = judged
            problems.append(
                Problem(table.header_row, None, shown, f"kolomkop: {message}", expected)
            )
    found: dict[tuple[int, str], tuple[str, str, str]] = {}
    for index, cells in enumerate(table.cells_by_column() if table.row_numbers else ()):
        name = _is_name_header(table.headers[index])
        if not name and not suspect:
            continue
        texts = [cell for cell in set(cells) if type(cell) is str]
        if not name:  # one search over all of a column's texts passes most columns
            joined = "\n".join(texts)
            if FORBIDDEN_CHARACTERS.search(joined) is None and not _ESCAPED_BYTE.search(joined):
                continue
        for text in texts:
            judged = _text_problem(text, encoding, name=name)
            if judged is not None:
                found[index, text] = judged
    if found:
        for number, cells in table.rows:
            for index, cell in enumerate(cells):
                judged = found.get((index, cell)) if type(cell) is str else None
                if judged is not None:
                    shown, message, expected = judged
                    column = escape_text(table.headers[index]) or None
                    problems.append(Problem(number, column, shown, message, expected))
    return problems


def _is_name_header(header: str) -> bool:
    return codes.normalize_token(header) in _NAME_HEADERS


def _text_problem(text: str, encoding: str | None, *, name: bool) -> tuple[str, str, str] | None:
    """(value shown, what is wrong, what is expected) for a text no cell may hold, else None."""
    escaped = _ESCAPED_BYTE.search(text)
    if escaped is not None:
        message, expected = _undecodable(escaped.group(), encoding or UTF8)
        return _shown(text, escaped.start()), message, expected
    bad = FORBIDDEN_CHARACTERS.search(text)
    if bad is not None:
        try:
            check_text(text)
        except CellError as error:
            return _shown(text, bad.start()), error.message, error.expected
    if name:
        try:
            check_name(text)
        except CellError as error:
            others = "".join(letters for _, letters in mixed_script_words(text))
            return _shown(text, 0, also=others), error.message, error.expected
    return None


def _shown(text: str, position: int, also: str = "") -> str:
    """A value as a message repeats it: masked when it looks like personal data, else the part
    around ``position`` (the character that is wrong), escaped so that every character shows
    (and the characters of ``also``).

    >>> _shown("Opvang \\u202eNoord", 7)
    'Opvang [U+202E]Noord'
    >>> _shown("x" * 60 + "\\x00", 60)
    '…xxxxxxxxxxxxxxxxxxxx[U+0000]'
    """
    masked = find_personal_data(codes.remove_invisible(text))
    if masked is not None:
        return escape_text(masked)
    start = max(position - ECHO_LENGTH // 2, 0)
    end = start + ECHO_LENGTH
    part = escape_text(text[start:end], also=also)
    return ("…" if start else "") + part + ("…" if end < len(text) else "")
