"""Actions agreed in a meeting, judged against the current report (actions.md): whether an action
is overdue and whether the gap it addresses is still open. Pure: no DuckDB, nothing from
``ketendata``; the report is the dict of :func:`analysis.report.build_report`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from analysis.codes import normalize_name

__all__ = [
    "ACTION_STATUSES",
    "LINK_FORMS",
    "OPEN_STATUSES",
    "is_gap_open",
    "is_overdue",
    "link_form",
]

#: The statuses of an action, in the order of the spec; ``open`` is the default.
ACTION_STATUSES: dict[str, str] = {
    "open": "Open",
    "bezig": "Bezig",
    "gereed": "Gereed",
    "vervallen": "Vervallen",
}

#: The statuses of an action still to be done (overdue, the report's "actions").
OPEN_STATUSES: tuple[str, ...] = ("open", "bezig")

#: The four forms of a link, each with its keys (codes as in formats.md); a stagnation link may
#: also carry ``partner_type``.
LINK_FORMS: dict[str, tuple[str, ...]] = {
    "finding": ("organisation", "partner_type", "agreement_type"),
    "partner_type": ("partner_type",),
    "handover_gap": ("organisation", "partner_type", "phase", "kind"),
    "stagnation": ("domain", "topic"),
}


def link_form(link: Mapping[str, Any] | None) -> str | None:
    """The form of a link (a key of :data:`LINK_FORMS`), or None when it is in none of them.

    >>> link_form({"partner_type": "politie"}), link_form({"domain": "wonen", "topic": "urgentie"})
    ('partner_type', 'stagnation')
    >>> link_form({"organisation": "Opvang Noord"}) is None
    True
    """
    if not link:
        return None
    keys = {key for key, value in link.items() if value is not None}
    for form, wanted in LINK_FORMS.items():
        allowed = set(wanted) | ({"partner_type"} if form == "stagnation" else set())
        if set(wanted) <= keys <= allowed:
            return form
    return None


def is_overdue(status: str, due: date | None, today: date) -> bool:
    """An action still to be done whose due date lies before the analysis date.

    >>> is_overdue("open", date(2026, 1, 1), date(2026, 1, 2))
    True
    >>> day = date(2026, 1, 2)
    >>> is_overdue("gereed", date(2026, 1, 1), day), is_overdue("bezig", None, day)
    (False, False)
    """
    return status in OPEN_STATUSES and due is not None and due < today


def _same_name(left: object, right: object) -> bool:
    return normalize_name(str(left)) == normalize_name(str(right))


def is_gap_open(link: Mapping[str, Any] | None, report: Mapping[str, Any]) -> bool | None:
    """Whether the gap a link names still exists in ``report``; None without a link.

    A finding is open while its status is not ``met``; a partner type while it is among the
    missing partner types; a handover gap while it is in ``handover_gaps``; a stagnation topic
    while it is flagged in the latest period (without a partner type: for any partner type).
    Organisation names are compared as names (case and spacing do not matter).

    >>> report = {"network": {"partner_types_missing": ["politie"]}, "norms": {"findings": []},
    ...           "handover_gaps": [], "stagnation": [
    ...     {"domain": "wonen", "topic": "urgentie", "partner_type": "gemeente", "flagged": True}]}
    >>> [is_gap_open({"partner_type": code}, report) for code in ("politie", "ggz")]
    [True, False]
    >>> is_gap_open({"domain": "wonen", "topic": "urgentie"}, report)
    True
    >>> is_gap_open(None, report) is None
    True
    """
    form = link_form(link)
    if form is None or link is None:
        return None
    if form == "partner_type":
        missing = report.get("network", {}).get("partner_types_missing", [])
        return link["partner_type"] in missing
    if form == "finding":
        return any(
            finding.get("status") != "met"
            and _same_name(finding.get("organisation"), link["organisation"])
            and finding.get("partner_type") == link["partner_type"]
            and finding.get("agreement_type") == link["agreement_type"]
            for finding in report.get("norms", {}).get("findings", [])
        )
    if form == "handover_gap":
        return any(
            _same_name(gap.get("organisation"), link["organisation"])
            and all(gap.get(key) == link[key] for key in ("partner_type", "phase", "kind"))
            for gap in report.get("handover_gaps", [])
        )
    partner_type = link.get("partner_type")
    return any(
        bool(topic.get("flagged"))
        and topic.get("domain") == link["domain"]
        and topic.get("topic") == link["topic"]
        and (partner_type is None or topic.get("partner_type") == partner_type)
        for topic in report.get("stagnation", [])
    )
