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
import pandas as pd

from analysis import codes
from ketendata import store
from ketendata.access import LOCAL, AccessDenied, Principal, import_scope_allowed
from ketendata.columns import (
    COLUMNS,
    ORGANISATIONS,
    Column,
    period_column,
    row_columns,
    subject_column,
)
from ketendata.intake.matrix import validate_matrix
from ketendata.intake.parsers import period_granularity
from ketendata.intake.privacy import safe_file_name
from ketendata.intake.problems import Problem, ValidationError
from ketendata.intake.reading import read_table
from ketendata.intake.suggest import suggest
from ketendata.intake.validation import TableCheck, ValidatedTable, check_table, detect_kind
from ketendata.store import audit, queries, writes
from ketendata.store.writes import per_distinct
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
SUBJECT_COLUMN = {kind: subject_column(kind).name for kind in COLUMNS}


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
    principal: Principal = LOCAL,
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
        principal: the acting user (access.md): every row must be within its rights; the
            import is recorded in the audit log with its name.

    Raises:
        ValidationError: the file is rejected; it carries every problem (cells and database
            together, see :func:`check_file`). Nothing was written.
    """
    validated = check_file(
        con, data, file_name, kind=kind, new_region=new_region, principal=principal
    )
    return store_validated(
        con,
        validated,
        file_name=file_name,
        sha256=sha256_hex(data),
        new_region=new_region,
        progress=progress,
        now=now,
        principal=principal,
    )


def check_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    kind: str | None = None,
    new_region: bool = False,
    principal: Principal = LOCAL,
) -> ValidatedTable:
    """Every check of a file in one pass: its cells, then what only the database can tell, so
    that a rejected file lists all its problems at once. Writes nothing.

    ``check_against_database(con, check_cells(data, file_name, kind=kind), ...)``; the page
    keeps the two steps apart to reuse the (slower) cell check while the database changes.

    Raises:
        ValidationError: with every problem of the file, in file order.
    """
    checked = check_cells(data, file_name, kind=kind)
    return check_against_database(con, checked, new_region=new_region, principal=principal)


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
        principal: the uploading user, whose rights every row must be within (access.md).
    """

    con: duckdb.DuckDBPyConnection
    new_region: bool = False
    principal: Principal = LOCAL


#: A check that needs the database: the problems it finds in a file's rows. It sees every row;
#: a cell that had a problem of its own holds None there and is skipped.
DatabaseCheck = Callable[[ValidatedTable, CheckContext], list[Problem]]


def check_against_database(
    con: duckdb.DuckDBPyConnection,
    checked: TableCheck,
    *,
    new_region: bool = False,
    principal: Principal = LOCAL,
) -> ValidatedTable:
    """Add the problems of :data:`DATABASE_CHECKS` to those of the cells and refuse the file
    once, with all of them; return the table when there are none. Writes nothing.

    A cell that has a problem of its own gets no second one from the database checks.

    Raises:
        ValidationError: with the cell problems and the database problems, in file order.
    """
    found = database_problems(con, checked.table, new_region=new_region, principal=principal)
    taken = {(problem.row, problem.column) for problem in checked.problems}
    return checked.validated(p for p in found if (p.row, p.column) not in taken)


def database_problems(
    con: duckdb.DuckDBPyConnection,
    validated: ValidatedTable,
    *,
    new_region: bool = False,
    principal: Principal = LOCAL,
) -> list[Problem]:
    """Every problem of :data:`DATABASE_CHECKS` in ``validated``, check after check."""
    context = CheckContext(con, new_region, principal)
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
    regions = frame["regio"].tolist()
    source_rows = frame["source_row"].tolist()
    # each spelling's first position: written from the end, the first one stays
    first_position = dict(zip(reversed(regions), range(len(regions) - 1, -1, -1), strict=True))
    first_position.pop(None, None)
    first: dict[str, tuple[str, int]] = {}
    for region in sorted(first_position, key=first_position.__getitem__):
        first.setdefault(
            codes.normalize_name(region), (region, source_rows[first_position[region]])
        )
    return first


