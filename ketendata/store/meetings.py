"""Regional meetings as moments (changes.md, actions.md): the date-time a working group met, so
that "since the last meeting" is a moment Ketenkaart knows and the default of every "since"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import duckdb

from ketendata.access import LOCAL, AccessDenied, Principal
from ketendata.store import audit
from ketendata.store.connection import fetch_value, next_id, transaction
from ketendata.store.queries import find_region_row

__all__ = [
    "DEFAULT_LOOKBACK_DAYS",
    "UnknownRegionError",
    "default_since",
    "last_meeting",
    "list_meetings",
    "record_meeting",
]

#: Without a recorded meeting, "since" is this many days before the analysis date (changes.md).
DEFAULT_LOOKBACK_DAYS = 90


class UnknownRegionError(LookupError):
    """A meeting was asked for a region the database does not know."""


def _region_id(con: duckdb.DuckDBPyConnection, region: str) -> int:
    found = find_region_row(con, region)
    if found is None:
        raise UnknownRegionError(f"Onbekende regio '{region}'.")
    return found[0]


def record_meeting(
    con: duckdb.DuckDBPyConnection,
    region: str,
    held_at: datetime,
    *,
    now: datetime | None = None,
    principal: Principal = LOCAL,
) -> int:
    """Record that the region met at ``held_at``; returns the meeting's id. Recording the same
    moment twice keeps one meeting (a page that is reloaded during the meeting).

    Raises:
        AccessDenied: only a region-wide right records a meeting (access.md); nothing stored.
    """
    region_id = _region_id(con, region)
    if not principal.may_change(region):
        raise AccessDenied(f"U mag geen vergadering van {region} vastleggen.")
    held_at = held_at.replace(microsecond=0)
    with transaction(con):
        existing = fetch_value(
            con,
            "SELECT id FROM meetings WHERE region_id = ? AND held_at = ?",
            [region_id, held_at],
        )
        if existing is not None:
            return int(existing)
        meeting_id = next_id(con, "meetings")
        con.execute(
            "INSERT INTO meetings (id, region_id, held_at, recorded_at) VALUES (?, ?, ?, ?)",
            [meeting_id, region_id, held_at, (now or datetime.now()).replace(microsecond=0)],
        )
        audit.record(
            con, principal.user, "meeting", f"vergadering {meeting_id}", [region_id], now=now
        )
    return meeting_id


def list_meetings(con: duckdb.DuckDBPyConnection, region: str) -> list[datetime]:
    """The moments the region met, oldest first."""
    rows = con.execute(
        "SELECT held_at FROM meetings WHERE region_id = ? ORDER BY held_at, id",
        [_region_id(con, region)],
    ).fetchall()
    return [row[0] for row in rows]


def last_meeting(con: duckdb.DuckDBPyConnection, region: str, before: datetime) -> datetime | None:
    """The region's latest meeting strictly before ``before``, or None."""
    return fetch_value(
        con,
        "SELECT max(held_at) FROM meetings WHERE region_id = ? AND held_at < ?",
        [_region_id(con, region), before],
    )


def default_since(con: duckdb.DuckDBPyConnection, region: str, today: date) -> datetime:
    """The default "since" of changes and exports: the region's last meeting before the
    analysis date, else the end of the day 90 days before it (meeting.md)."""
    found = last_meeting(con, region, datetime.combine(today, time.min))
    if found is not None:
        return found
    return datetime.combine(today - timedelta(days=DEFAULT_LOOKBACK_DAYS), time(23, 59, 59))
