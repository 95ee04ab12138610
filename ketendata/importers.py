"""Import an uploaded file into the store: read, validate, check against the database, store.

A file is stored whole or not at all (one transaction). Each (kind, region, organisation[,
period]) the file names becomes a new version; content equal to the current version stores
nothing. Undo hides an import's versions so the previous ones become current again; nothing is
deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from analysis import codes
from ketendata import store
from ketendata.intake.matrix import validate_matrix
from ketendata.intake.parsers import period_granularity
from ketendata.intake.problems import Problem, ValidationError
from ketendata.intake.reading import read_table
from ketendata.intake.suggest import suggest
from ketendata.intake.validation import TableCheck, ValidatedTable, check_table, detect_kind
from ketendata.store import queries
from ketendata.wording import plural

__all__ = [
    "CHUNK_ROWS",
    "CheckContext",
    "DATABASE_CHECKS",
    "DatabaseCheck",
    "ImportResult",
    "MatrixResult",
    "Progress",
    "SUBJECT_COLUMN",
    "UndoResult",
    "check_against_database",
    "check_cells",
    "check_file",
    "database_problems",
    "import_file",
    "import_matrix",
    "regions_to_create",
    "sha256_hex",
    "store_validated",
    "undo_import",
    "use_default_matrix",
    "validate_file",
]

#: Called after each stored chunk of rows with (rows stored so far, rows to store).
Progress = Callable[[int, int], None]

#: Rows inserted per statement when there is a progress callback (it runs after each chunk);
#: without one, all rows go in with one statement.
CHUNK_ROWS = 2000

#: The column naming the organisation a version belongs to, per kind.
SUBJECT_COLUMN = {
    "afspraken": "organisatie",
    "overdrachten": "organisatie",
    "stagnatie": "respondent",
}

_ROW_TABLE = {
    "afspraken": "agreement_rows",
    "overdrachten": "handover_rows",
    "stagnatie": "stagnation_rows",
}

# Spec column -> store column, in store order (after version_id, source_row). Columns holding an
# organisation name are stored as an organisation id.
_STORE_COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "afspraken": (
        ("organisatietype", "organisation_type", "VARCHAR"),
        ("partner", "partner_id", "ORG"),
        ("partnertype", "partner_type", "VARCHAR"),
        ("afspraaktypes", "agreement_types", "LIST"),
        ("niveau", "level", "VARCHAR"),
        ("status", "status", "VARCHAR"),
        ("kindspecifiek", "child_specific", "BOOLEAN"),
        ("ingangsdatum", "start_date", "DATE"),
        ("einddatum", "end_date", "DATE"),
        ("geevalueerd_op", "evaluated_on", "DATE"),
        ("afspraak_id", "agreement_id", "VARCHAR"),
        ("toelichting", "note", "VARCHAR"),
    ),
    "overdrachten": (
        ("fase", "phase", "VARCHAR"),
        ("partner", "partner_id", "ORG"),
        ("partnertype", "partner_type", "VARCHAR"),
        ("gezinnen", "families", "INTEGER"),
        ("warm", "warm", "INTEGER"),
        ("kinderen", "children", "INTEGER"),
        ("kind_overgedragen", "children_handed_over", "INTEGER"),
        ("met_informatieoverdracht", "with_information", "INTEGER"),
        ("met_persoonlijk_contact", "with_personal_contact", "INTEGER"),
        ("met_ketenafspraken", "with_chain_agreements", "INTEGER"),
        ("regisseur_belegd", "regisseur_assigned", "INTEGER"),
        ("veiligheidsplan_gedeeld", "safety_plan_shared", "INTEGER"),
    ),
    "stagnatie": (
        ("domein", "domain", "VARCHAR"),
        ("onderwerp", "topic", "VARCHAR"),
        ("partner", "partner_id", "ORG"),
        ("partnertype", "partner_type", "VARCHAR"),
        ("ernst", "severity", "INTEGER"),
        ("wachttijd_dagen", "wait_days", "DOUBLE"),
        ("gezinnen", "families", "INTEGER"),
        ("extra_verblijfsdagen", "extra_shelter_days", "INTEGER"),
        ("toelichting", "note", "VARCHAR"),
    ),
}


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``import_id`` is None when nothing was stored (same content)."""

    import_id: int | None
    kind: str
    file_name: str
    rows_read: int
    rows_stored: int
    versions_created: int
    versions_unchanged: int
    regions: tuple[str, ...]
    subjects: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def unchanged(self) -> bool:
        """True when the file held nothing that differs from what is current."""
        return self.import_id is None

    @property
    def message(self) -> str:
        """One Dutch summary line."""
        kind_label = codes.KINDS.get(self.kind, self.kind)
        if self.unchanged:
            return (
                f"'{self.file_name}' ({kind_label}): niets nieuws opgeslagen; de inhoud is gelijk "
                f"aan wat al actueel is ({plural(self.rows_read, 'rij', 'rijen')} gelezen)."
            )
        parts = [
            f"'{self.file_name}' ({kind_label}) geïmporteerd als import {self.import_id}: "
            f"{plural(self.rows_stored, 'rij', 'rijen')} opgeslagen in "
            f"{plural(self.versions_created, 'nieuwe versie', 'nieuwe versies')}"
        ]
        if self.versions_unchanged:
            parts.append(f"{plural(self.versions_unchanged, 'versie', 'versies')} ongewijzigd")
        if self.warnings:
            parts.append(plural(len(self.warnings), "waarschuwing", "waarschuwingen"))
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class UndoResult:
    """What undoing an import did."""

    import_id: int
    file_name: str
    versions: int

    @property
    def message(self) -> str:
        """One Dutch line."""
        verb = "is" if self.versions == 1 else "zijn"
        return (
            f"Import {self.import_id} ('{self.file_name}') is ongedaan gemaakt; "
            f"{plural(self.versions, 'versie', 'versies')} {verb} niet meer actueel, "
            "wat ervoor gold, geldt weer."
        )


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as stored in the import log."""
    return hashlib.sha256(data).hexdigest()


def import_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    kind: str | None = None,
    new_region: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Read, validate and store one uploaded file in one transaction.

    Args:
        con: a writable connection with the current schema.
        data: the file's bytes.
        file_name: the name as uploaded (its extension chooses CSV or Excel).
        kind: ``afspraken``, ``overdrachten`` or ``stagnatie``; detected from the columns if None.
        new_region: create regions the file names that the database does not know yet.
        progress: called after each stored chunk (for progress bars).
        now: the import time to log (default: now).

    Raises:
        ValidationError: the file is rejected; it carries every problem (cells and database
            together, see :func:`check_file`). Nothing was written.
    """
    validated = check_file(con, data, file_name, kind=kind, new_region=new_region)
    return store_validated(
        con,
        validated,
        file_name=file_name,
        sha256=sha256_hex(data),
        new_region=new_region,
        progress=progress,
        now=now,
    )