def regions_to_create(con: duckdb.DuckDBPyConnection, validated: ValidatedTable) -> list[str]:
    """The regions of a file that the database does not know (created with ``new_region``),
    each in its first spelling, in file order."""
    known = queries.region_ids(con)
    return [region for key, (region, _) in _first_rows(validated).items() if key not in known]


def _unknown_regions(validated: ValidatedTable, context: CheckContext) -> list[Problem]:
    """An unknown region is refused (against typing errors) unless the user asked to create it;
    one problem per region, on the row it first appears on."""
    if context.new_region:
        return []
    known = queries.region_ids(context.con)
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


def _region_key(region: object) -> str | None:
    return None if region is None else codes.normalize_name(region)


def _period_forms(validated: ValidatedTable, context: CheckContext) -> list[Problem]:
    """A region keeps the one period form (years, quarters or months) of its stored data of the
    same kind: every row with another form is a problem."""
    frame = validated.frame
    if "periode" not in frame.columns:
        return []
    regions = frame["regio"].tolist()
    periods = frame["periode"].tolist()
    keys = per_distinct(regions, _region_key)
    known = queries.region_ids(context.con)
    region_ids = sorted({known[key] for key in set(keys) if key in known})
    # one query for every region of the file, not one per region
    stored = {
        region_id: period_granularity(first)
        for region_id, first in queries.first_periods(
            context.con, validated.kind, region_ids
        ).items()
    }
    forms = per_distinct(periods, lambda p: None if p is None else period_granularity(p))
    column = validated.header_names.get("periode", "periode")
    problems: list[Problem] = []
    for region, key, period, form, source_row in zip(
        regions, keys, periods, forms, frame["source_row"].tolist(), strict=True
    ):
        if region is None or period is None or key not in known:
            continue
        wanted = stored.get(known[key])
        if wanted is None or form == wanted:
            continue
        problems.append(
            Problem(
                source_row,
                column,
                period,
                f"regio '{region}' heeft in Ketenkaart al gegevens per {wanted}, deze periode "
                f"is een {form}",
                f"een periode in de vorm {_GRANULARITY_FORM[wanted]}, zoals de eerdere uploads "
                "van deze regio",
            )
        )
    return problems


def _outside_rights(validated: ValidatedTable, context: CheckContext) -> list[Problem]:
    """Every row naming a region or organisation outside the uploader's rights (access.md):
    the file is refused whole, each such row named."""
    principal = context.principal
    if principal.is_beheerder:
        return []
    frame = validated.frame
    subject = SUBJECT_COLUMN[validated.kind]
    region_column = validated.header_names.get("regio", "regio")
    subject_column_name = validated.header_names.get(subject, subject)
    own = sorted({g.organisation for g in principal.grants if g.organisation})
    problems: list[Problem] = []
    for region, organisation, source_row in zip(
        frame["regio"].tolist(), frame[subject].tolist(), frame["source_row"].tolist(), strict=True
    ):
        if region is None or organisation is None:
            continue
        if principal.may_upload(region, organisation):
            continue
        if principal.may_change(region) or principal.own_organisations(region):
            problems.append(
                Problem(
                    source_row,
                    subject_column_name,
                    organisation,
                    "u mag alleen gegevens van uw eigen organisatie uploaden",
                    "de naam van uw organisatie (" + ", ".join(f"'{name}'" for name in own) + ")",
                )
            )
        else:
            mine = sorted({r for g in principal.grants if g.role != "lezer" for r in g.regions})
            problems.append(
                Problem(
                    source_row,
                    region_column,
                    region,
                    "u mag geen gegevens uploaden voor deze regio",
                    (
                        "een regio waarvoor u mag uploaden ("
                        + ", ".join(f"'{name}'" for name in mine)
                        + ")"
                    )
                    if mine
                    else "uw rol mag geen gegevens uploaden",
                )
            )
    return problems


