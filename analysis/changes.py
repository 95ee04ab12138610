"""What changed between two moments (changes.md): agreement links added, ended (with why) and
changed per field; norm findings whose status changed, coverage, missing partner types,
warm handover shares and stagnation of the latest periods. Pure: takes the frames of two states
(each with the date it is judged on) and returns the JSON form of ``ketenkaart.changes/1``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from analysis.codes import label, normalize_name
from analysis.handovers import format_percent, latest_period
from analysis.network import build_network, measure_network, name_sort_key, records
from analysis.norms import Finding, coverage, judge_requirements, sort_findings
from analysis.settings import DEFAULT_SETTINGS, Settings
from analysis.stagnation import format_number, summarise_stagnation
from analysis.text import break_autolinks, escape_markdown

__all__ = [
    "SCHEMA",
    "Link",
    "State",
    "build_changes",
    "compare_links",
    "compare_states",
    "link_rows",
    "links_on",
    "render_json",
    "render_markdown",
]

#: The schema name of the JSON.
SCHEMA = "ketenkaart.changes/1"

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


@dataclass(frozen=True)
class State:
    """The data of a region at one moment and the date it is judged on (changes.md)."""

    agreements: pd.DataFrame
    handovers: pd.DataFrame
    stagnation: pd.DataFrame
    matrix: pd.DataFrame
    today: date


def _has_rows(frame: pd.DataFrame | None) -> bool:
    return frame is not None and len(frame) > 0


def _findings(state: State, settings: Settings) -> list[Finding]:
    # a moment without an inventory has no findings: nothing can be missing yet (changes.md)
    if not _has_rows(state.agreements):
        return []
    return judge_requirements(state.agreements, state.matrix, state.today, settings)


def _missing_types(state: State) -> set[str]:
    if not _has_rows(state.agreements):
        return set()
    graph = build_network(state.agreements, state.today)
    return set(measure_network(graph, state.matrix).partner_types_missing)


def _finding_key(finding: Finding) -> tuple[str, str, str]:
    return (normalize_name(finding.organisation), finding.partner_type, finding.agreement_type)


def _compare_findings(old: list[Finding], new: list[Finding]) -> list[dict[str, Any]]:
    before = {_finding_key(f): f for f in old}
    after = {_finding_key(f): f for f in new}
    shown: list[tuple[Finding, str | None, str | None]] = []
    for key in before.keys() | after.keys():
        was, now = before.get(key), after.get(key)
        was_status = was.status if was else None
        now_status = now.status if now else None
        if was_status != now_status:
            shown.append((now or was, was_status, now_status))  # type: ignore[arg-type]
    order = {id(f): i for i, f in enumerate(sort_findings([f for f, _, _ in shown]))}
    shown.sort(key=lambda item: order[id(item[0])])
    return [
        {
            "organisation": f.organisation,
            "partner_type": f.partner_type,
            "agreement_type": f.agreement_type,
            "norm": f.norm,
            "before": was_status,
            "after": now_status,
            "reason": f.reason,
        }
        for f, was_status, now_status in shown
    ]


def _shares(handovers: pd.DataFrame | None) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (shelter, phase): the latest period of that shelter and its warm share."""
    rows = records(handovers)
    by_shelter: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_shelter.setdefault(normalize_name(row["organisation"]), []).append(row)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, shelter_rows in by_shelter.items():
        period = latest_period(row.get("period") for row in shelter_rows)
        sums: dict[str, list[int]] = {}
        names: dict[str, str] = {}
        for row in shelter_rows:
            if str(row.get("period")) != period:
                continue
            total = sums.setdefault(row["phase"], [0, 0])
            names.setdefault(row["phase"], row["organisation"])
            total[0] += int(row.get("warm") or 0)
            total[1] += int(row.get("families") or 0)
        for phase, (warm, families) in sums.items():
            out[(key, phase)] = {
                "organisation": names[phase],
                "period": period,
                "share": warm / families if families else None,
            }
    return out