def check_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    kind: str | None = None,
    new_region: bool = False,
) -> ValidatedTable:
    """Every check of a file in one pass: its cells, then what only the database can tell, so
    that a rejected file lists all its problems at once. Writes nothing.

    ``check_against_database(con, check_cells(data, file_name, kind=kind), ...)``; the page
    keeps the two steps apart to reuse the (slower) cell check while the database changes.

    Raises:
        ValidationError: with every problem of the file, in file order.
    """
    checked = check_cells(data, file_name, kind=kind)
    return check_against_database(con, checked, new_region=new_region)


def check_cells(data: bytes, file_name: str, *, kind: str | None = None) -> TableCheck:
    """Read a file and check its cells, without the database: the rows that could be read and
    every problem in them.

    Raises:
        ValidationError: no rows can be read at all (the file is unreadable or of no known kind).
    """
    table = read_table(data, file_name, kind)
    if kind is None:
        kind = detect_kind(table.headers)
    elif kind not in codes.KINDS:
        raise ValidationError(
            [
                Problem(
                    None,
                    None,
                    kind,
                    "onbekend soort bestand",
                    "een van: " + ", ".join(codes.KINDS),
                )
            ]
        )
    return check_table(table, kind)


def validate_file(data: bytes, file_name: str, *, kind: str | None = None) -> ValidatedTable:
    """Read and validate a file without touching the database (only its cells are checked).

    Raises:
        ValidationError: with every problem of the file's cells.
    """
    return check_cells(data, file_name, kind=kind).validated()