#: The checks that need the database, in the order their problems are listed: the user's
#: rights per row first.
DATABASE_CHECKS: tuple[DatabaseCheck, ...] = (_outside_rights, _unknown_regions, _period_forms)


def _check_against_database(
    con: duckdb.DuckDBPyConnection,
    validated: ValidatedTable,
    new_region: bool,
    principal: Principal = LOCAL,
) -> dict[str, int | None]:
    """The database checks again, at storing time (inside the transaction), for a table whose
    cells passed.

    Returns the region id per region key (None for a region still to be created).

    Raises:
        ValidationError: with every problem of :data:`DATABASE_CHECKS`.
    """
    problems = database_problems(con, validated, new_region=new_region, principal=principal)
    if problems:
        raise ValidationError(problems)
    known = queries.region_ids(con)
    return {key: known.get(key) for key in _first_rows(validated)}


def _canonical(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


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
    texts = [per_distinct(column, _json_text) for column in columns]
    return ["[" + row + "]" for row in map(", ".join, zip(*texts, strict=True))]


def _hash_texts(texts: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(texts)).encode("utf-8")).hexdigest()


def _partner_key(value: object) -> str | None:
    return codes.normalize_name(value) if isinstance(value, str) and value.strip() else None


def _partner_column(kind: str) -> Column:
    """The one column of ``kind`` stored on each row that names an organisation (the partner)."""
    (column,) = (c for c in row_columns(kind) if c.references == ORGANISATIONS)
    return column


def _first_spellings(
    names: list[object], keys: list[str | None], order: list[int] | None = None
) -> dict[str, str]:
    """The first spelling (stripped) of each name key, in order of first appearance, taking the
    names at the positions ``order`` (default: all, in turn); a key of None (an empty optional
    partner) is left out. ``keys[i]`` is the key of ``names[i]``.

    >>> _first_spellings([" Noord", "noord ", "Zuid", None], ["noord", "noord", "zuid", None])
    {'noord': 'Noord', 'zuid': 'Zuid'}
    """
    key_of = dict(zip(names, keys, strict=True))  # a spelling always has the same key
    taken = names if order is None else map(names.__getitem__, order)
    first: dict[str, str] = {}
    for name in dict.fromkeys(taken):  # each spelling once, in order of first appearance
        key = key_of[name]
        if key is not None and key not in first:
            first[key] = name.strip()
    return first


