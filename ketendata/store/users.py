"""Users and their roles (access.md): every SQL statement about the ``users`` table.

Nothing is updated or deleted: granting a role appends an ``add`` row, ending it a ``remove``
row of the same (email, role). A user's roles now are, per role, its latest row when that is an
``add``; the earlier rows are the history. E-mail addresses are stored in lower case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb

from ketendata.store.connection import next_id

__all__ = ["append_event", "current_roles"]

_CURRENT = """
    WITH latest AS (
        SELECT *, row_number() OVER (PARTITION BY email, role ORDER BY id DESC) AS n
        FROM users
    )
    SELECT l.email, l.role, l.region_ids, l.organisation,
           list(r.name ORDER BY r.name_key) FILTER (WHERE r.id IS NOT NULL) AS regions
    FROM latest l
    LEFT JOIN regions r ON list_contains(l.region_ids, r.id)
    WHERE l.n = 1 AND l.event = 'add' {where}
    GROUP BY l.email, l.role, l.region_ids, l.organisation
    ORDER BY l.email, l.role
"""


def append_event(
    con: duckdb.DuckDBPyConnection,
    email: str,
    event: str,
    role: str,
    region_ids: Sequence[int],
    organisation: str | None,
    *,
    by: str,
    now: datetime,
) -> int:
    """Append one ``add`` or ``remove`` row (call inside the caller's transaction)."""
    if event not in ("add", "remove"):
        raise ValueError(f"unknown user event {event!r}")
    row_id = next_id(con, "users")
    con.execute(
        "INSERT INTO users (id, email, event, role, region_ids, organisation, changed_at, "
        "changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row_id,
            email.lower(),
            event,
            role,
            sorted(region_ids),
            organisation,
            now.replace(microsecond=0),
            by,
        ],
    )
    return row_id


def current_roles(con: duckdb.DuckDBPyConnection, email: str | None = None) -> list[dict[str, Any]]:
    """Every current role (of one user when ``email`` is given, compared in lower case), sorted
    by email and role: ``email``, ``role``, ``region_ids``, ``regions`` (names, sorted) and
    ``organisation``."""
    where, params = ("", []) if email is None else ("AND l.email = ?", [email.lower()])
    rows = con.execute(_CURRENT.format(where=where), params).fetchall()
    return [
        {
            "email": row_email,
            "role": role,
            "region_ids": list(region_ids),
            "organisation": organisation,
            "regions": list(regions or []),
        }
        for row_email, role, region_ids, organisation, regions in rows
    ]