@dataclass(frozen=True)
class CheckContext:
    """What the checks that need the database know besides the file.

    Attributes:
        con: the database the file would go into (only read).
        new_region: the user asked to create the regions the database does not know yet.
    """

    # A check of the user's rights per row adds the user here.
    con: duckdb.DuckDBPyConnection
    new_region: bool = False


#: A check that needs the database: the problems it finds in a file's rows. It sees every row;
#: a cell that had a problem of its own holds None there and is skipped.
DatabaseCheck = Callable[[ValidatedTable, CheckContext], list[Problem]]


def check_against_database(
    con: duckdb.DuckDBPyConnection, checked: TableCheck, *, new_region: bool = False
) -> ValidatedTable:
    """Add the problems of :data:`DATABASE_CHECKS` to those of the cells and refuse the file
    once, with all of them; return the table when there are none. Writes nothing.

    A cell that has a problem of its own gets no second one from the database checks.

    Raises:
        ValidationError: with the cell problems and the database problems, in file order.
    """
    found = database_problems(con, checked.table, new_region=new_region)
    taken = {(problem.row, problem.column) for problem in checked.problems}
    return checked.validated(p for p in found if (p.row, p.column) not in taken)


def database_problems(
    con: duckdb.DuckDBPyConnection, validated: ValidatedTable, *, new_region: bool = False
) -> list[Problem]:
    """Every problem of :data:`DATABASE_CHECKS` in ``validated``, check after check."""
    context = CheckContext(con, new_region)
    return [problem for check in DATABASE_CHECKS for problem in check(validated, context)]


def _closest_regions(name: str, known: list[str], *, can_create: bool = True) -> str:
    """What an unknown region expects: the known region the user probably meant, else the
    known ones (the first few), and how to create a new one where that is possible."""
    create = (
        ", of vink 'Nieuwe regio's aanmaken' aan (opdrachtregel: --new-region)"
        if can_create
        else ""
    )
    if not known:
        if can_create:
            return (
                "er zijn nog geen regio's; vink 'Nieuwe regio's aanmaken' aan "
                "(opdrachtregel: --new-region) om deze regio aan te maken"
            )
        return "er zijn nog geen regio's; importeer eerst gegevens van deze regio"
    guess = suggest(name, known)
    if guess is not None:
        return f"bedoelt u '{guess}'? Anders een bekende regio{create}"
    shown = sorted(known, key=codes.normalize_name)
    listed = ", ".join(f"'{region}'" for region in shown[:_REGIONS_LISTED])
    if len(shown) > _REGIONS_LISTED:
        listed += f" en nog {len(shown) - _REGIONS_LISTED}"
    return f"een bekende regio ({listed}){create}"


#: How many known regions a message names when none is close to an unknown one.
_REGIONS_LISTED = 5


def _first_rows(validated: ValidatedTable) -> dict[str, tuple[str, int]]:
    """Each region key of the file with its first spelling and the row it first appears on
    (regions that could not be read are left out)."""
    frame = validated.frame
    first: dict[str, tuple[str, int]] = {}
    spellings: dict[str, str] = {}
    for region, source_row in zip(
        frame["regio"].tolist(), frame["source_row"].tolist(), strict=True
    ):
        if region is None or region in spellings:
            continue
        key = spellings[region] = codes.normalize_name(region)
        first.setdefault(key, (region, source_row))
    return first


