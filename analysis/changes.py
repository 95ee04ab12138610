"""What changed between two moments (changes.md): agreement links added, ended (with why) and
changed per field. Pure: takes the agreement frames of two states, returns sorted lists of
plain dicts in the JSON form of ``ketenkaart.changes/1``.

The findings, coverage, handover and stagnation parts of the contract are still to come; the
``python -m analysis changes`` command is built on this module once they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from analysis.codes import normalize_name

__all__ = ["Link", "compare_links", "link_rows", "links_on"]

#: Best first: a link's status is the best among its current rows (changes.md).
_STATUS_RANK = {"schriftelijk": 0, "mondeling": 1, "in_ontwikkeling": 2}

LinkKey = tuple[str, str, str]


@dataclass(frozen=True)
class Link:
    """One (holder, partner, agreement type) at a moment, with the first spelling stored."""

    organisation: str
    partner: str
    partner_type: str
    agreement_type: str
    status: str
    child_specific: bool
    evaluated_on: date | None


def _is_current(status: str, end_date: date | None, on: date) -> bool:
    return status != "beeindigd" and (end_date is None or end_date >= on)


def _key(organisation: str, partner: str, agreement_type: str) -> LinkKey:
    return (normalize_name(organisation), normalize_name(partner), agreement_type)


def link_rows(agreements: pd.DataFrame) -> dict[LinkKey, list[dict[str, Any]]]:
    """Every row of the inventories per link (one per agreement type of a row), in file order."""
    rows: dict[LinkKey, list[dict[str, Any]]] = {}
    for row in agreements.to_dict("records"):
        for agreement_type in row["agreement_types"]:
            rows.setdefault(_key(row["organisation"], row["partner"], agreement_type), []).append(
                {**row, "agreement_type": agreement_type}
            )
    return rows


def links_on(agreements: pd.DataFrame, on: date) -> dict[LinkKey, Link]:
    """The links current on the date ``on``: at least one row not ended on that date.

    >>> frame = pd.DataFrame([{"organisation": "Opvang", "partner": "VT", "partner_type":
    ...     "veilig_thuis", "agreement_types": ("meldcode",), "status": "mondeling",
    ...     "child_specific": False, "end_date": None, "evaluated_on": None}])
    >>> [link.status for link in links_on(frame, date(2026, 12, 1)).values()]
    ['mondeling']
    """
    links: dict[LinkKey, Link] = {}
    for key, rows in link_rows(agreements).items():
        current = [r for r in rows if _is_current(r["status"], r["end_date"], on)]
        if not current:
            continue
        evaluated = [r["evaluated_on"] for r in current if r["evaluated_on"] is not None]
        first = rows[0]
        links[key] = Link(
            organisation=first["organisation"],
            partner=first["partner"],
            partner_type=first["partner_type"],
            agreement_type=first["agreement_type"],
            status=min((r["status"] for r in current), key=_STATUS_RANK.__getitem__),
            child_specific=any(bool(r["child_specific"]) for r in current),
            evaluated_on=max(evaluated) if evaluated else None,
        )
    return links


def _why_ended(rows: list[dict[str, Any]] | None) -> str:
    if not rows:
        return "niet_meer_opgegeven"
    if all(r["status"] == "beeindigd" for r in rows):
        return "beeindigd"
    return "einddatum"


def _entry(link: Link) -> dict[str, Any]:
    return {
        "organisation": link.organisation,
        "partner": link.partner,
        "partner_type": link.partner_type,
        "agreement_type": link.agreement_type,
    }


def _order(entry: dict[str, Any]) -> tuple:
    return (
        entry["organisation"].casefold(),
        entry["partner"].casefold(),
        entry["agreement_type"],
        entry.get("field", ""),
    )


def compare_links(
    before: pd.DataFrame, since: date, after: pd.DataFrame, until: date
) -> dict[str, list[dict[str, Any]]]:
    """Links ``added``, ``ended`` (with ``why``) and ``changed`` (one entry per field) between
    the agreement frames of two states, each judged on its own date (changes.md)."""
    old, new = links_on(before, since), links_on(after, until)
    rows_after = link_rows(after)
    added = [{**_entry(new[k]), "status": new[k].status} for k in new.keys() - old.keys()]
    ended = [
        {**_entry(old[k]), "status": old[k].status, "why": _why_ended(rows_after.get(k))}
        for k in old.keys() - new.keys()
    ]
    changed = []
    for key in old.keys() & new.keys():
        for field, attribute in (
            ("status", "status"),
            ("kindspecifiek", "child_specific"),
            ("geevalueerd_op", "evaluated_on"),
        ):
            was, now = getattr(old[key], attribute), getattr(new[key], attribute)
            if was != now:
                if isinstance(was, date) or isinstance(now, date):
                    was, now = (v.isoformat() if v is not None else None for v in (was, now))
                changed.append({**_entry(new[key]), "field": field, "before": was, "after": now})
    return {
        "added": sorted(added, key=_order),
        "ended": sorted(ended, key=_order),
        "changed": sorted(changed, key=_order),
    }
