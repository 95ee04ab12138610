"""The audit log (access.md): every change with the acting user, the time, the kind of change,
the region and what it concerned. Rows are only ever inserted: no statement in Ketenkaart
updates or deletes them. Merges, unmerges and dismissals of the partner register are kept in
their own append-only table and are read into the log (:func:`entries`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import duckdb

from ketendata.store import partners
from ketendata.store.connection import next_id

__all__ = ["AUDIT_ACTIONS", "entries", "import_scope", "record"]

#: The kinds of change the log knows (access.md), in the spec's order.
AUDIT_ACTIONS = (
    "import",
    "undo",
    "matrix",
    "matrix_reset",
    "action_add",
    "action_update",
    "user_add",
    "user_remove",
    "alias_merge",
    "alias_unmerge",
    "alias_dismiss",
    "meeting",
    "redact",  # erasure of an import's texts (ketendata.store.redact); beyond access.md's list
)


def record(
    con: duckdb.DuckDBPyConnection,
    user: str,
    action: str,
    subject: str,
    region_ids: Iterable[int | None] = (None,),
    *,
    now: datetime | None = None,
) -> None:
    """Append one entry per region (one with no region when ``region_ids`` is ``(None,)``).

    Call it inside the transaction of the change it records, so both are stored or neither.
    """
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    at = (now or datetime.now()).replace(microsecond=0)
    for region_id in sorted(set(region_ids), key=lambda r: (r is not None, r or 0)):
        entry_id = next_id(con, "audit")
        con.execute(
            "INSERT INTO audit (id, changed_at, changed_by, action, region_id, subject) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [entry_id, at, user, action, region_id, subject],
        )


def entries(
    con: duckdb.DuckDBPyConnection, region_ids: Iterable[int] | None = None
) -> list[dict[str, str | None]]:
    """The log as access.md prints it, oldest first: ``at`` (``YYYY-MM-DDTHH:MM:SS``), ``user``,
    ``action``, ``region`` (a name or None) and ``subject``. With ``region_ids`` only the
    entries of those regions (a ``gemeente`` sees its regions' entries)."""
    rows = con.execute(
        "SELECT a.changed_at, a.changed_by, a.action, r.name, a.subject, a.id, a.region_id "
        "FROM audit a LEFT JOIN regions r ON r.id = a.region_id ORDER BY a.changed_at, a.id"
    ).fetchall()
    wanted = None if region_ids is None else set(region_ids)
    found = [
        (at, 0, entry_id, user, action, region, subject)
        for at, user, action, region, subject, entry_id, region_id in rows
        if wanted is None or region_id in wanted
    ]
    names = None
    if wanted is not None:
        names = {
            name
            for (name,) in con.execute(
                "SELECT name FROM regions WHERE list_contains(?, id)", [sorted(wanted)]
            ).fetchall()
        }
    for position, alias in enumerate(partners.audit_entries(con)):
        if names is not None and alias["region"] not in names:
            continue
        at = datetime.strptime(alias["at"], "%Y-%m-%dT%H:%M:%S")
        found.append(
            (at, 1, position, alias["user"], alias["action"], alias["region"], alias["subject"])
        )
    found.sort(key=lambda entry: entry[:3])
    return [
        {
            "at": at.strftime("%Y-%m-%dT%H:%M:%S"),
            "user": user,
            "action": action,
            "region": region,
            "subject": subject,
        }
        for at, _, _, user, action, region, subject in found
    ]


def import_scope(con: duckdb.DuckDBPyConnection, import_id: int) -> list[tuple[int, str, str]]:
    """(region id, region name, organisation name) of every version of an import: what an
    undo would change, for the rights check of access.md."""
    rows = con.execute(
        "SELECT DISTINCT v.region_id, r.name, o.name FROM versions v "
        "JOIN regions r ON r.id = v.region_id JOIN organisations o ON o.id = v.organisation_id "
        "WHERE v.import_id = ? ORDER BY 1, 3",
        [import_id],
    ).fetchall()
    return [(int(region_id), region, organisation) for region_id, region, organisation in rows]
