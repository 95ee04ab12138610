"""The norm matrix as data: the default matrix that ships with the project, and a region's own.

Pure module (no DuckDB, no Streamlit). A matrix frame has the columns
``partner_type`` (a partner-type code or ``*``), ``agreement_type``, ``norm`` and
``child_required`` (bool), one row per requirement, in the order of the file. The default
matrix also has ``source`` (the document whose numbering ``norm`` follows), ``min_level`` (the
lowest agreement level that counts, None for any) and ``weight`` (1-3, for ranking gaps), read
from the optional columns ``bron``, ``niveau`` and ``gewicht`` (normenkader.md). A region's own
matrix has them too (stored since schema version 6).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from analysis import codes
from ketendata.intake.parsers import parse_bool, parse_code
from ketendata.intake.privacy import shown_value
from ketendata.intake.problems import CellError, Problem, ValidationError
from ketendata.intake.reading import RawTable, read_table
from ketendata.settings import DEFAULT_MATRIX_PATH

__all__ = [
    "MATRIX_COLUMNS",
    "MATRIX_EXTRA_COLUMNS",
    "MATRIX_UPLOAD_COLUMNS",
    "MAX_NORM_LENGTH",
    "default_matrix",
    "read_matrix",
    "validate_matrix",
]

MATRIX_COLUMNS = ("partner_type", "agreement_type", "norm", "child_required")

#: The optional columns the default matrix carries on top of :data:`MATRIX_COLUMNS`.
MATRIX_EXTRA_COLUMNS = ("source", "min_level", "weight")


def default_matrix(path: Path = DEFAULT_MATRIX_PATH) -> pd.DataFrame:
    """The default norm matrix (Indicator 4 and related norms) that ships with Ketenkaart.

    It is read and checked exactly like a region's own matrix upload, once per process and
    file version; every call gets its own copy.
    """
    stat = path.stat()
    return _read_matrix_file(path, stat.st_mtime_ns, stat.st_size).copy()


@functools.lru_cache(maxsize=8)
def _read_matrix_file(path: Path, mtime_ns: int, size: int) -> pd.DataFrame:
    return read_matrix(path.read_bytes(), path.name, extras=True)


def read_matrix(
    data: bytes, file_name: str = "normenkader.csv", *, extras: bool = False
) -> pd.DataFrame:
    """Read a norm matrix file (columns partnertype, afspraaktype, norm, kind) into a frame,
    checked like any upload (codes or Dutch labels, ``*`` for any partner, kind ja/nee).

    Raises:
        ValidationError: with every problem in Dutch.

    >>> frame = read_matrix(b"partnertype;afspraaktype;norm;kind\\nVeilig Thuis;meldcode;4.3;x")
    >>> row = frame.to_dict("records")[0]
    >>> row["partner_type"], row["agreement_type"], row["norm"], row["child_required"]
    ('veilig_thuis', 'meldcode', '4.3', True)
    """
    return validate_matrix(read_table(data, file_name), extras=extras)


# --- A region's own matrix, uploaded as a file of the same shape -------------------------------

#: The columns of a matrix upload: header code -> (required, what it holds).
MATRIX_UPLOAD_COLUMNS = {
    "partnertype": (True, "een partnertypecode of * (elke partner)"),
    "afspraaktype": (True, "een afspraaktypecode"),
    "norm": (True, "het normnummer, bijvoorbeeld 4.3"),
    "kind": (False, "ja als de afspraak uitdrukkelijk over kinderen moet gaan"),
    "bron": (False, "het document van het normnummer: " + ", ".join(codes.NORM_SOURCES)),
    "niveau": (False, "het laagste niveau dat telt: " + ", ".join(codes.LEVELS)),
    "gewicht": (False, "1, 2 of 3: hoe zwaar de eis weegt bij het ordenen van knelpunten"),
}

#: Longest norm reference accepted (they are short, like "4.2e/3.4" or "inspectie 2017").
MAX_NORM_LENGTH = 40


def validate_matrix(table: RawTable, *, extras: bool = False) -> pd.DataFrame:
    """Check an uploaded norm matrix and return it as a matrix frame (with the columns of
    :data:`MATRIX_EXTRA_COLUMNS` too when ``extras``).

    Raises:
        ValidationError: with every problem, in the same form as any other upload.
    """
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    for index, header in enumerate(table.headers):
        key = codes.normalize_token(header)
        if key in MATRIX_UPLOAD_COLUMNS and key not in positions:
            positions[key] = index
            names[key] = header
    for key, (required, what) in MATRIX_UPLOAD_COLUMNS.items():
        if required and key not in positions:
            problems.append(
                Problem(table.header_row, key, None, "deze verplichte kolom ontbreekt", what)
            )
    if problems:
        raise ValidationError(problems)

    records: list[dict[str, object]] = []
    seen: dict[tuple[str, str], int] = {}
    for row_number, cells in table.rows:

        def cell(key: str, cells: list[object] = cells) -> object:
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        record: dict[str, object] = {}
        raw_partner = cell("partnertype")
        try:
            if str(raw_partner or "").strip() == "*":
                record["partner_type"] = "*"
            else:
                record["partner_type"] = parse_code(raw_partner, codes.PARTNER_TYPES, "partnertype")
        except CellError as error:
            problems.append(
                Problem(
                    row_number,
                    names["partnertype"],
                    shown_value(raw_partner),
                    error.message,
                    error.expected,
                )
            )
        raw_type = cell("afspraaktype")
        try:
            record["agreement_type"] = parse_code(raw_type, codes.AGREEMENT_TYPES, "afspraaktype")
        except CellError as error:
            problems.append(
                Problem(
                    row_number,
                    names["afspraaktype"],
                    shown_value(raw_type),
                    error.message,
                    error.expected,
                )
            )
        raw_norm = cell("norm")
        norm = " ".join(str(raw_norm).split()) if raw_norm is not None else ""
        if len(norm) > MAX_NORM_LENGTH:
            problems.append(
                Problem(
                    row_number,
                    names["norm"],
                    shown_value(norm[:20]),
                    "het normnummer is te lang",
                    f"hoogstens {MAX_NORM_LENGTH} tekens, bijvoorbeeld 4.3",
                )
            )
        record["norm"] = norm
        raw_child = cell("kind")
        try:
            record["child_required"] = bool(parse_bool(raw_child))
        except CellError as error:
            problems.append(
                Problem(
                    row_number,
                    names.get("kind", "kind"),
                    shown_value(raw_child),
                    error.message,
                    error.expected,
                )
            )
        raw_source = cell("bron")
        source = " ".join(str(raw_source).split()).lower() if raw_source is not None else ""
        if source and source not in codes.NORM_SOURCES:
            problems.append(
                Problem(
                    row_number,
                    names["bron"],
                    shown_value(raw_source),
                    "onbekende bron",
                    MATRIX_UPLOAD_COLUMNS["bron"][1],
                )
            )
        record["source"] = source or codes.infer_norm_source(norm)
        raw_level = cell("niveau")
        try:
            record["min_level"] = parse_code(raw_level, codes.LEVELS, "niveau")
        except CellError as error:
            problems.append(
                Problem(
                    row_number,
                    names["niveau"],
                    shown_value(raw_level),
                    error.message,
                    error.expected,
                )
            )
        raw_weight = cell("gewicht")
        weight_text = str(raw_weight).strip() if raw_weight is not None else ""
        if weight_text in ("", "1", "2", "3", "1.0", "2.0", "3.0"):
            record["weight"] = int(float(weight_text)) if weight_text else 1
        else:
            problems.append(
                Problem(
                    row_number,
                    names["gewicht"],
                    shown_value(raw_weight),
                    "geen geldig gewicht",
                    MATRIX_UPLOAD_COLUMNS["gewicht"][1],
                )
            )
        for key, field in (
            ("partnertype", "partner_type"),
            ("afspraaktype", "agreement_type"),
            ("norm", "norm"),
        ):
            if field in record and not record[field]:
                problems.append(
                    Problem(
                        row_number,
                        names[key],
                        None,
                        "deze verplichte cel is leeg",
                        MATRIX_UPLOAD_COLUMNS[key][1],
                    )
                )
        pair = (record.get("partner_type"), record.get("agreement_type"))
        if all(pair) and pair in seen:
            problems.append(
                Problem(
                    row_number,
                    names["afspraaktype"],
                    f"{pair[0]} / {pair[1]}",
                    f"deze eis staat ook al in rij {seen[pair]}",
                    "elke eis één keer",
                )
            )
        elif all(pair):
            seen[pair] = row_number
        records.append(record)
    if not table.rows:
        problems.append(
            Problem(
                table.header_row,
                None,
                None,
                "onder de kolomkoppen staan geen eisen",
                "een rij per eis: partnertype, afspraaktype, norm, kind",
            )
        )
    if problems:
        raise ValidationError(problems)
    columns = list(MATRIX_COLUMNS) + (list(MATRIX_EXTRA_COLUMNS) if extras else [])
    return pd.DataFrame.from_records(records, columns=columns)