def store_validated(
    con: duckdb.DuckDBPyConnection,
    validated: ValidatedTable,
    *,
    file_name: str,
    sha256: str,
    new_region: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
    principal: Principal = LOCAL,
) -> ImportResult:
    """Store a validated table as new versions, in one transaction (see :func:`import_file`).

    Plan, then write: the rows are grouped by (region, organisation[, period]); a group whose
    content hash equals that of its current version stores nothing; the others become new
    versions with their rows, through :mod:`ketendata.store.writes`. The file name is stored
    (and shown) with whatever in it looks like personal data masked.
    """
    now = now or datetime.now()
    file_name = safe_file_name(file_name)
    kind = validated.kind
    frame = validated.frame
    partner = _partner_column(kind)
    period = period_column(kind)

    # Plain lists, and each name normalised once per distinct spelling: the file's rows repeat
    # the same few regions, organisations and partners.
    values = {name: frame[name].tolist() for name in frame.columns}
    regions, subjects = values["regio"], values[SUBJECT_COLUMN[kind]]
    region_keys = per_distinct(regions, codes.normalize_name)
    subject_keys = per_distinct(subjects, codes.normalize_name)
    partner_keys = per_distinct(values[partner.name], _partner_key)
    # The content of a row: its partner by name key, then the other stored columns in order.
    hash_columns = [partner_keys] + [
        values[c.name] for c in row_columns(kind) if c.references != ORGANISATIONS
    ]
    group_columns = [region_keys, subject_keys] + ([values[period.name]] if period else [])

    with store.transaction(con):
        region_ids = _check_against_database(con, validated, new_region, principal)
        region_names = _first_spellings(regions, region_keys)

        groups: list[tuple[str, str, str | None, str, list[int]]] = []
        unchanged = 0
        # One pass over the rows and one query for the current versions, not one per group.
        row_texts = _canonical_rows(hash_columns)
        current_hashes = queries.current_content_hashes(
            con, kind, sorted({rid for rid in region_ids.values() if rid is not None})
        )
        positions_by_group: dict[tuple, list[int]] = {}
        for position, group_key in enumerate(zip(*group_columns, strict=True)):
            positions_by_group.setdefault(group_key, []).append(position)
        for group_key in sorted(positions_by_group):
            positions = positions_by_group[group_key]
            region_key, subject_key = group_key[0], group_key[1]
            group_period = group_key[2] if period else None
            content = _hash_texts([row_texts[i] for i in positions])
            current = current_hashes.get((region_ids[region_key], subject_key, group_period))
            if current == content:
                unchanged += 1
                continue
            groups.append((region_key, subject_key, group_period, content, positions))

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
                tuple(sorted({s.strip() for s in set(subjects)})),
                tuple(validated.warnings),
            )

        created = [(region_names[key], key) for key, rid in region_ids.items() if rid is None]
        region_ids.update(writes.insert_regions(con, created, now))

        order = [position for *_, positions in groups for position in positions]
        partner_names = values[partner.name]

        # Organisations by name key, each in its first spelling: the version holders first,
        # then the partners, in the order the rows are stored.
        org_names: dict[str, str] = {}
        for _, subject_key, *_, positions in groups:
            org_names.setdefault(subject_key, subjects[positions[0]].strip())
        partner_spellings = _first_spellings(partner_names, partner_keys, order)
        for key, name in partner_spellings.items():
            org_names.setdefault(key, name)
        org_ids = queries.organisation_ids(con, list(org_names))
        missing = [(name, key) for key, name in org_names.items() if key not in org_ids]
        org_ids.update(writes.insert_organisations(con, missing, now))

        stored_regions = sorted({region_names[g[0]] for g in groups})
        stored_subjects = sorted({subjects[positions[0]].strip() for *_, positions in groups})
        import_id = writes.insert_import(
            con,
            file_name=file_name,
            sha256=sha256,
            kind=kind,
            regions=stored_regions,
            subjects=stored_subjects,
            rows_read=validated.rows_read,
            rows_stored=len(order),
            warnings=validated.warnings,
            now=now,
        )
        audit.record(
            con,
            principal.user,
            "import",
            f"import {import_id}",
            sorted({region_ids[g[0]] for g in groups}),
            now=now,
        )
        version_ids = writes.insert_versions(
            con,
            import_id,
            kind,
            [
                writes.NewVersion(
                    region_ids[region_key],
                    org_ids[subject_key],
                    group_period,
                    content,
                    len(positions),
                )
                for region_key, subject_key, group_period, content, positions in groups
            ],
        )
        version_of_row: list[int | None] = [None] * len(regions)
        for version_id, (*_, positions) in zip(version_ids, groups, strict=True):
            for position in positions:
                version_of_row[position] = version_id
        rows: dict[str, list[object]] = {
            "version_id": version_of_row,
            "source_row": values["source_row"],
        }
        for column in row_columns(kind):
            if column.references == ORGANISATIONS:
                rows[column.store] = per_distinct(
                    partner_keys, lambda key: None if key is None else org_ids.get(key)
                )
            else:
                rows[column.store] = values[column.name]
        writes.insert_rows(
            con,
            kind,
            rows,
            order,
            chunk_rows=CHUNK_ROWS if progress is not None else None,
            progress=progress,
        )

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


