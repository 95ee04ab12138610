"""The partner register (partners.md): every SQL statement about aliases and dismissed pairs.

An alias says that, in one region, an organisation name means another organisation. Nothing is
ever updated or deleted: ``alias_events`` holds one row per merge, unmerge or dismissal, and the
aliases of a region at a moment are, per organisation, its latest merge or unmerge made at or
before that moment (the same "state at moment T" as the imports, changes.md). Reading a region
applies them to the frames (:func:`apply_aliases`); the stored rows keep the names as uploaded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from analysis.codes import normalize_name
from ketendata.store.connection import next_id, transaction

__all__ = [
    "ALIAS_ACTIONS",
    "NAME_COLUMNS",
    "Alias",
    "alias_names",
    "aliases_by_region",
    "apply_aliases",
    "audit_entries",
    "current_aliases",
    "dismissed_pairs",
    "organisation_names",
    "record_event",
]

#: The actions of ``alias_events`` (and of the audit log, access.md: ``alias_<action>``).
ALIAS_ACTIONS = ("merge", "unmerge", "dismiss")

#: The columns of each frame of :class:`~ketendata.store.queries.RegionFrames` that hold an
#: organisation name (the holder first).
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "agreements": ("organisation", "partner"),
    "handovers": ("organisation", "partner"),
    "stagnation": ("respondent", "partner"),
}


@dataclass(frozen=True)
class Alias:
    """One current alias of a region: ``alias`` means ``into`` since ``since``."""

    alias_id: int
    alias: str
    into_id: int
    into: str
    since: datetime
    by: str


def record_event(
    con: duckdb.DuckDBPyConnection,
    region_id: int,
    action: str,
    organisation_id: int,
    into_id: int | None,
    *,
    by: str,
    now: datetime,
) -> int:
    """Append one merge, unmerge or dismissal; returns its id. The caller checks the rules."""
    if action not in ALIAS_ACTIONS:
        raise ValueError(f"unknown alias action {action!r}")
    with transaction(con):
        event_id = next_id(con, "alias_events")
        con.execute(
            "INSERT INTO alias_events (id, region_id, action, organisation_id, into_id, "
            "changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [event_id, region_id, action, organisation_id, into_id, now.replace(microsecond=0), by],
        )
    return event_id


def _latest_merges_sql(at: datetime | None) -> tuple[str, list[object]]:
    """The latest merge or unmerge per (region, organisation) made at or before ``at`` (None:
    now), keeping only merges: the current aliases, as SQL for a CTE and its parameters."""
    where = "action IN ('merge', 'unmerge')"
    params: list[object] = []
    if at is not None:
        where += " AND changed_at <= ?"
        params.append(at)
    sql = f"""
        SELECT * FROM (
            SELECT * FROM alias_events WHERE {where}
            QUALIFY row_number() OVER (
                PARTITION BY region_id, organisation_id ORDER BY id DESC
            ) = 1
        ) WHERE action = 'merge'
    """
    return sql, params


def current_aliases(
    con: duckdb.DuckDBPyConnection, region_id: int | None, at: datetime | None = None
) -> list[Alias]:
    """The aliases of a region at ``at`` (None: now), sorted by alias name (case folded)."""
    latest, params = _latest_merges_sql(at)
    rows = con.execute(
        f"""
        WITH latest AS ({latest})
        SELECT l.organisation_id, a.name, l.into_id, t.name, l.changed_at, l.changed_by
        FROM latest l
        JOIN organisations a ON a.id = l.organisation_id
        JOIN organisations t ON t.id = l.into_id
        WHERE l.region_id = ?
        """,
        [*params, region_id],
    ).fetchall()
    aliases = [Alias(*row) for row in rows]
    return sorted(aliases, key=lambda a: (normalize_name(a.alias), a.alias_id))


def aliases_by_region(
    con: duckdb.DuckDBPyConnection, at: datetime | None = None
) -> dict[int, dict[str, str]]:
    """Per region id, the current aliases as {alias display name: target display name}."""
    latest, params = _latest_merges_sql(at)
    rows = con.execute(
        f"""
        WITH latest AS ({latest})
        SELECT l.region_id, a.name, t.name FROM latest l
        JOIN organisations a ON a.id = l.organisation_id
        JOIN organisations t ON t.id = l.into_id
        """,
        params,
    ).fetchall()
    found: dict[int, dict[str, str]] = {}
    for region_id, alias, into in rows:
        found.setdefault(int(region_id), {})[alias] = into
    return found


def alias_names(
    con: duckdb.DuckDBPyConnection, region_id: int | None, at: datetime | None = None
) -> dict[str, str]:
    """The aliases of one region at ``at`` as {alias display name: target display name}."""
    return {a.alias: a.into for a in current_aliases(con, region_id, at)}


def dismissed_pairs(con: duckdb.DuckDBPyConnection, region_id: int | None) -> set[frozenset[str]]:
    """The pairs of name keys of a region that were dismissed (either order)."""
    rows = con.execute(
        """
        SELECT a.name_key, t.name_key FROM alias_events e
        JOIN organisations a ON a.id = e.organisation_id
        JOIN organisations t ON t.id = e.into_id
        WHERE e.region_id = ? AND e.action = 'dismiss'
        """,
        [region_id],
    ).fetchall()
    return {frozenset(row) for row in rows}


def organisation_names(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> dict[str, tuple]:
    """(id, display name) of each of these names that the store knows, by name key."""
    keys = sorted({normalize_name(name) for name in names})
    if not keys:
        return {}
    rows = con.execute(
        "SELECT name_key, id, name FROM organisations WHERE name_key IN (SELECT unnest(?))",
        [keys],
    ).fetchall()
    return {key: (int(oid), name) for key, oid, name in rows}


def _rename(frame: Any, columns: tuple[str, ...], names: Mapping[str, str]) -> Any:
    """A copy of ``frame`` with each name column's aliases replaced by their target."""
    if frame.empty:
        return frame
    frame = frame.copy()
    for column in columns:
        frame[column] = [
            names.get(value, value) if value is not None else None for value in frame[column]
        ]
    return frame


