"""The DuckDB schema of Ketenkaart and its migrations: every table is created here, and an
existing database file is brought forward step by step, in place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from analysis.codes import normalize_name
from ketendata.settings import LOCK_WAIT_SECONDS
from ketendata.store.connection import DatabaseError, connect, fetch_value, transaction

__all__ = [
    "CONTENT_TABLES",
    "KEPT_APART",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "dump_content",
    "migrate",
    "open_database",
    "schema_version",
]

#: A step of a migration: an SQL statement, or a function that changes the data in place (for
#: what SQL cannot compute, such as a name key made by :func:`analysis.codes.normalize_name`).
Step = str | Callable[[duckdb.DuckDBPyConnection], None]

#: Joins a name key and a row id when two stored names got the same key from a newer
#: :func:`analysis.codes.normalize_name` (U+2063 INVISIBLE SEPARATOR): ``normalize_name`` removes
#: it, so no uploaded name can ever have such a key.
KEPT_APART = "\u2063"


def _recompute_name_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Give every region and organisation the name key of today's ``normalize_name`` (version 4:
    invisible characters removed and NFKC before the key is made).

    An older release made keys without that, so a look-alike (a zero-width character, a
    decomposed accent) could be stored beside the real name under another key. When two rows of
    a table now get the same key they are kept apart, deterministically: a row whose stored key
    already is that key keeps it (it is what uploads match today), else the lowest id gets it;
    each other row gets ``key + KEPT_APART + id``, which no upload can match. Nothing is merged:
    their versions and history stay as they were.
    """
    for table in ("regions", "organisations"):
        rows = con.execute(f"SELECT id, name, name_key FROM {table} ORDER BY id").fetchall()
        wanted = {row_id: normalize_name(name) for row_id, name, _ in rows}
        order = sorted(rows, key=lambda row: (row[2] != wanted[row[0]], row[0]))
        taken: set[str] = set()
        changed: list[tuple[int, str]] = []
        for row_id, _, stored in order:
            key = wanted[row_id]
            if key in taken:
                key = f"{key}{KEPT_APART}{row_id}"
            taken.add(key)
            if key != stored:
                changed.append((row_id, key))
        # two rounds, so that no key is ever held by two rows in between
        for row_id, _ in changed:
            con.execute(
                f"UPDATE {table} SET name_key = ? WHERE id = ?",
                [f"{KEPT_APART}{KEPT_APART}{row_id}", row_id],
            )
        for row_id, key in changed:
            con.execute(f"UPDATE {table} SET name_key = ? WHERE id = ?", [key, row_id])


