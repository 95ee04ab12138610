"""A backup of the database file and putting one back.

A backup is a copy of the file made while this process holds it (after a checkpoint, so the
copy holds every committed change and nothing half-written). Restoring checks that the backup
is a Ketenkaart database this release can read, keeps the file it replaces beside it, and copies
the backup in place. Nothing is ever deleted.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from ketendata.store.connection import DatabaseError, connect
from ketendata.store.schema import SCHEMA_VERSION, schema_version

__all__ = ["BACKUP_PATTERN", "backup_database", "restore_database"]

#: File names of backups (sorted by name they are sorted by time).
BACKUP_PATTERN = "ketenkaart-{stamp}.duckdb"


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def backup_database(path: str | Path, folder: str | Path, now: datetime | None = None) -> Path:
    """Copy the database at ``path`` into ``folder``; return the copy's path.

    Raises:
        DatabaseError: there is no database at ``path``.
        DatabaseBusyError: another program keeps the file busy.
    """
    path, folder = Path(path), Path(folder)
    if not path.is_file():
        raise DatabaseError(f"Er is geen database '{path}' om een reservekopie van te maken.")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BACKUP_PATTERN.format(stamp=_stamp(now or datetime.now()))
    con = connect(path)  # holds the file: nobody writes while it is copied
    try:
        con.execute("CHECKPOINT")
        shutil.copyfile(path, target)
    finally:
        con.close()
    return target


def restore_database(backup: str | Path, path: str | Path, now: datetime | None = None) -> Path:
    """Put ``backup`` back as the database at ``path``.

    The file it replaces is kept beside it (``<naam>.voor-herstel-<tijd>.duckdb``), whose path
    is returned (or ``path`` itself when there was no database yet).

    Raises:
        DatabaseError: the backup is missing, damaged, not a Ketenkaart database, or from a newer
            release.
        DatabaseBusyError: another program keeps the database busy.
    """
    backup, path = Path(backup), Path(path)
    if not backup.is_file():
        raise DatabaseError(f"De reservekopie '{backup}' bestaat niet.")
    try:
        check = connect(backup, read_only=True)
    except DatabaseError as error:
        raise DatabaseError(
            f"De reservekopie '{backup}' is beschadigd of geen database van Ketenkaart."
        ) from error
    try:
        version = schema_version(check)
    finally:
        check.close()
    if not 1 <= version <= SCHEMA_VERSION:
        raise DatabaseError(
            f"De reservekopie '{backup}' is geen database die deze versie van Ketenkaart kan "
            f"lezen (schemaversie {version})."
        )
    kept = path
    if path.exists():
        con = connect(path)  # fails with a clear message while the app or an import holds it
        con.close()
        kept = path.with_name(f"{path.stem}.voor-herstel-{_stamp(now or datetime.now())}.duckdb")
        shutil.move(path, kept)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        shutil.move(wal, kept.with_name(kept.name + ".wal"))
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(backup, path)
    return kept
