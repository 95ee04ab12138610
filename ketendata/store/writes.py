"""Writing into the store: the statements an import, an undo and a norm matrix run.

Every function takes a connection inside the caller's transaction (the importer stores a file
whole or not at all) and only appends: a new region, organisation, import, version, row, undo
or matrix version. Ids are taken as ``max(id) + 1`` (:func:`ketendata.store.next_id`) inside that
transaction, so a failed import leaves the database exactly as it was. The row tables' columns
and their DuckDB types come from the one schema description, :mod:`ketendata.columns`.

Many rows go in with one statement over columns registered with DuckDB (NumPy arrays, no
DataFrame in between): a statement costs a few milliseconds beyond its rows, so one per row
would cost seconds for a national file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import NamedTuple

import duckdb
import numpy as np

from ketendata.columns import (
    BOOLEAN,
    DATE_STORAGE,
    DOUBLE,
    INTEGER,
    ROW_KEY_COLUMNS,
    ROW_TABLES,
    VARCHAR,
    VARCHAR_LIST,
    row_columns,
)
from ketendata.store.connection import next_id

__all__ = [
    "NewVersion",
    "insert_default_matrix",
    "insert_import",
    "insert_matrix",
    "insert_organisations",
    "insert_regions",
    "insert_rows",
    "insert_undo",
    "insert_versions",
    "per_distinct",
    "row_table_columns",
]

#: What a list of codes is stored through: joined with this, split again by DuckDB (codes
#: never hold it).
_LIST_SEPARATOR = ";"


class NewVersion(NamedTuple):
    """A version an import creates: the content of one (kind, region, organisation, period)."""

    region_id: int
    organisation_id: int
    period: str | None
    content_hash: str
    row_count: int


def row_table_columns(kind: str) -> tuple[tuple[str, str], ...]:
    """(store column, DuckDB type) of every column of the row table of ``kind``, in table order.

    >>> row_table_columns("stagnatie")[:3]
    (('version_id', 'INTEGER'), ('source_row', 'INTEGER'), ('domain', 'VARCHAR'))
    """
    return ROW_KEY_COLUMNS + tuple((c.store, c.storage) for c in row_columns(kind))


def _stored_as(column: str, storage: str) -> str:
    """The SQL that turns a registered column into its stored type.

    >>> _stored_as("agreement_types", "VARCHAR[]"), _stored_as("start_date", "DATE")
    ("string_split(agreement_types, ';')", 'CAST(start_date AS DATE)')
    """
    if storage == VARCHAR_LIST:
        return f"string_split({column}, '{_LIST_SEPARATOR}')"
    return f"CAST({column} AS {storage})"


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, data: object) -> Iterator[str]:
    """``data`` (NumPy columns by name) readable as the relation ``name`` during the block."""
    con.register(name, data)
    try:
        yield name
    finally:
        con.unregister(name)


def _insert_select(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[tuple[str, str]],
    data: Mapping[str, np.ndarray],
    params: Sequence[object] = (),
    constants: Sequence[tuple[str, str]] = (),
) -> None:
    """One ``INSERT INTO table (...) SELECT ...`` over NumPy columns: ``columns`` are (name,
    DuckDB type) of ``data``; ``constants`` are (name, SQL) of the same value on every row,
    whose ``?`` take ``params``."""
    names = [name for name, _ in columns] + [name for name, _ in constants]
    select = [_stored_as(name, storage) for name, storage in columns] + [
        sql for _, sql in constants
    ]
    with _registered(con, f"new_{table}", data) as relation:
        con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(select)} FROM {relation}",
            list(params),
        )


def _objects(values: Sequence[object]) -> np.ndarray:
    """Values as a one-dimensional NumPy object array (DuckDB reads None as NULL)."""
    return np.fromiter(values, dtype=object, count=len(values))


def insert_regions(
    con: duckdb.DuckDBPyConnection, regions: Sequence[tuple[str, str]], now: datetime
) -> dict[str, int]:
    """Create regions from (name, name key) pairs; returns the new id of each name key."""
    first = next_id(con, "regions")
    ids = {key: first + offset for offset, (_, key) in enumerate(regions)}
    if regions:
        _insert_select(
            con,
            "regions",
            [("id", INTEGER), ("name", VARCHAR), ("name_key", VARCHAR)],
            {
                "id": np.arange(first, first + len(regions), dtype=np.int64),
                "name": _objects([name for name, _ in regions]),
                "name_key": _objects([key for _, key in regions]),
            },
            [now],
            [("created_at", "CAST(? AS TIMESTAMP)")],
        )
    return ids


def insert_organisations(
    con: duckdb.DuckDBPyConnection, organisations: Sequence[tuple[str, str]], now: datetime
) -> dict[str, int]:
    """Create organisations from (name, name key) pairs; returns the new id of each name key."""
    first = next_id(con, "organisations")
    ids = {key: first + offset for offset, (_, key) in enumerate(organisations)}
    if organisations:
        _insert_select(
            con,
            "organisations",
            [("id", INTEGER), ("name", VARCHAR), ("name_key", VARCHAR)],
            {
                "id": np.arange(first, first + len(organisations), dtype=np.int64),
                "name": _objects([name for name, _ in organisations]),
                "name_key": _objects([key for _, key in organisations]),
            },
            [now],
            [("created_at", "CAST(? AS TIMESTAMP)")],
        )
    return ids


def insert_import(
    con: duckdb.DuckDBPyConnection,
    *,
    file_name: str,
    sha256: str,
    kind: str,
    regions: Sequence[str],
    subjects: Sequence[str],
    rows_read: int,
    rows_stored: int,
    warnings: Sequence[str],
    now: datetime,
) -> int:
    """Log an import (the regions and organisations it stored data for); returns its id."""
    import_id = next_id(con, "imports")
    con.execute(
        "INSERT INTO imports (id, file_name, sha256, kind, regions, subjects, rows_read, "
        "rows_stored, warnings, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            file_name,
            sha256,
            kind,
            "; ".join(regions),
            "; ".join(subjects),
            rows_read,
            rows_stored,
            json.dumps(list(warnings), ensure_ascii=False),
            now,
        ],
    )
    return import_id


def insert_versions(
    con: duckdb.DuckDBPyConnection, import_id: int, kind: str, versions: Sequence[NewVersion]
) -> list[int]:
    """Store the versions of an import, in one statement; returns their ids in order."""
    first = next_id(con, "versions")
    ids = list(range(first, first + len(versions)))
    if not versions:
        return ids
    region_ids, organisation_ids, periods, hashes, counts = zip(*versions, strict=True)
    _insert_select(
        con,
        "versions",
        [
            ("id", INTEGER),
            ("region_id", INTEGER),
            ("organisation_id", INTEGER),
            ("period", VARCHAR),
            ("content_hash", VARCHAR),
            ("row_count", INTEGER),
        ],
        {
            "id": np.array(ids, dtype=np.int64),
            "region_id": np.array(region_ids, dtype=np.int64),
            "organisation_id": np.array(organisation_ids, dtype=np.int64),
            "period": _objects(periods),
            "content_hash": _objects(hashes),
            "row_count": np.array(counts, dtype=np.int64),
        },
        [import_id, kind],
        [("import_id", "CAST(? AS INTEGER)"), ("kind", "CAST(? AS VARCHAR)")],
    )
    return ids


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    columns: Mapping[str, Sequence[object]],
    order: Sequence[int],
    *,
    chunk_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Store data rows of ``kind``: ``columns`` holds every column of :func:`row_table_columns`
    by store name, one value per row of the file; the rows at positions ``order`` are stored,
    in that order.

    Values are as validation gives them (``int``, ``float``, ``bool``, ``datetime.date``,
    ``str``, a tuple of codes, None), organisations as their ids. With ``chunk_rows`` the rows
    go in ``chunk_rows`` at a time and ``progress`` is called after each chunk with (rows stored
    so far, rows to store).
    """
    layout = row_table_columns(kind)
    positions = np.asarray(order, dtype=np.intp)
    data = {name: _column_array(columns[name], storage, positions) for name, storage in layout}
    total = len(positions)
    step = chunk_rows or max(total, 1)
    for start in range(0, total, step):
        chunk = {name: array[start : start + step] for name, array in data.items()}
        _insert_select(con, ROW_TABLES[kind], layout, chunk)
        if progress is not None:
            progress(min(start + step, total), total)