def undo_import(
    con: duckdb.DuckDBPyConnection,
    import_id: int,
    *,
    now: datetime | None = None,
    principal: Principal = LOCAL,
) -> UndoResult:
    """Undo an import: its versions stop being current, the previous versions count again.

    Raises:
        LookupError: there is no such import, or it was undone already (Dutch message).
        AccessDenied: the import holds data the principal may not change (access.md).
    """
    now = now or datetime.now()
    with store.transaction(con):
        state = queries.import_state(con, import_id)
        if state is None:
            raise LookupError(f"Import {import_id} bestaat niet.")
        file_name, undone, versions = state
        scope = audit.import_scope(con, import_id)
        if not import_scope_allowed(principal, [(r, o) for _, r, o in scope]):
            raise AccessDenied(
                f"U mag import {import_id} niet ongedaan maken: die bevat gegevens van een "
                "organisatie of regio buiten uw rechten."
            )
        if undone:
            raise LookupError(f"Import {import_id} is al ongedaan gemaakt.")
        writes.insert_undo(con, import_id, now)
        audit.record(
            con,
            principal.user,
            "undo",
            f"import {import_id}",
            sorted({r for r, _, _ in scope}) or [None],
            now=now,
        )
    return UndoResult(import_id, file_name, versions)


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


def _require_change(principal: Principal, region: str, what: str) -> None:
    """Refuse a region-wide change the principal has no right to (access.md)."""
    if not principal.may_change(region):
        raise AccessDenied(f"U mag {what} {region} niet wijzigen.")


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


def _or_none(value: object) -> object:
    """A cell of a frame as stored: None for an empty one (None or NaN)."""
    return None if value is None or pd.isna(value) else value


def import_matrix(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    region: str,
    *,
    now: datetime | None = None,
    principal: Principal = LOCAL,
) -> MatrixResult:
    """Give a region its own norm matrix from a file shaped like the default one.

    Raises:
        ValidationError: the file or the region is refused; nothing was written.
        AccessDenied: the principal may not change the region's matrix (access.md).
    """
    _require_change(principal, region, "de normenmatrix van")
    matrix = validate_matrix(read_table(data, file_name), extras=True)
    file_name = safe_file_name(file_name)
    rows = [
        (partner_type, agreement_type, norm, bool(child), source, _or_none(level), int(weight))
        for partner_type, agreement_type, norm, child, source, level, weight in (
            matrix.itertuples(index=False, name=None)
        )
    ]
    now = now or datetime.now()
    with store.transaction(con):
        region_id, name = _matrix_region_id(con, region)
        if queries.own_matrix_rows(con, region_id) == rows:
            return MatrixResult(name, len(rows), False, True)
        matrix_id = writes.insert_matrix(
            con, region_id, file_name=file_name, sha256=sha256_hex(data), rows=rows, now=now
        )
        audit.record(con, principal.user, "matrix", f"matrix {matrix_id}", [region_id], now=now)
    return MatrixResult(name, len(rows), False, False)


def use_default_matrix(
    con: duckdb.DuckDBPyConnection,
    region: str,
    *,
    now: datetime | None = None,
    principal: Principal = LOCAL,
) -> MatrixResult:
    """Put a region back on the default norm matrix (its own versions are kept).

    Raises:
        AccessDenied: the principal may not change the region's matrix (access.md).
    """
    _require_change(principal, region, "de normenmatrix van")
    now = now or datetime.now()
    with store.transaction(con):
        region_id, name = _matrix_region_id(con, region)
        if queries.own_matrix_rows(con, region_id) is None:
            return MatrixResult(name, 0, True, True)
        matrix_id = writes.insert_default_matrix(con, region_id, now)
        audit.record(
            con, principal.user, "matrix_reset", f"matrix {matrix_id}", [region_id], now=now
        )
    return MatrixResult(name, 0, True, False)
