"""Opening a Ketenkaart database file: short sessions, retries while another process holds the
file, transactions and small fetch helpers.

DuckDB lets one process hold a file read-write, or several processes hold it read-only, never
both. So nobody keeps the file open: the app and the commands open it for one read or one write
(:func:`reading`, :func:`writing`), wait a few seconds when another process has it, and then
give up with a Dutch :class:`DatabaseBusyError` instead of hanging.

Everything is append-only. An upload becomes an import with one or more versions; a version is
the content of one (kind, region, organisation, period) at the moment of that import. Undoing
an import adds a row to ``undos``; nothing is ever deleted. Ids are taken as ``max(id) + 1``
inside the import's transaction (not from sequences, which do not roll back), so a failed import
leaves the database exactly as it was.
"""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ketendata.settings import LOCK_WAIT_SECONDS

__all__ = [
    "CONNECT_CONFIG",
    "DatabaseBusyError",
    "DatabaseDamagedError",
    "DatabaseError",
    "DiskFullError",
    "connect",
    "fetch_row",
    "fetch_value",
    "next_id",
    "reading",
    "session",
    "transaction",
    "writing",
]

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


class DatabaseDamagedError(DatabaseError):
    """The database file is damaged or incomplete (truncated, a failed disk, overwritten)."""


class DiskFullError(DatabaseError):
    """The disk holding the database is full; what was being written is not stored."""


#: What DuckDB says about a damaged or incomplete file (lower case).
_DAMAGE_SIGNS = (
    "corrupt database file",
    "not a valid duckdb database file",
    "could not read enough bytes",
    "checksum",
    "failed to read database header",
    "invalid database header",
)


def _damaged_message(path: Path) -> str:
    return (
        f"De database '{path}' is beschadigd of onvolledig: Ketenkaart kan hem niet lezen. Er "
        "is niets veranderd of opgeslagen. Zet de laatste reservekopie terug: sluit de app en "
        "typ `make restore FILE=backups/ketenkaart-….duckdb` (of `python -m ketendata restore "
        "BESTAND`); het beschadigde bestand blijft daarbij bewaard. Is er geen reservekopie, "
        "vraag dan uw beheerder om hulp."
    )


def _full_message(path: Path) -> str:
    return (
        f"De schijf waarop de database '{path}' staat, is vol. Wat u wilde opslaan is niet "
        "opgeslagen; de gegevens die er al stonden zijn heel gebleven. Maak ruimte vrij op die "
        "schijf (of vraag uw beheerder dat te doen) en probeer het daarna opnieuw."
    )


def _permission_message(path: Path) -> str:
    return (
        f"Ketenkaart mag de database '{path}' (of de map waarin hij staat) niet lezen of "
        "schrijven. Vraag uw beheerder de rechten van het bestand en de map te controleren."
    )


def explain_failure(path: str | Path, error: BaseException) -> DatabaseError | None:
    """The Dutch error, with what to do, for a damaged file, a full disk or missing rights;
    None for anything else (a programming error stays what it is)."""
    path = Path(path)
    if isinstance(error, DatabaseError):
        return None
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFullError(_full_message(path))
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return DatabaseError(_permission_message(path))
        return None
    if not isinstance(error, duckdb.Error):
        return None
    text = str(error).lower()
    if "no space left on device" in text or "disk quota exceeded" in text:
        return DiskFullError(_full_message(path))
    if any(sign in text for sign in _DAMAGE_SIGNS):
        return DatabaseDamagedError(_damaged_message(path))
    if "permission denied" in text or "read-only file system" in text:
        return DatabaseError(_permission_message(path))
    return None


def _busy_message(path: Path) -> str:
    return (
        f"De database '{path}' is in gebruik door een ander programma (bijvoorbeeld een import "
        "of een reservekopie die nog loopt) en is na een paar seconden wachten nog niet vrij. "
        "Wacht even en probeer het opnieuw; blijft dit zo, sluit dan het andere programma."
    )


def _is_busy_error(error: Exception) -> bool:
    """A lock held by another process, or (within this process) a connection to the same file
    in the other mode: DuckDB refuses a read-only and a read-write connection side by side."""
    text = str(error).lower()
    if isinstance(error, duckdb.ConnectionException):
        return "different configuration" in text
    return isinstance(error, duckdb.IOException) and ("lock" in text or "conflicting" in text)