def _column_array(values: Sequence[object], storage: str, positions: np.ndarray) -> np.ndarray:
    """The values at ``positions`` as DuckDB reads them without guessing: whole numbers without
    gaps as int64, yes/no as bool, everything else as objects the statement casts (dates as ISO
    text, lists of codes joined). A value of another type than the column's is converted first,
    once per distinct value."""
    if storage == VARCHAR_LIST:
        return _objects(per_distinct(values, _LIST_SEPARATOR.join))[positions]
    if storage == DATE_STORAGE:
        return _objects(per_distinct(values, _iso_or_none))[positions]
    if storage == BOOLEAN:
        return np.array(_converted(values, bool, {bool}), dtype=bool)[positions]
    function, ready = _CONVERSIONS[storage]
    taken = _objects(_converted(values, function, ready))[positions]
    if storage == INTEGER:
        try:
            return taken.astype(np.int64)
        except (TypeError, OverflowError):  # an empty cell (None), or out of range for the cast
            pass
    return taken


def per_distinct(values: Sequence[object], function: Callable[[object], object]) -> list[object]:
    """``[function(v) for v in values]``, calling ``function`` once per distinct value (the
    importer's names and content hashes use it too: a file repeats the same few values).

    Values of different types that Python calls equal (``True`` and ``1``) may need different
    results, so a column holding more than one type (besides None) is mapped value by value.

    >>> per_distinct(["a", "b", "a", None], repr)
    ["'a'", "'b'", "'a'", 'None']
    >>> per_distinct([1, True, 1.0], json.dumps)
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


def _shareable(distinct: set[object], values: Sequence[object]) -> bool:
    """Whether equal values of ``values`` are also alike (same type, also inside tuples).

    Text and dates never equal a value of another type, so the distinct values tell; numbers
    (``True == 1 == 1.0``, ``0.0 == -0.0``) need a look at every value.

    >>> _shareable({"a", None}, ["a", None, "a"]), _shareable({1}, [1, True])
    (True, False)
    >>> _shareable({0.0}, [0.0, -0.0]), _shareable({0.0, 2.5}, [0.0, 2.5])
    (False, True)
    """
    types = set(map(type, distinct)) - {type(None)}
    if types <= {str, date, datetime}:
        return True
    if types == {tuple}:
        return all(type(item) is str for value in distinct if value is not None for item in value)
    if len(set(map(type, values)) - {type(None)}) > 1:
        return False
    # one type of number: equal values are alike, but for 0.0 and -0.0
    return float not in types or not any(
        value == 0 and math.copysign(1.0, value) < 0 for value in values if type(value) is float
    )


def _converted(
    values: Sequence[object], function: Callable[[object], object], ready: set[type]
) -> Sequence[object]:
    """``values`` itself when every value's type is in ``ready`` (converting would change
    nothing), else ``function`` applied per distinct value.

    >>> _converted([1, None], int, {int, type(None)}), _converted([1.0, 2], int, {int})
    ([1, None], [1, 2])
    """
    if set(map(type, values)) <= ready:
        return values
    return per_distinct(values, function)


def _iso_or_none(value: object) -> str | None:
    return None if value is None else value.isoformat()


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(value)


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


#: How a value of another type becomes one of the stored type, and the types that need nothing.
_CONVERSIONS: dict[str, tuple[Callable[[object], object], set[type]]] = {
    INTEGER: (_int_or_none, {int, type(None)}),
    DOUBLE: (_float_or_none, {float, type(None)}),
    VARCHAR: (_str_or_none, {str, type(None)}),
}


def insert_undo(con: duckdb.DuckDBPyConnection, import_id: int, now: datetime) -> None:
    """Mark an import as undone (its versions stop being current)."""
    con.execute("INSERT INTO undos (import_id, undone_at) VALUES (?, ?)", [import_id, now])


def insert_matrix(
    con: duckdb.DuckDBPyConnection,
    region_id: int,
    *,
    file_name: str,
    sha256: str,
    rows: Sequence[tuple],
    now: datetime,
) -> int:
    """Give a region its own norm matrix: a new matrix version with ``rows`` (partner type,
    agreement type, norm, child required, source, minimum level or None, weight), in order;
    returns the version's id."""
    version_id = next_id(con, "matrix_versions")
    con.execute(
        "INSERT INTO matrix_versions (id, region_id, file_name, sha256, uses_default, "
        "created_at) VALUES (?, ?, ?, ?, false, ?)",
        [version_id, region_id, file_name, sha256, now],
    )
    if rows:
        con.executemany(
            "INSERT INTO matrix_rows (matrix_version_id, position, partner_type, agreement_type, "
            "norm, child_required, source, min_level, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(version_id, position, *row) for position, row in enumerate(rows)],
        )
    return version_id


def insert_default_matrix(con: duckdb.DuckDBPyConnection, region_id: int, now: datetime) -> int:
    """Put a region back on the default norm matrix (a version without rows; its own versions
    are kept); returns the version's id."""
    version_id = next_id(con, "matrix_versions")
    con.execute(
        "INSERT INTO matrix_versions (id, region_id, file_name, sha256, uses_default, "
        "created_at) VALUES (?, ?, 'standaard', '', true, ?)",
        [version_id, region_id, now],
    )
    return version_id