def _compare_handovers(old: pd.DataFrame, new: pd.DataFrame) -> list[dict[str, Any]]:
    before, after = _shares(old), _shares(new)
    out = []
    for key in before.keys() | after.keys():
        was, now = before.get(key, {}), after.get(key, {})
        if (was.get("period"), was.get("share")) == (now.get("period"), now.get("share")):
            continue
        out.append(
            {
                "organisation": (now or was)["organisation"],
                "phase": key[1],
                "period_before": was.get("period"),
                "period_after": now.get("period"),
                "warm_share_before": was.get("share"),
                "warm_share_after": now.get("share"),
            }
        )
    return sorted(out, key=lambda e: (name_sort_key(e["organisation"]), e["phase"]))


def _topics(stagnation: pd.DataFrame, settings: Settings) -> dict[tuple, dict[str, Any]]:
    return {
        (t.domain, t.topic, t.partner_type): {
            "period": t.period,
            "mean": float(t.mean_severity),
            "flagged": bool(t.flagged),
        }
        for t in summarise_stagnation(stagnation, settings)
    }


def _compare_stagnation(
    old: pd.DataFrame, new: pd.DataFrame, settings: Settings
) -> list[dict[str, Any]]:
    before, after = _topics(old, settings), _topics(new, settings)
    out = []
    for key in before.keys() | after.keys():
        was, now = before.get(key, {}), after.get(key, {})
        if was == now:
            continue
        domain, topic, partner_type = key
        out.append(
            {
                "domain": domain,
                "topic": topic,
                "partner_type": partner_type,
                "period_before": was.get("period"),
                "period_after": now.get("period"),
                "mean_severity_before": was.get("mean"),
                "mean_severity_after": now.get("mean"),
                "flagged_before": was.get("flagged"),
                "flagged_after": now.get("flagged"),
            }
        )
    # null partner type first
    return sorted(
        out,
        key=lambda e: (e["domain"], e["topic"], e["partner_type"] is not None, e["partner_type"]),
    )


def compare_states(
    before: State, after: State, settings: Settings = DEFAULT_SETTINGS
) -> dict[str, Any]:
    """Everything that differs between two states of a region, in the JSON form of changes.md.

    >>> empty = pd.DataFrame()
    >>> state = State(empty, empty, empty, empty, date(2026, 12, 2))
    >>> compare_states(state, state)["coverage"]
    {'before': None, 'after': None}
    """
    old, new = _findings(before, settings), _findings(after, settings)
    missing_before, missing_after = _missing_types(before), _missing_types(after)
    return {
        "agreements": compare_links(before.agreements, before.today, after.agreements, after.today),
        "findings": _compare_findings(old, new),
        "coverage": {
            "before": coverage(old) if old else None,
            "after": coverage(new) if new else None,
        },
        "partner_types_missing": {
            "new": sorted(missing_after - missing_before),
            "resolved": sorted(missing_before - missing_after),
        },
        "handovers": _compare_handovers(before.handovers, after.handovers),
        "stagnation": _compare_stagnation(before.stagnation, after.stagnation, settings),
    }