def connect(
    path: str | Path,
    *,
    read_only: bool = False,
    wait_seconds: float = LOCK_WAIT_SECONDS,
) -> duckdb.DuckDBPyConnection:
    """Open a database file, retrying briefly while another process holds it.

    A plain connection, kept until the caller closes it; prefer :func:`reading` and
    :func:`writing`, which close it again and create or migrate the schema when needed.

    Raises:
        DatabaseBusyError: the file is still held by another process after ``wait_seconds``.
        DatabaseError: the file cannot be opened (not a DuckDB file, no permission; read-only:
            the file does not exist).
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=CONNECT_CONFIG)
        except duckdb.Error as error:
            if not _is_busy_error(error):
                explained = explain_failure(path, error)
                if explained is not None:
                    raise explained from error
                raise DatabaseError(
                    f"De database '{path}' kan niet worden geopend: {error}"
                ) from error
            if time.monotonic() >= deadline:
                raise DatabaseBusyError(_busy_message(path)) from error
            time.sleep(0.05)


# --- Short sessions ---------------------------------------------------------------------------


class _Gate:
    """Within this process: any number of readers or one writer of one database file.

    DuckDB itself shares one open file between the connections of a process, but refuses a
    read-only connection while a read-write one is open (and the other way round), and two
    writers in one process would race for the same ``max(id) + 1``. The app's sessions run in
    threads, so they queue here; other processes are kept apart by DuckDB's file lock. A
    waiting writer goes before new readers, so a stream of page loads cannot starve an import.
    A thread may nest sessions of the same kind (its depth is counted), not a write in a read.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writer: int | None = None
        self._writers_waiting = 0
        self._depth: dict[int, int] = {}

    def enter(self, write: bool, deadline: float) -> bool:
        """Wait until this thread may read (or write); False when ``deadline`` passes first."""
        me = threading.get_ident()
        with self._changed:
            if self._depth.get(me):
                if write != (self._writer == me):
                    raise RuntimeError("een lees- en een schrijfsessie kunnen niet in elkaar")
                self._depth[me] += 1
                return True
            if write:
                self._writers_waiting += 1
                try:
                    free = self._changed.wait_for(
                        lambda: self._writer is None and self._readers == 0,
                        max(deadline - time.monotonic(), 0),
                    )
                finally:
                    self._writers_waiting -= 1
                if not free:
                    self._changed.notify_all()  # readers held back by this writer may go
                    return False
                self._writer = me
            else:
                free = self._changed.wait_for(
                    lambda: self._writer is None and self._writers_waiting == 0,
                    max(deadline - time.monotonic(), 0),
                )
                if not free:
                    return False
                self._readers += 1
            self._depth[me] = 1
            return True

    def leave(self) -> None:
        me = threading.get_ident()
        with self._changed:
            self._depth[me] -= 1
            if self._depth[me]:
                return
            del self._depth[me]
            if self._writer == me:
                self._writer = None
            else:
                self._readers -= 1
            self._changed.notify_all()


_gates: dict[str, _Gate] = {}
_gates_lock = threading.Lock()


def _gate(path: Path) -> _Gate:
    key = str(path.resolve())
    with _gates_lock:
        return _gates.setdefault(key, _Gate())


@contextmanager
def _gated(path: Path, write: bool, deadline: float) -> Iterator[None]:
    gate = _gate(path)
    if not gate.enter(write, deadline):
        raise DatabaseBusyError(_busy_message(path))
    try:
        yield
    finally:
        gate.leave()


def _remaining(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.0)


def _stored_schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open file; 0 for a file without tables.

    Asks the table directly: the first ``information_schema`` query of a fresh connection costs
    about 13 ms, a plain query well under one.
    """
    try:
        return int(fetch_value(con, "SELECT max(version) FROM schema_version") or 0)
    except duckdb.CatalogException:
        return 0


@contextmanager
def session(
    path: str | Path, *, write: bool = False, wait_seconds: float = LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one read or one write, closed when the block ends.

    Reading opens the file read-only, so readers in other processes (``python -m analysis
    report``) can read at the same time. A file that does not exist yet, or that an older
    release wrote, is first created or migrated in a short write session; writing migrates too.
    While another process holds the file this waits, ``wait_seconds`` in all (a few seconds:
    a session of the app or a command holds the file well under a second).

    A damaged file, a full disk or missing rights, at opening or during the block, become a
    Dutch :class:`DatabaseDamagedError`, :class:`DiskFullError` or :class:`DatabaseError`
    that says what to do.

    Raises:
        DatabaseBusyError: the file is still held after ``wait_seconds`` (Dutch message).
        DatabaseError: the file cannot be opened or is not a Ketenkaart database.
    """
    path = Path(path)
    try:
        with _session(path, write, wait_seconds) as con:
            yield con
    except (duckdb.Error, OSError) as error:
        explained = explain_failure(path, error)
        if explained is None:
            raise
        raise explained from error


@contextmanager
def _session(path: Path, write: bool, wait_seconds: float) -> Iterator[duckdb.DuckDBPyConnection]:
    from ketendata.store.schema import SCHEMA_VERSION, migrate  # schema imports this module

    deadline = time.monotonic() + wait_seconds
    if write:
        with _gated(path, True, deadline):
            con = connect(path, wait_seconds=_remaining(deadline))
            try:
                migrate(con)
                yield con
            finally:
                con.close()
        return
    for _ in range(2):  # the second round reads the file the write session just migrated
        if not path.is_file() or path.stat().st_size == 0:
            with session(path, write=True, wait_seconds=_remaining(deadline)):
                pass
        with _gated(path, False, deadline):
            con = connect(path, read_only=True, wait_seconds=_remaining(deadline))
            try:
                if _stored_schema_version(con) == SCHEMA_VERSION:
                    yield con
                    return
            finally:
                con.close()
        # Older: migrate it. Newer: migrate() refuses it with a Dutch message.
        with session(path, write=True, wait_seconds=_remaining(deadline)):
            pass
    raise DatabaseError(f"De database '{path}' kon niet worden bijgewerkt naar het nieuwe schema.")


def reading(
    path: str | Path, *, wait_seconds: float = LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for one read (see :func:`session`)::

    with reading(path) as con:
        regions = queries.list_regions(con)
    """
    return session(path, write=False, wait_seconds=wait_seconds)


def writing(
    path: str | Path, *, wait_seconds: float = LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for one write, with the current schema (see :func:`session`)."""
    return session(path, write=True, wait_seconds=wait_seconds)


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