# Each migration brings the schema from version n-1 to n. Never edit a released step: add one.
MIGRATIONS: tuple[tuple[int, tuple[Step, ...]], ...] = (
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
    (
        3,
        (
            # Erasure (ketendata/store/redact.py): which import was redacted, by whom, when and
            # why. The one table whose rows say that others were changed in place.
            """CREATE TABLE redactions (
                import_id INTEGER NOT NULL UNIQUE,
                redacted_at TIMESTAMP NOT NULL,
                redacted_by VARCHAR NOT NULL,
                why VARCHAR NOT NULL
            )""",
        ),
    ),
    # Name keys as issue 14 makes them: a look-alike name gets the key of the real one.
    (4, (_recompute_name_keys,)),
    (
        5,
        (
            # Actions agreed in a meeting (actions.md). An action's region and the gap it is
            # linked to never change; everything else is a new version (nothing is deleted).
            """CREATE TABLE actions (
                id INTEGER PRIMARY KEY,
                region_id INTEGER NOT NULL,
                link_organisation VARCHAR,
                link_partner_type VARCHAR,
                link_agreement_type VARCHAR,
                link_phase VARCHAR,
                link_gap_kind VARCHAR,
                link_domain VARCHAR,
                link_topic VARCHAR,
                created_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE action_versions (
                action_id INTEGER NOT NULL,
                version INTEGER NOT NULL,
                title VARCHAR NOT NULL,
                owner VARCHAR,
                due DATE,
                status VARCHAR NOT NULL,
                note VARCHAR,
                changed_at TIMESTAMP NOT NULL,
                PRIMARY KEY (action_id, version)
            )""",
            # Regional meetings as moments (changes.md: "since the last meeting").
            """CREATE TABLE meetings (
                id INTEGER PRIMARY KEY,
                region_id INTEGER NOT NULL,
                held_at TIMESTAMP NOT NULL,
                recorded_at TIMESTAMP NOT NULL
            )""",
        ),
    ),
    (
        6,
        (
            # A region's own matrix keeps bron, niveau and gewicht (normenkader.md, issue 12):
            # the document of the norm number, the lowest level that counts (NULL: any level)
            # and the weight (1-3) when gaps are ranked.
            "ALTER TABLE matrix_rows ADD COLUMN source VARCHAR",
            "ALTER TABLE matrix_rows ADD COLUMN min_level VARCHAR",
            "ALTER TABLE matrix_rows ADD COLUMN weight INTEGER",
            # Rows of older releases were judged with the inferred document, any level and
            # weight 1 (analysis.codes.infer_norm_source as it was then): store exactly that.
            """UPDATE matrix_rows SET
                weight = 1,
                source = CASE
                    WHEN lower(norm) LIKE '%normenkader 2019%' THEN 'normenkader 2019'
                    WHEN lower(norm) LIKE '%inspectie 2017%' THEN 'inspectie 2017'
                    WHEN lower(norm) LIKE '%valente 2024%' THEN 'valente 2024'
                    WHEN norm = '4.5' THEN 'normenkader 2019'
                    ELSE 'keurmerk'
                END""",
        ),
    ),
    (
        7,
        (
            # The partner register (partners.md): 'merge' makes organisation_id an alias of
            # into_id in the region, 'unmerge' ends that, 'dismiss' says the pair is not the same
            # partner (never suggested again). Append-only: the aliases at a moment are the
            # latest merge/unmerge per (region, organisation) made at or before it.
            """CREATE TABLE alias_events (
                id INTEGER PRIMARY KEY,
                region_id INTEGER NOT NULL,
                action VARCHAR NOT NULL,
                organisation_id INTEGER NOT NULL,
                into_id INTEGER,
                changed_at TIMESTAMP NOT NULL,
                changed_by VARCHAR NOT NULL
            )""",
        ),
    ),
    (
        8,
        (
            # After departure (formats.md, issue 16): four optional counts of an uitstroom row;
            # rows of older releases have none of them (NULL: not given, so not judged).
            "ALTER TABLE handover_rows ADD COLUMN aftercare_six_months INTEGER",
            "ALTER TABLE handover_rows ADD COLUMN moved_to_other_region INTEGER",
            "ALTER TABLE handover_rows ADD COLUMN regisseur_new_municipality INTEGER",
            "ALTER TABLE handover_rows ADD COLUMN signalling_partners_informed INTEGER",
        ),
    ),
    (
        9,
        (
            # Who may see and change what (access.md, issue 11). Both tables are append-only:
            # a user's role is granted by an 'add' row and ended by a later 'remove' row of the
            # same (email, role); the roles of a user now are the latest row per role when it is
            # an 'add'. region_ids: the role's regions (empty for beheerder).
            """CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                email VARCHAR NOT NULL,
                event VARCHAR NOT NULL,
                role VARCHAR NOT NULL,
                region_ids INTEGER[] NOT NULL,
                organisation VARCHAR,
                changed_at TIMESTAMP NOT NULL,
                changed_by VARCHAR NOT NULL
            )""",
            # The audit log: every change with the acting user; never updated or deleted.
            """CREATE TABLE audit (
                id INTEGER PRIMARY KEY,
                changed_at TIMESTAMP NOT NULL,
                changed_by VARCHAR NOT NULL,
                action VARCHAR NOT NULL,
                region_id INTEGER,
                subject VARCHAR NOT NULL
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
    "redactions",
    "actions",
    "action_versions",
    "meetings",
    "alias_events",
    "users",
    "audit",
)


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
                if callable(statement):
                    statement(con)
                else:
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


def dump_content(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every content table, sorted: two equal dumps mean equal content."""
    dump: dict[str, list[tuple]] = {}
    for table in CONTENT_TABLES:
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
        dump[table] = sorted(rows, key=repr)
    return dump
