"""Everything Ketenkaart keeps in DuckDB: the schema and its migrations (:mod:`.schema`),
opening a file for one read or one write (:mod:`.connection`: :func:`reading`,
:func:`writing`), reading what is current (:mod:`.queries`) and writing imports
(:mod:`.writes`). Every SQL statement of the project lives in this package.

The names below are the ones the rest of the project uses most; they are defined in the
submodules.
"""

from ketendata.store.connection import (
    CONNECT_CONFIG,
    DatabaseBusyError,
    DatabaseError,
    connect,
    fetch_row,
    fetch_value,
    next_id,
    reading,
    session,
    transaction,
    writing,
)
from ketendata.store.schema import (
    CONTENT_TABLES,
    MIGRATIONS,
    SCHEMA_VERSION,
    dump_content,
    migrate,
    open_database,
    schema_version,
)

__all__ = [
    "CONNECT_CONFIG",
    "CONTENT_TABLES",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "DatabaseBusyError",
    "DatabaseError",
    "connect",
    "dump_content",
    "fetch_row",
    "fetch_value",
    "migrate",
    "next_id",
    "open_database",
    "reading",
    "schema_version",
    "session",
    "transaction",
    "writing",
]