def _moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def build_changes(
    region: str,
    since: datetime,
    until: datetime,
    imports: list[dict[str, Any]],
    before: State,
    after: State,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict[str, Any]:
    """The ``ketenkaart.changes/1`` document: the moments, the imports in the window and
    :func:`compare_states` of the two states."""
    return {
        "schema": SCHEMA,
        "region": region,
        "since": _moment(since),
        "until": _moment(until),
        "imports": sorted(imports, key=lambda entry: entry["id"]),
        **compare_states(before, after, settings),
    }


def render_json(changes: dict[str, Any]) -> str:
    """The changes as stable JSON text (keys in schema order, UTF-8, indent 2).

    >>> print(render_json({"schema": SCHEMA}))
    {
      "schema": "ketenkaart.changes/1"
    }
    """
    return json.dumps(changes, ensure_ascii=False, indent=2)


def _text(value: Any) -> str:
    return escape_markdown(break_autolinks(str(value)))


def _dutch_date(text: str) -> str:
    return f"{text[8:10]}-{text[5:7]}-{text[0:4]}"


def _value(value: Any) -> str:
    if value is None:
        return "geen"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return format_percent(value)
    return _text(label(value) if isinstance(value, str) else value)


_WHY = {
    "beeindigd": "beëindigd",
    "einddatum": "einddatum verstreken",
    "niet_meer_opgegeven": "niet meer opgegeven",
}
_STATUS = {"met": "voldaan", "partial": "deels", "missing": "ontbreekt", None: "geen"}


def _link_text(entry: dict[str, Any]) -> str:
    return (
        f"{_text(entry['organisation'])} – {_text(entry['partner'])} "
        f"({_text(label(entry['agreement_type']))})"
    )


def render_markdown(changes: dict[str, Any]) -> str:
    """A short Dutch memo of the changes: the counts first, then each list."""
    links = changes["agreements"]
    missing = changes["partner_types_missing"]
    lines = [
        f"# Wat is er veranderd in {_text(changes['region'])} tussen "
        f"{_dutch_date(changes['since'])} en {_dutch_date(changes['until'])}",
        "",
        f"- Uploads in deze periode: {len(changes['imports'])}",
        f"- Afspraken erbij: {len(links['added'])}, vervallen: {len(links['ended'])}, "
        f"gewijzigd: {len(links['changed'])}",
        f"- Normbevindingen met een andere uitkomst: {len(changes['findings'])}",
        f"- Normdekking: {_value(changes['coverage']['before'])} → "
        f"{_value(changes['coverage']['after'])}",
        f"- Ontbrekende partnertypen erbij: {len(missing['new'])}, opgelost: "
        f"{len(missing['resolved'])}",
        f"- Warme overdracht veranderd: {len(changes['handovers'])}",
        f"- Stagnatie veranderd: {len(changes['stagnation'])}",
    ]

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.extend(["", f"## {title}", "", *(f"- {item}" for item in items)])

    section(
        "Afspraken erbij",
        [f"{_link_text(e)}: {_value(e['status'])}" for e in links["added"]],
    )
    section(
        "Afspraken vervallen",
        [f"{_link_text(e)}: {_WHY[e['why']]}" for e in links["ended"]],
    )
    section(
        "Afspraken gewijzigd",
        [
            f"{_link_text(e)}: {_text(e['field'])} {_value(e['before'])} → {_value(e['after'])}"
            for e in links["changed"]
        ],
    )
    section(
        "Normbevindingen",
        [
            f"{_text(e['organisation'])}, {_text(label(e['partner_type']))}, "
            f"{_text(label(e['agreement_type']))}: {_STATUS[e['before']]} → "
            f"{_STATUS[e['after']]}. {_text(e['reason'])}"
            for e in changes["findings"]
        ],
    )
    section(
        "Ontbrekende partnertypen",
        [f"nieuw ontbrekend: {_text(label(code))}" for code in missing["new"]]
        + [f"opgelost: {_text(label(code))}" for code in missing["resolved"]],
    )
    section(
        "Warme overdracht",
        [
            f"{_text(e['organisation'])}, {_text(label(e['phase']))}: "
            f"{_value(e['warm_share_before'])} ({_value(e['period_before'])}) → "
            f"{_value(e['warm_share_after'])} ({_value(e['period_after'])})"
            for e in changes["handovers"]
        ],
    )
    section(
        "Stagnatie",
        [
            f"{_text(label(e['domain']))}, {_text(label(e['topic']))}: gemiddelde ernst "
            + (
                format_number(e["mean_severity_before"])
                if e["mean_severity_before"] is not None
                else "geen"
            )
            + " → "
            + (
                format_number(e["mean_severity_after"])
                if e["mean_severity_after"] is not None
                else "geen"
            )
            for e in changes["stagnation"]
        ],
    )
    return "\n".join(lines) + "\n"
