"""The DuckDB schema of Ketenkaart: opening a database file, creating and migrating its tables.

Everything is append-only. An upload becomes an import with one or more versions; a version is
the content of one (kind, region, organisation, period) at the moment of that import. Undoing
an import adds a row to ``undos``; nothing is ever deleted. Ids are taken as ``max(id) + 1``
inside the import's transaction (not from sequences, which do not roll back), so a failed import
leaves the database exactly as it was.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ketendata.settings import LOCK_WAIT_SECONDS

#: Connection options: this machine is offline and Excel is read with openpyxl, so DuckDB must
#: never try to install or load an extension by itself.
CONNECT_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


class DatabaseBusyError(RuntimeError):
    """The database file is held by another process (the running app or another import)."""


class DatabaseError(RuntimeError):
    """The database file cannot be opened or is not a Ketenkaart database."""


# Each migration brings the schema from version n-1 to n. Never edit a released step: add one.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """CREATE TABLE regions (
                id INTEGER PRIMARY KEY,
                name VARCHAR NOT NULL,
                name_key VARCHAR NOT NULL UNIQUE,
                created_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE organisations (
                id INTEGER PRIMARY KEY,
                name VARCHAR NOT NULL,
                name_key VARCHAR NOT NULL UNIQUE,
                created_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE imports (
                id INTEGER PRIMARY KEY,
                file_name VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                regions VARCHAR NOT NULL,
                subjects VARCHAR NOT NULL,
                rows_read INTEGER NOT NULL,
                rows_stored INTEGER NOT NULL,
                warnings VARCHAR NOT NULL,
                imported_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE undos (
                import_id INTEGER NOT NULL UNIQUE,
                undone_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE versions (
                id INTEGER PRIMARY KEY,
                import_id INTEGER NOT NULL,
                kind VARCHAR NOT NULL,
                region_id INTEGER NOT NULL,
                organisation_id INTEGER NOT NULL,
                period VARCHAR,
                content_hash VARCHAR NOT NULL,
                row_count INTEGER NOT NULL
            )""",
            "CREATE INDEX versions_subject ON versions (kind, region_id, organisation_id, period)",
            """CREATE TABLE agreement_rows (
                version_id INTEGER NOT NULL,
                source_row INTEGER NOT NULL,
                organisation_type VARCHAR NOT NULL,
                partner_id INTEGER NOT NULL,
                partner_type VARCHAR NOT NULL,
                agreement_types VARCHAR[] NOT NULL,
                level VARCHAR NOT NULL,
                status VARCHAR NOT NULL,
                child_specific BOOLEAN NOT NULL,
                start_date DATE,
                end_date DATE,
                evaluated_on DATE,
                agreement_id VARCHAR,
                note VARCHAR
            )""",
            "CREATE INDEX agreement_rows_version ON agreement_rows (version_id)",
            """CREATE TABLE handover_rows (
                version_id INTEGER NOT NULL,
                source_row INTEGER NOT NULL,
                phase VARCHAR NOT NULL,
                partner_id INTEGER,
                partner_type VARCHAR NOT NULL,
                families INTEGER NOT NULL,
                warm INTEGER NOT NULL,
                children INTEGER,
                children_handed_over INTEGER,
                with_information INTEGER,
                with_personal_contact INTEGER,
                with_chain_agreements INTEGER,
                regisseur_assigned INTEGER,
                safety_plan_shared INTEGER
            )""",
            "CREATE INDEX handover_rows_version ON handover_rows (version_id)",
            """CREATE TABLE stagnation_rows (
                version_id INTEGER NOT NULL,
                source_row INTEGER NOT NULL,
                domain VARCHAR NOT NULL,
                topic VARCHAR NOT NULL,
                partner_id INTEGER,
                partner_type VARCHAR,
                severity INTEGER NOT NULL,
                wait_days DOUBLE,
                families INTEGER,
                extra_shelter_days INTEGER,
                note VARCHAR
            )""",
            "CREATE INDEX stagnation_rows_version ON stagnation_rows (version_id)",
        ),
    ),
    (
        2,
        (
            # A region's own norm matrix; the newest version of a region counts. A version with
            # uses_default = true (and no rows) puts the region back on the default matrix.
            """CREATE TABLE matrix_versions (
                id INTEGER PRIMARY KEY,
                region_id INTEGER NOT NULL,
                file_name VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                uses_default BOOLEAN NOT NULL,
                created_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE matrix_rows (
                matrix_version_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                partner_type VARCHAR NOT NULL,
                agreement_type VARCHAR NOT NULL,
                norm VARCHAR NOT NULL,
                child_required BOOLEAN NOT NULL
            )""",
        ),
    ),
)

#: The schema version this release writes.
SCHEMA_VERSION = MIGRATIONS[-1][0]

#: Every table that holds content (for comparisons of a database before and after).
CONTENT_TABLES = (
    "regions",
    "organisations",
    "imports",
    "undos",
    "versions",
    "agreement_rows",
    "handover_rows",
    "stagnation_rows",
    "matrix_versions",
    "matrix_rows",
)


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text or "conflicting" in text


def connect(
    path: str | Path,
    *,
    read_only: bool = False,
    wait_seconds: float = LOCK_WAIT_SECONDS,
) -> duckdb.DuckDBPyConnection:
    """Open a database file, retrying briefly while another process holds it.

    Raises:
        DatabaseBusyError: the file is still held by another process after ``wait_seconds``.
        DatabaseError: the file cannot be opened (not a DuckDB file, no permission).
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=CONNECT_CONFIG)
        except duckdb.IOException as error:
            if not _is_lock_error(error):
                raise DatabaseError(
                    f"De database '{path}' kan niet worden geopend: {error}"
                ) from error
            if time.monotonic() >= deadline:
                raise DatabaseBusyError(
                    f"De database '{path}' is in gebruik door een ander programma "
                    "(bijvoorbeeld de draaiende app of een andere import). "
                    "Sluit dat programma of probeer het later opnieuw."
                ) from error
            time.sleep(0.1)
        except duckdb.Error as error:
            raise DatabaseError(f"De database '{path}' kan niet worden geopend: {error}") from error


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open database; 0 for an empty file."""
    exists = fetch_value(
        con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    )
    if not exists:
        return 0
    value = fetch_value(con, "SELECT max(version) FROM schema_version")
    return int(value or 0)


def migrate(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema to ``target`` (default the newest), step by step, each in one transaction.

    Returns the version before migrating. A database written by a newer release is refused.
    """
    before = schema_version(con)
    if before > SCHEMA_VERSION:
        raise DatabaseError(
            f"Deze database heeft schemaversie {before}; deze versie van Ketenkaart kent "
            f"versie {SCHEMA_VERSION}. Werk Ketenkaart bij."
        )
    for version, statements in MIGRATIONS:
        if version <= before or version > target:
            continue
        with transaction(con):
            if version == 1:
                con.execute(
                    "CREATE TABLE schema_version (version INTEGER NOT NULL, "
                    "applied_at TIMESTAMP NOT NULL)"
                )
            for statement in statements:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [version])
    return before


def open_database(
    path: str | Path, *, wait_seconds: float = LOCK_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a database file for writing, with the current schema."""
    con = connect(path, wait_seconds=wait_seconds)
    try:
        migrate(con)
    except Exception:
        con.close()
        raise
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block in one transaction: committed when it ends, rolled back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def fetch_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> tuple | None:
    """The first row of a query, or None; the result is read to the end.

    DuckDB 2 keeps a connection busy until a result is fetched completely, so a bare
    ``fetchone()`` would block the next statement on the same connection.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def fetch_value(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None):
    """The first column of the first row of a query, or None."""
    row = fetch_row(con, sql, params)
    return row[0] if row else None


def next_id(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """The next free id of a table (call inside the writing transaction)."""
    return int(fetch_value(con, f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))


def dump_content(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every content table, sorted: two equal dumps mean equal content."""
    dump: dict[str, list[tuple]] = {}
    for table in CONTENT_TABLES:
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
        dump[table] = sorted(rows, key=repr)
    return dump