def _known_region_ids(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return dict(con.execute("SELECT name_key, id FROM regions").fetchall())


def regions_to_create(con: duckdb.DuckDBPyConnection, validated: ValidatedTable) -> list[str]:
    """The regions of a file that the database does not know (created with ``new_region``),
    each in its first spelling, in file order."""
    known = _known_region_ids(con)
    return [region for key, (region, _) in _first_rows(validated).items() if key not in known]


def _unknown_regions(validated: ValidatedTable, context: CheckContext) -> list[Problem]:
    """An unknown region is refused (against typing errors) unless the user asked to create it;
    one problem per region, on the row it first appears on."""
    if context.new_region:
        return []
    known = _known_region_ids(context.con)
    unknown = [(r, row) for key, (r, row) in _first_rows(validated).items() if key not in known]
    if not unknown:
        return []
    names = queries.list_regions(context.con)
    column = validated.header_names.get("regio", "regio")
    return [
        Problem(row, column, region, "onbekende regio", _closest_regions(region, names))
        for region, row in unknown
    ]


_GRANULARITY_FORM = {"jaar": "JJJJ", "kwartaal": "JJJJ-Qn", "maand": "JJJJ-MM"}


def _period_forms(validated: ValidatedTable, context: CheckContext) -> list[Problem]:
    """A region keeps the one period form (years, quarters or months) of its stored data of the
    same kind: every row with another form is a problem."""
    frame = validated.frame
    if "periode" not in frame.columns:
        return []
    known = _known_region_ids(context.con)
    stored: dict[str, str | None] = {}
    column = validated.header_names.get("periode", "periode")
    problems: list[Problem] = []
    for region, period, source_row in zip(
        frame["regio"].tolist(),
        frame["periode"].tolist(),
        frame["source_row"].tolist(),
        strict=True,
    ):
        if region is None or period is None:
            continue
        key = codes.normalize_name(region)
        if key not in known:
            continue
        if key not in stored:
            existing = store.fetch_value(
                context.con,
                "SELECT min(period) FROM versions WHERE kind = ? AND region_id = ? "
                "AND import_id NOT IN (SELECT import_id FROM undos)",
                [validated.kind, known[key]],
            )
            stored[key] = None if existing is None else period_granularity(existing)
        wanted = stored[key]
        if wanted is None or period_granularity(period) == wanted:
            continue
        problems.append(
            Problem(
                source_row,
                column,
                period,
                f"regio '{region}' heeft in Ketenkaart al gegevens per {wanted}, deze periode "
                f"is een {period_granularity(period)}",
                f"een periode in de vorm {_GRANULARITY_FORM[wanted]}, zoals de eerdere uploads "
                "van deze regio",
            )
        )
    return problems


#: The checks that need the database, in the order their problems are listed. A new check
#: (such as the user's rights per row) is one more function here.
DATABASE_CHECKS: tuple[DatabaseCheck, ...] = (_unknown_regions, _period_forms)


def _check_against_database(
    con: duckdb.DuckDBPyConnection, validated: ValidatedTable, new_region: bool
) -> dict[str, int | None]:
    """The database checks again, at storing time (inside the transaction), for a table whose
    cells passed.

    Returns the region id per region key (None for a region still to be created).

    Raises:
        ValidationError: with every problem of :data:`DATABASE_CHECKS`.
    """
    problems = database_problems(con, validated, new_region=new_region)
    if problems:
        raise ValidationError(problems)
    known = _known_region_ids(con)
    return {key: known.get(key) for key in _first_rows(validated)}


def _canonical(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _per_distinct(values: list[object], function: Callable[[object], object]) -> list[object]:
    """``[function(v) for v in values]``, calling ``function`` once per distinct value.

    Values of different types that Python calls equal (``True`` and ``1``) may need different
    results, so a column holding more than one type (besides None) is mapped value by value.

    >>> _per_distinct(["a", "b", "a", None], repr)
    ["'a'", "'b'", "'a'", 'None']
    >>> _per_distinct([1, True, 1.0], json.dumps)
    ['1', 'true', '1.0']
    """
    try:
        distinct = set(values)
    except TypeError:  # an unhashable value
        return [function(value) for value in values]
    if not _shareable(distinct, values):
        return [function(value) for value in values]
    result = {value: function(value) for value in distinct}
    return list(map(result.__getitem__, values))


def _shareable(distinct: set[object], values: list[object]) -> bool:
    """Whether equal values of ``values`` are also alike (same type, also inside tuples).

    Text and dates never equal a value of another type, so the distinct values tell; numbers
    (``True == 1 == 1.0``) need a look at every value.

    >>> _shareable({"a", None}, ["a", None, "a"]), _shareable({1}, [1, True])
    (True, False)
    """
    types = set(map(type, distinct)) - {type(None)}
    if types <= {str, date, datetime}:
        return True
    if types == {tuple}:
        return all(type(item) is str for value in distinct if value is not None for item in value)
    return len(set(map(type, values)) - {type(None)}) <= 1


#: How ``json.dumps(text, ensure_ascii=False)`` writes a str, without the encoder around it.
_json_string = json.encoder.encode_basestring


def _json_text(value: object) -> str:
    """``json.dumps(_canonical(value), ensure_ascii=False)``, written directly for the common
    cell values (text, empty, yes/no, dates, tuples of codes).

    >>> [_json_text(v) for v in ("Zuid", date(2026, 1, 2), 3.0, None, True, ("a", "b"))]
    ['"Zuid"', '"2026-01-02"', '3', 'null', 'true', '["a", "b"]']
    """
    kind = type(value)
    if kind is str:
        return _json_string(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is date or kind is datetime:
        return '"' + value.isoformat() + '"'  # digits, '-', 'T', ':' and '.' need no escaping
    if kind is tuple and all(type(item) is str for item in value):
        return "[" + ", ".join(map(_json_string, value)) + "]"
    return json.dumps(_canonical(value), ensure_ascii=False)


def _canonical_rows(columns: list[list[object]]) -> list[str]:
    """Each row's content as canonical JSON text (computed once for the whole file).

    Equal to ``json.dumps([_canonical(v) for v in row], ensure_ascii=False)`` per row: a list is
    written as its items' JSON joined by ``", "``, so each distinct cell is encoded only once.

    >>> _canonical_rows([["a", "a"], [date(2026, 1, 2), None], [("x", "y"), 3.0]])
    ['["a", "2026-01-02", ["x", "y"]]', '["a", null, 3]']
    """
    texts = [_per_distinct(column, _json_text) for column in columns]
    return ["[" + ", ".join(parts) + "]" for parts in zip(*texts, strict=True)]


def _hash_texts(texts: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(texts)).encode("utf-8")).hexdigest()


def _partner_key(value: object) -> str | None:
    return codes.normalize_name(value) if isinstance(value, str) and value.strip() else None


def _current_hashes(
    con: duckdb.DuckDBPyConnection, kind: str, region_ids: list[int]
) -> dict[tuple[int, str, str | None], str]:
    """The content hash of every current version of ``kind`` in the given regions, in one query,
    by (region id, organisation name key, period)."""
    if not region_ids:
        return {}
    rows = con.execute(
        "SELECT v.region_id, o.name_key, v.period, v.content_hash FROM versions v "
        "JOIN organisations o ON o.id = v.organisation_id "
        "WHERE v.kind = ? AND v.region_id IN (SELECT unnest(?)) "
        "AND v.import_id NOT IN (SELECT import_id FROM undos) "
        "QUALIFY row_number() OVER ("
        "PARTITION BY v.region_id, v.organisation_id, v.period ORDER BY v.id DESC) = 1",
        [kind, region_ids],
    ).fetchall()
    return {(region_id, key, period): content for region_id, key, period, content in rows}


def _ensure_organisations(
    con: duckdb.DuckDBPyConnection, names: list[str], now: datetime
) -> dict[str, int]:
    """Ids for organisation names, creating the unknown ones (first spelling is kept)."""
    by_key: dict[str, str] = {}
    for name in dict.fromkeys(names):  # each spelling once, in order of first appearance
        by_key.setdefault(codes.normalize_name(name), name.strip())
    existing = dict(
        con.execute(
            "SELECT name_key, id FROM organisations WHERE name_key IN (SELECT unnest(?))",
            [list(by_key)],
        ).fetchall()
    )
    missing = [(key, name) for key, name in by_key.items() if key not in existing]
    if missing:
        first = store.next_id(con, "organisations")
        new_rows = pd.DataFrame(
            {
                "id": range(first, first + len(missing)),
                "name": [name for _, name in missing],
                "name_key": [key for key, _ in missing],
            }
        )
        con.register("new_organisations", new_rows)
        try:
            con.execute(
                "INSERT INTO organisations SELECT id, name, name_key, ? FROM new_organisations",
                [now],
            )
        finally:
            con.unregister("new_organisations")
        existing.update({key: first + i for i, (key, _) in enumerate(missing)})
    return existing


def store_validated(
    con: duckdb.DuckDBPyConnection,
    validated: ValidatedTable,
    *,
    file_name: str,
    sha256: str,
    new_region: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Store a validated table as new versions, in one transaction (see :func:`import_file`)."""
    now = now or datetime.now()
    kind = validated.kind
    frame = validated.frame
    subject_column = SUBJECT_COLUMN[kind]
    value_columns = [spec for spec, _, _ in _STORE_COLUMNS[kind]]
    period_column = "periode" if kind != "afspraken" else None

    # Plain lists, and each name normalised once per distinct spelling: the file's rows repeat
    # the same few regions, organisations and partners.
    values = {name: frame[name].tolist() for name in frame.columns}
    regions, subjects = values["regio"], values[subject_column]
    region_keys = _per_distinct(regions, codes.normalize_name)
    subject_keys = _per_distinct(subjects, codes.normalize_name)
    partner_keys = _per_distinct(values["partner"], _partner_key)
    hash_columns = [partner_keys] + [values[c] for c in value_columns if c != "partner"]
    group_columns = [region_keys, subject_keys] + ([values[period_column]] if period_column else [])

    with store.transaction(con):
        region_ids = _check_against_database(con, validated, new_region)
        region_names: dict[str, str] = {}
        for region, key in zip(regions, region_keys, strict=True):
            if key not in region_names:
                region_names[key] = region.strip()
        next_region = store.next_id(con, "regions")
        created_regions: list[tuple[int, str, str]] = []
        for key, region_id in region_ids.items():
            if region_id is None:
                region_ids[key] = next_region
                created_regions.append((next_region, region_names[key], key))
                next_region += 1

        groups: list[tuple[str, str, str | None, str, list[int]]] = []
        unchanged = 0
        # One pass over the rows and one query for the current versions, not one per group.
        row_texts = _canonical_rows(hash_columns)
        current_hashes = _current_hashes(
            con, kind, sorted({rid for rid in region_ids.values() if rid is not None})
        )
        positions_by_group: dict[tuple, list[int]] = {}
        for position, group_key in enumerate(zip(*group_columns, strict=True)):
            positions_by_group.setdefault(group_key, []).append(position)
        for group_key in sorted(positions_by_group):
            positions = positions_by_group[group_key]
            region_key, subject_key = group_key[0], group_key[1]
            period = group_key[2] if period_column else None
            content = _hash_texts([row_texts[i] for i in positions])
            if current_hashes.get((region_ids[region_key], subject_key, period)) == content:
                unchanged += 1
                continue
            groups.append((region_key, subject_key, period, content, positions))

        if not groups:
            # Nothing differs from what is current: store nothing at all.
            return ImportResult(
                None,
                kind,
                file_name,
                validated.rows_read,
                0,
                0,
                unchanged,
                tuple(sorted(region_names.values())),
                tuple(sorted({s.strip() for s in subjects})),
                tuple(validated.warnings),
            )

        for region_id, name, key in created_regions:
            con.execute("INSERT INTO regions VALUES (?, ?, ?, ?)", [region_id, name, key, now])
        order = [position for *_, positions in groups for position in positions]
        partners = values["partner"]
        names = [subjects[i] for i in order] + [
            p for p in (partners[i] for i in order) if isinstance(p, str) and p.strip()
        ]
        org_ids = _ensure_organisations(con, names, now)

        import_id = store.next_id(con, "imports")
        stored_regions = sorted({region_names[g[0]] for g in groups})
        stored_subjects = sorted({subjects[positions[0]].strip() for *_, positions in groups})
        con.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                file_name,
                sha256,
                kind,
                "; ".join(stored_regions),
                "; ".join(stored_subjects),
                validated.rows_read,
                len(order),
                json.dumps(list(validated.warnings), ensure_ascii=False),
                now,
            ],
        )
        version_id = store.next_id(con, "versions")
        version_rows = []
        version_ids: list[int] = []
        for offset, (region_key, subject_key, period, content, positions) in enumerate(groups):
            vid = version_id + offset
            version_rows.append(
                (
                    vid,
                    import_id,
                    kind,
                    region_ids[region_key],
                    org_ids[subject_key],
                    period,
                    content,
                    len(positions),
                )
            )
            version_ids.extend([vid] * len(positions))
        _insert_versions(con, version_rows)
        prepared = _store_frame(kind, values, order, version_ids, partner_keys, org_ids)
        _insert_rows(con, kind, prepared, progress)

    return ImportResult(
        import_id,
        kind,
        file_name,
        validated.rows_read,
        len(order),
        len(groups),
        unchanged,
        tuple(stored_regions),
        tuple(stored_subjects),
        tuple(validated.warnings),
    )


def _insert_versions(con: duckdb.DuckDBPyConnection, version_rows: list[tuple]) -> None:
    """Insert the new versions in one statement (``executemany`` runs one per row)."""
    names = [
        "id",
        "import_id",
        "kind",
        "region_id",
        "organisation_id",
        "period",
        "content_hash",
        "row_count",
    ]
    new_versions = pd.DataFrame(
        {
            name: pd.array(list(column), dtype=object)
            for name, column in zip(names, zip(*version_rows, strict=True), strict=True)
        }
    )
    con.register("new_versions", new_versions)
    try:
        con.execute(
            "INSERT INTO versions SELECT CAST(id AS INTEGER), CAST(import_id AS INTEGER), "
            "CAST(kind AS VARCHAR), CAST(region_id AS INTEGER), "
            "CAST(organisation_id AS INTEGER), CAST(period AS VARCHAR), "
            "CAST(content_hash AS VARCHAR), CAST(row_count AS INTEGER) FROM new_versions"
        )
    finally:
        con.unregister("new_versions")


def _store_frame(
    kind: str,
    values: dict[str, list[object]],
    order: list[int],
    version_ids: list[int],
    partner_keys: list[str | None],
    org_ids: dict[str, int],
) -> pd.DataFrame:
    """The rows at positions ``order`` as the store's columns, with types DuckDB reads without
    guessing. A column that needs converting is converted once per distinct value."""

    def taken(column: list[object]) -> list[object]:
        return [column[i] for i in order]

    data: dict[str, object] = {
        "version_id": np.array(version_ids, dtype="int64"),
        "source_row": np.array(taken(values["source_row"]), dtype="int64"),
    }
    for spec, column, sql_type in _STORE_COLUMNS[kind]:
        if sql_type == "ORG":
            ids = _per_distinct(partner_keys, lambda key: None if key is None else org_ids.get(key))
            data[column] = pd.array(taken(ids), dtype="Int64")
        elif sql_type == "LIST":
            data[column] = pd.array(taken(_per_distinct(values[spec], ";".join)), dtype=object)
        elif sql_type == "DATE":
            data[column] = pd.array(taken(_per_distinct(values[spec], _iso_or_none)), dtype=object)
        elif sql_type == "INTEGER":
            numbers = _converted(values[spec], _int_or_none, {int, type(None)})
            data[column] = pd.array(taken(numbers), dtype="Int64")
        elif sql_type == "DOUBLE":
            numbers = _converted(values[spec], _float_or_none, {float, type(None)})
            data[column] = pd.array(taken(numbers), dtype="Float64")
        elif sql_type == "BOOLEAN":
            data[column] = np.array(taken(_converted(values[spec], bool, {bool})), dtype=bool)
        else:
            texts = _converted(values[spec], _str_or_none, {str, type(None)})
            data[column] = pd.array(taken(texts), dtype=object)
    return pd.DataFrame(data)


def _converted(
    values: list[object], function: Callable[[object], object], ready: set[type]
) -> list[object]:
    """``values`` itself when every value's type is in ``ready`` (converting would change
    nothing), else ``function`` applied per distinct value.

    >>> _converted([1, None], int, {int, type(None)}), _converted([1.0, 2], int, {int})
    ([1, None], [1, 2])
    """
    if set(map(type, values)) <= ready:
        return values
    return _per_distinct(values, function)


def _iso_or_none(value: object) -> str | None:
    return None if value is None else value.isoformat()


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(value)


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _select_list(kind: str) -> str:
    parts = ["version_id", "source_row"]
    for _, column, sql_type in _STORE_COLUMNS[kind]:
        if sql_type == "LIST":
            parts.append(f"string_split({column}, ';')")
        elif sql_type == "DATE":
            parts.append(f"CAST({column} AS DATE)")
        elif sql_type == "ORG":
            parts.append(f"CAST({column} AS INTEGER)")
        elif sql_type == "BOOLEAN":
            parts.append(f"CAST({column} AS BOOLEAN)")
        else:
            parts.append(f"CAST({column} AS {sql_type})")
    return ", ".join(parts)


def _insert_rows(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    prepared: pd.DataFrame,
    progress: Progress | None,
) -> None:
    table = _ROW_TABLE[kind]
    select = _select_list(kind)
    total = len(prepared)
    # Each statement costs a few milliseconds beyond its rows: chunks only to report progress.
    step = CHUNK_ROWS if progress is not None else max(total, 1)
    for start in range(0, total, step):
        chunk = prepared.iloc[start : start + step]
        con.register("import_chunk", chunk)
        try:
            con.execute(f"INSERT INTO {table} SELECT {select} FROM import_chunk")
        finally:
            con.unregister("import_chunk")
        if progress is not None:
            progress(min(start + step, total), total)


def undo_import(
    con: duckdb.DuckDBPyConnection, import_id: int, *, now: datetime | None = None
) -> UndoResult:
    """Undo an import: its versions stop being current, the previous versions count again.

    Raises:
        LookupError: there is no such import, or it was undone already (Dutch message).
    """
    now = now or datetime.now()
    with store.transaction(con):
        row = store.fetch_row(con, "SELECT file_name FROM imports WHERE id = ?", [import_id])
        if row is None:
            raise LookupError(f"Import {import_id} bestaat niet.")
        done = store.fetch_row(con, "SELECT 1 FROM undos WHERE import_id = ?", [import_id])
        if done is not None:
            raise LookupError(f"Import {import_id} is al ongedaan gemaakt.")
        versions = store.fetch_value(
            con, "SELECT count(*) FROM versions WHERE import_id = ?", [import_id]
        )
        con.execute("INSERT INTO undos VALUES (?, ?)", [import_id, now])
    return UndoResult(import_id, row[0], int(versions))


@dataclass(frozen=True)
class MatrixResult:
    """What storing a region's norm matrix did."""

    region: str
    requirements: int
    uses_default: bool
    unchanged: bool

    @property
    def message(self) -> str:
        if self.unchanged:
            return f"De normenmatrix van {self.region} is ongewijzigd; niets opgeslagen."
        if self.uses_default:
            return f"{self.region} gebruikt weer de standaard-normenmatrix."
        return (
            f"{self.region} heeft nu een eigen normenmatrix met "
            f"{plural(self.requirements, 'eis', 'eisen')}."
        )


def _matrix_region_id(con: duckdb.DuckDBPyConnection, region: str) -> tuple[int, str]:
    row = queries.find_region_row(con, region)
    if row is None:
        raise ValidationError(
            [
                Problem(
                    None,
                    None,
                    region,
                    "onbekende regio",
                    _closest_regions(region, queries.list_regions(con), can_create=False),
                )
            ]
        )
    return row


def import_matrix(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    region: str,
    *,
    now: datetime | None = None,
) -> MatrixResult:
    """Give a region its own norm matrix from a file shaped like the default one.

    Raises:
        ValidationError: the file or the region is refused; nothing was written.
    """
    matrix = validate_matrix(read_table(data, file_name))
    rows = [tuple(r) for r in matrix.itertuples(index=False, name=None)]
    now = now or datetime.now()
    with store.transaction(con):
        region_id, name = _matrix_region_id(con, region)
        if queries.own_matrix_rows(con, region_id) == rows:
            return MatrixResult(name, len(rows), False, True)
        version_id = store.next_id(con, "matrix_versions")
        con.execute(
            "INSERT INTO matrix_versions VALUES (?, ?, ?, ?, false, ?)",
            [version_id, region_id, file_name, sha256_hex(data), now],
        ).fetchall()
        con.executemany(
            "INSERT INTO matrix_rows VALUES (?, ?, ?, ?, ?, ?)",
            [(version_id, position, *row) for position, row in enumerate(rows)],
        )
    return MatrixResult(name, len(rows), False, False)


def use_default_matrix(
    con: duckdb.DuckDBPyConnection, region: str, *, now: datetime | None = None
) -> MatrixResult:
    """Put a region back on the default norm matrix (its own versions are kept)."""
    now = now or datetime.now()
    with store.transaction(con):
        region_id, name = _matrix_region_id(con, region)
        if queries.own_matrix_rows(con, region_id) is None:
            return MatrixResult(name, 0, True, True)
        version_id = store.next_id(con, "matrix_versions")
        con.execute(
            "INSERT INTO matrix_versions VALUES (?, ?, 'standaard', '', true, ?)",
            [version_id, region_id, now],
        ).fetchall()
    return MatrixResult(name, 0, True, False)
