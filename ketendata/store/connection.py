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