def apply_aliases(frames: Any, aliases: Mapping[str, str]) -> Any:
    """The frames of a region (a ``RegionFrames``) as one organisation per partner: every name
    that is an alias shown as its target's display name; the other columns as they are.

    An alias whose name holds an inventory in these frames is not applied: a holder's inventory
    stays its own (partners.md), also when it uploaded one after the alias was made.
    """
    if not aliases:
        return frames
    holders = {normalize_name(name) for name in frames.agreements["organisation"]}
    names = {alias: into for alias, into in aliases.items() if normalize_name(alias) not in holders}
    if not names:
        return frames
    return dataclasses.replace(
        frames,
        **{
            kind: _rename(getattr(frames, kind), columns, names)
            for kind, columns in NAME_COLUMNS.items()
        },
    )


def audit_entries(con: duckdb.DuckDBPyConnection) -> list[dict[str, str]]:
    """Every merge, unmerge and dismissal as an entry of the audit log (access.md: ``at``,
    ``user``, ``action`` ``alias_merge`` / ``alias_unmerge`` / ``alias_dismiss``, ``region``,
    ``subject`` naming the names), oldest first, for the audit log to include."""
    rows = con.execute(
        """
        SELECT e.changed_at, e.changed_by, e.action, r.name, a.name, t.name
        FROM alias_events e
        JOIN regions r ON r.id = e.region_id
        JOIN organisations a ON a.id = e.organisation_id
        LEFT JOIN organisations t ON t.id = e.into_id
        ORDER BY e.changed_at, e.id
        """
    ).fetchall()
    return [
        {
            "at": at.strftime("%Y-%m-%dT%H:%M:%S"),
            "user": user,
            "action": f"alias_{action}",
            "region": region,
            "subject": f"{alias} -> {into}" if into is not None else alias,
        }
        for at, user, action, region, alias, into in rows
    ]
