"""Actions agreed in a meeting (actions.md): every SQL statement about them.

An action is a row of ``actions`` (its region and the gap it is linked to, which never change)
and one or more rows of ``action_versions``; every change adds a version that copies what did
not change, so nothing is ever deleted. The current version is the one with the highest number.
Meetings live in :mod:`ketendata.store.meetings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import duckdb

from ketendata.store import audit
from ketendata.store.connection import fetch_row, fetch_value, next_id, transaction

__all__ = [
    "LINK_COLUMNS",
    "VERSION_FIELDS",
    "action_history",
    "action_region",
    "add_action",
    "list_actions",
    "update_action",
]

#: Link key (as in actions.md) -> column of ``actions``.
LINK_COLUMNS: dict[str, str] = {
    "organisation": "link_organisation",
    "partner_type": "link_partner_type",
    "agreement_type": "link_agreement_type",
    "phase": "link_phase",
    "kind": "link_gap_kind",
    "domain": "link_domain",
    "topic": "link_topic",
}

#: The fields a version holds (besides its number and time).
VERSION_FIELDS: tuple[str, ...] = ("title", "owner", "due", "status", "note")

_SELECT = f"""
    SELECT a.id, r.name AS region, v.version, v.title, v.owner, v.due, v.status, v.note,
           a.created_at, v.changed_at,
           {", ".join(f"a.{column} AS {key}" for key, column in LINK_COLUMNS.items())}
    FROM actions a
    JOIN regions r ON r.id = a.region_id
    JOIN action_versions v ON v.action_id = a.id
"""

_CURRENT = """
    v.version = (SELECT max(version) FROM action_versions w WHERE w.action_id = a.id)
"""


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> list[dict[str, Any]]:
    result = con.execute(sql, params)
    names = [column[0] for column in result.description]
    rows = []
    for values in result.fetchall():
        row = dict(zip(names, values, strict=True))
        row["link"] = {key: row.pop(key) for key in LINK_COLUMNS}
        rows.append(row)
    return rows


def add_action(
    con: duckdb.DuckDBPyConnection,
    region_id: int,
    fields: Mapping[str, Any],
    link: Mapping[str, str | None],
    now: datetime,
    *,
    user: str = "lokaal",
) -> int:
    """Store a new action with its first version; returns its id (never reused). The audit
    log records ``user`` in the same transaction."""
    now = now.replace(microsecond=0)
    with transaction(con):
        action_id = next_id(con, "actions")
        con.execute(
            f"INSERT INTO actions (id, region_id, {', '.join(LINK_COLUMNS.values())}, created_at) "
            f"VALUES (?, ?, {', '.join('?' for _ in LINK_COLUMNS)}, ?)",
            [action_id, region_id, *(link.get(key) for key in LINK_COLUMNS), now],
        )
        con.execute(
            "INSERT INTO action_versions (action_id, version, title, owner, due, status, note, "
            "changed_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
            [action_id, *(fields.get(name) for name in VERSION_FIELDS), now],
        )
        audit.record(con, user, "action_add", f"actie {action_id}", [region_id], now=now)
    return action_id


def update_action(
    con: duckdb.DuckDBPyConnection,
    action_id: int,
    changes: Mapping[str, Any],
    now: datetime,
    *,
    user: str = "lokaal",
) -> int:
    """Add a version of an action: ``changes`` (a subset of :data:`VERSION_FIELDS`; None
    clears an optional field) over a copy of the current version. Returns the new version."""
    unknown = set(changes) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    with transaction(con):
        current = fetch_row(
            con,
            f"SELECT version, {', '.join(VERSION_FIELDS)} FROM action_versions "
            "WHERE action_id = ? ORDER BY version DESC LIMIT 1",
            [action_id],
        )
        if current is None:
            raise LookupError(f"Onbekende actie {action_id}.")
        values = dict(zip(VERSION_FIELDS, current[1:], strict=True)) | dict(changes)
        version = int(current[0]) + 1
        con.execute(
            "INSERT INTO action_versions (action_id, version, title, owner, due, status, note, "
            "changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                action_id,
                version,
                *(values[name] for name in VERSION_FIELDS),
                now.replace(microsecond=0),
            ],
        )
        region_id = fetch_value(con, "SELECT region_id FROM actions WHERE id = ?", [action_id])
        audit.record(con, user, "action_update", f"actie {action_id}", [region_id], now=now)
    return version


def action_region(con: duckdb.DuckDBPyConnection, action_id: int) -> str | None:
    """The region of an action, or None when there is no such action."""
    return fetch_value(
        con,
        "SELECT r.name FROM actions a JOIN regions r ON r.id = a.region_id WHERE a.id = ?",
        [action_id],
    )


def list_actions(con: duckdb.DuckDBPyConnection, region_id: int) -> list[dict[str, Any]]:
    """The current version of every action of a region, by id; ``updated_at`` is the time of
    that version and ``link`` holds every link key (None when not part of the link)."""
    rows = _rows(con, f"{_SELECT} WHERE a.region_id = ? AND {_CURRENT} ORDER BY a.id", [region_id])
    for row in rows:
        row["updated_at"] = row.pop("changed_at")
    return rows


def action_history(con: duckdb.DuckDBPyConnection, action_id: int) -> list[dict[str, Any]]:
    """Every version of one action, oldest first (empty for an unknown id): each the action as
    it was then, so its ``updated_at`` is the ``changed_at`` of that version."""
    rows = _rows(con, f"{_SELECT} WHERE a.id = ? ORDER BY v.version", [action_id])
    for row in rows:
        row["updated_at"] = row["changed_at"]
    return rows
