"""Handover gaps (norm 4.1, 4.2; inspectie 2017) from the aggregated ``overdrachten`` counts.

For each group (shelter, partner type, phase) of the latest period with families > 0 five rules
are checked; a rule whose optional column is empty for the whole group is not judged, and where
it is filled on some rows only it is judged over those rows. The 0.8 threshold comes from
:class:`ketendata.settings.Settings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from analysis.codes import PARTNER_TYPES, PHASES, label, normalize_name
from analysis.network import (
    as_codes,
    as_int,
    display_names,
    is_current,
    name_sort_key,
    records,
)
from analysis.settings import DEFAULT_SETTINGS, Settings

#: The gap kinds of the JSON report, in the order the spec lists them.
GAP_KINDS: tuple[str, ...] = (
    "warm_share_low",
    "no_agreement",
    "children_not_handed_over",
    "no_regisseur",
    "safety_plan_not_shared",
)

#: Dutch labels of the gap kinds (for tables and filters).
GAP_LABELS: dict[str, str] = {
    "warm_share_low": "Te weinig warme overdrachten",
    "no_agreement": "Geen afspraak over warme overdracht",
    "children_not_handed_over": "Kinderen niet apart overgedragen",
    "no_regisseur": "Geen regisseur belegd",
    "safety_plan_not_shared": "Veiligheidsplan niet gedeeld",
}


@dataclass(frozen=True)
class Gap:
    """One handover gap of one (shelter, partner type, phase) in one period.

    Attributes:
        organisation: the shelter (display name).
        partner_type: the partner type handed over to (or from).
        phase: ``instroom``, ``doorstroom`` or ``uitstroom``.
        families: families in the group.
        warm_share: warm / families of the group.
        kind: one of :data:`GAP_KINDS`.
        reason: the triggering numbers in plain Dutch.
        period: the period judged.
    """

    organisation: str
    partner_type: str
    phase: str
    families: int
    warm_share: float | None
    kind: str
    reason: str
    period: str


# --- Periods ----------------------------------------------------------------------------------


def latest_period(periods: Iterable[Any]) -> str | None:
    """The greatest period present; a region uses one granularity, so text order is time order.

    >>> latest_period(["2026-Q1", "2026-Q3", None, "2026-Q2"])
    '2026-Q3'
    >>> latest_period([]) is None
    True
    """
    present = {str(p) for p in periods if p is not None and str(p) not in ("", "nan")}
    return max(present) if present else None


def previous_period(periods: Iterable[Any], latest: str | None) -> str | None:
    """The greatest period present below ``latest`` (``None`` when there is none).

    >>> previous_period(["2025", "2023", "2026"], "2026")
    '2025'
    >>> previous_period(["2026"], "2026") is None
    True
    """
    if latest is None:
        return None
    return latest_period(p for p in periods if p is not None and str(p) < latest)


# --- Text helpers -----------------------------------------------------------------------------


def format_percent(share: float) -> str:
    """A share as a Dutch percentage with at most one decimal.

    >>> format_percent(0.6), format_percent(0.795), format_percent(1.0)
    ('60%', '79,5%', '100%')
    """
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def phase_text(phase: str, partner_type: str) -> str:
    """``Uitstroom naar Wijkteam / CJG``; instroom comes *from* the partner.

    >>> phase_text("instroom", "politie")
    'Instroom vanuit Politie'
    """
    direction = "vanuit" if phase == "instroom" else "naar"
    return f"{label(phase, PHASES)} {direction} {label(partner_type, PARTNER_TYPES)}"


# --- Gaps -------------------------------------------------------------------------------------


def _sum_filled(rows: list[dict[str, Any]], column: str) -> tuple[int, int] | None:
    """(sum of ``column``, sum of families) over the rows where ``column`` is filled."""
    filled = [row for row in rows if as_int(row.get(column)) is not None]
    if not filled:
        return None
    return (
        sum(as_int(row[column]) for row in filled),
        sum(as_int(row.get("families")) or 0 for row in filled),
    )


def _period_rows(handovers: pd.DataFrame | None, period: str | None) -> tuple[list, str | None]:
    rows = records(handovers)
    if period is None:
        period = latest_period(row.get("period") for row in rows)
    return [row for row in rows if str(row.get("period")) == period], period


def find_handover_gaps(
    handovers: pd.DataFrame,
    agreements: pd.DataFrame | None,
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
    period: str | None = None,
) -> list[Gap]:
    """Find the handover gaps of one period (default: the latest present).

    Sorted by organisation, partner type, phase and kind. ``no_agreement`` counts any current
    agreement of type ``warme_overdracht`` held by the shelter with a partner of the group's
    type, verbal or in development included: its quality is the norm judgement's business.

    >>> handovers = pd.DataFrame([{"organisation": "Opvang A", "period": "2026-Q3",
    ...     "phase": "instroom", "partner_type": "politie", "families": 10, "warm": 7}])
    >>> [gap] = find_handover_gaps(handovers, None, date(2026, 10, 1))
    >>> gap.kind, gap.warm_share
    ('warm_share_low', 0.7)
    """
    rows, period = _period_rows(handovers, period)
    if period is None:
        return []
    names = display_names(records(handovers), ("organisation",))
    warm_agreements = {
        (normalize_name(row["organisation"]), row.get("partner_type"))
        for row in records(agreements)
        if is_current(row, today) and "warme_overdracht" in as_codes(row.get("agreement_types"))
    }
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        key = (normalize_name(row["organisation"]), row["partner_type"], row["phase"])
        groups.setdefault(key, []).append(row)

    threshold = settings.warm_threshold
    norm_share = format_percent(threshold)
    gaps: list[Gap] = []
    for (org_key, partner_type, phase), group in groups.items():
        families = sum(as_int(row.get("families")) or 0 for row in group)
        if families <= 0:
            continue
        warm = sum(as_int(row.get("warm")) or 0 for row in group)
        warm_share = warm / families
        organisation = names[org_key]
        where = f"{phase_text(phase, partner_type)} in {period}"
        found: list[tuple[str, str]] = []
        if warm_share < threshold:
            found.append(
                (
                    "warm_share_low",
                    f"{where}: {warm} van {families} gezinnen warm overgedragen "
                    f"({format_percent(warm_share)}); de norm is ten minste {norm_share} "
                    "(norm 4.1)",
                )
            )
        if phase in ("uitstroom", "doorstroom") and (org_key, partner_type) not in warm_agreements:
            found.append(
                (
                    "no_agreement",
                    f"{where}: {families} gezinnen, maar {organisation} heeft geen actuele "
                    "afspraak over warme overdracht met een partner van type "
                    f"{label(partner_type, PARTNER_TYPES)} (norm 4.1, 4.2)",
                )
            )
        children_rows = [
            row
            for row in group
            if as_int(row.get("children")) is not None
            and as_int(row.get("children_handed_over")) is not None
        ]
        children = sum(as_int(row["children"]) for row in children_rows)
        if children > 0:
            handed = sum(as_int(row["children_handed_over"]) for row in children_rows)
            if handed / children < threshold:
                found.append(
                    (
                        "children_not_handed_over",
                        f"{where}: {handed} van {children} kinderen kregen een eigen "
                        f"overdracht ({format_percent(handed / children)}); de norm is ten "
                        f"minste {norm_share} (norm 4.1)",
                    )
                )
        if phase == "uitstroom":
            for column, kind, text in (
                ("regisseur_assigned", "no_regisseur", "is na vertrek een regisseur belegd"),
                (
                    "safety_plan_shared",
                    "safety_plan_not_shared",
                    "is het veiligheidsplan gedeeld met de partner",
                ),
            ):
                sums = _sum_filled(group, column)
                if sums is None or sums[1] <= 0:
                    continue
                count, base = sums
                if count / base < threshold:
                    found.append(
                        (
                            kind,
                            f"{where}: bij {count} van {base} gezinnen {text} "
                            f"({format_percent(count / base)}); streefwaarde ten minste "
                            f"{norm_share} (inspectie 2017)",
                        )
                    )
        for kind, reason in found:
            gaps.append(
                Gap(
                    organisation=organisation,
                    partner_type=partner_type,
                    phase=phase,
                    families=families,
                    warm_share=warm_share,
                    kind=kind,
                    reason=reason,
                    period=period,
                )
            )
    return sort_gaps(gaps)


def sort_gaps(gaps: list[Gap]) -> list[Gap]:
    """Gaps in report order: organisation, partner type, phase, kind (codes alphabetically)."""
    return sorted(
        gaps, key=lambda g: (name_sort_key(g.organisation), g.partner_type, g.phase, g.kind)
    )


# --- Shares and flows for charts --------------------------------------------------------------

_PHASE_ORDER = {phase: i for i, phase in enumerate(PHASES)}


def handover_shares(handovers: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """Per shelter and phase: families, warm share and the share of each element of norm 4.1.

    The element shares (information transfer, personal contact, chain agreements) are judged over
    the rows that give them and are NaN when no row does. Sorted by organisation and phase
    (instroom, doorstroom, uitstroom). ``period`` defaults to the latest.

    >>> frame = pd.DataFrame([{"organisation": "A", "period": "2026", "phase": "uitstroom",
    ...     "partner_type": "ggz", "families": 4, "warm": 3, "with_information": 2}])
    >>> row = handover_shares(frame).iloc[0]
    >>> float(row["warm_share"]), float(row["information_share"])
    (0.75, 0.5)
    """
    rows, period = _period_rows(handovers, period)
    names = display_names(records(handovers), ("organisation",))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((normalize_name(row["organisation"]), row["phase"]), []).append(row)
    out = []
    for (org_key, phase), group in groups.items():
        families = sum(as_int(row.get("families")) or 0 for row in group)
        warm = sum(as_int(row.get("warm")) or 0 for row in group)
        entry: dict[str, Any] = {
            "organisation": names[org_key],
            "period": period,
            "phase": phase,
            "families": families,
            "warm": warm,
            "warm_share": warm / families if families else None,
        }
        for column, name in (
            ("with_information", "information_share"),
            ("with_personal_contact", "personal_contact_share"),
            ("with_chain_agreements", "chain_agreements_share"),
        ):
            sums = _sum_filled(group, column)
            entry[name] = sums[0] / sums[1] if sums and sums[1] else None
        out.append(entry)
    out.sort(key=lambda e: (name_sort_key(e["organisation"]), _PHASE_ORDER.get(e["phase"], 9)))
    columns = [
        "organisation",
        "period",
        "phase",
        "families",
        "warm",
        "warm_share",
        "information_share",
        "personal_contact_share",
        "chain_agreements_share",
    ]
    return pd.DataFrame(out, columns=columns)


def handover_flows(
    handovers: pd.DataFrame, period: str | None = None, phase: str = "uitstroom"
) -> pd.DataFrame:
    """Families per (shelter, partner type) in one phase and period, for a Sankey diagram.

    >>> frame = pd.DataFrame([
    ...     {"organisation": "A", "period": "2026", "phase": "uitstroom", "partner_type": "ggz",
    ...      "families": 4, "warm": 3},
    ...     {"organisation": "A", "period": "2026", "phase": "uitstroom", "partner_type": "ggz",
    ...      "families": 2, "warm": 2}])
    >>> handover_flows(frame).to_dict("records")
    [{'organisation': 'A', 'partner_type': 'ggz', 'families': 6, 'warm': 5}]
    """
    rows, _ = _period_rows(handovers, period)
    names = display_names(records(handovers), ("organisation",))
    totals: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        if row.get("phase") != phase:
            continue
        key = (normalize_name(row["organisation"]), row["partner_type"])
        total = totals.setdefault(key, [0, 0])
        total[0] += as_int(row.get("families")) or 0
        total[1] += as_int(row.get("warm")) or 0
    out = [
        {"organisation": names[org], "partner_type": ptype, "families": fam, "warm": warm}
        for (org, ptype), (fam, warm) in totals.items()
    ]
    out.sort(key=lambda e: (name_sort_key(e["organisation"]), e["partner_type"]))
    return pd.DataFrame(out, columns=["organisation", "partner_type", "families", "warm"])
