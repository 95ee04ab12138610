"""Handover gaps (norm 4.1, 4.2; inspectie 2017) from the aggregated ``overdrachten`` counts.

For each group (shelter, partner type, phase) of the latest period with families > 0 nine rules
are checked (three of them after departure: aftercare, a regisseur in the new region, signalling
partners informed); a rule whose optional column is empty for the whole group is not judged,
and where it is filled on some rows only it is judged over those rows. The 0.8 threshold is
Ketenkaart's own setting (:class:`analysis.settings.Settings`), not a figure from the norms:
norm 4.1 asks for a warm handover at every in-, door- and uitstroom, and the inspection of 2017
sets no percentage.
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
    column_values,
    display_names,
    is_current,
    name_sort_key,
    records,
)
from analysis.settings import DEFAULT_SETTINGS, Settings

__all__ = [
    "AFTER_DEPARTURE",
    "AFTER_DEPARTURE_QUOTES",
    "AFTER_DEPARTURE_TREND_COLUMNS",
    "GAP_KINDS",
    "GAP_LABELS",
    "FlowDiagram",
    "FlowLink",
    "WARM_ELEMENTS",
    "Gap",
    "HandoverTotals",
    "ShareChange",
    "after_departure_trend",
    "find_handover_gaps",
    "flow_diagram",
    "format_percent",
    "format_points",
    "handover_flows",
    "handover_shares",
    "handover_totals",
    "latest_period",
    "latest_two_periods",
    "list_periods",
    "phase_text",
    "previous_period",
    "select_gaps",
    "sort_gaps",
    "threshold_text",
    "warm_share",
    "warm_share_change",
]

#: The gap kinds of the JSON report, in the order the spec lists them.
GAP_KINDS: tuple[str, ...] = (
    "warm_share_low",
    "no_agreement",
    "children_not_handed_over",
    "no_regisseur",
    "safety_plan_not_shared",
    "elements_missing",
    "no_aftercare",
    "lost_between_regions",
    "signalling_partners_not_informed",
)

#: Dutch labels of the gap kinds (for tables and filters).
GAP_LABELS: dict[str, str] = {
    "warm_share_low": "Te weinig warme overdrachten",
    "no_agreement": "Geen afspraak over warme overdracht",
    "children_not_handed_over": "Kinderen niet apart overgedragen",
    "no_regisseur": "Geen regisseur belegd",
    "safety_plan_not_shared": "Veiligheidsplan niet gedeeld",
    "elements_missing": "Warme overdracht niet compleet",
    "no_aftercare": "Geen half jaar vinger aan de pols",
    "lost_between_regions": "Uit beeld na verhuizing naar andere regio",
    "signalling_partners_not_informed": "Signaalpartners niet op de hoogte",
}

#: The after-departure rules of an uitstroom group (formats.md, issue 16), as (kind, column
#: counted, column it is a share of, the reason's words). ``lost_between_regions`` is a share of
#: the families who moved, the others of all families.
AFTER_DEPARTURE: tuple[tuple[str, str, str, str], ...] = (
    (
        "no_aftercare",
        "aftercare_six_months",
        "families",
        "hield iemand na vertrek ten minste zes maanden contact",
    ),
    (
        "lost_between_regions",
        "regisseur_new_municipality",
        "moved_to_other_region",
        "kwam er een regisseur in de nieuwe gemeente",
    ),
    (
        "signalling_partners_not_informed",
        "signalling_partners_informed",
        "families",
        "wisten de signaalpartners (school, huisarts, jeugdgezondheidszorg) van het verblijf "
        "en waar ze zorgen kunnen melden",
    ),
)

#: What the inspection of 2017 asks, in its own words, after each after-departure reason.
AFTER_DEPARTURE_QUOTES: dict[str, str] = {
    # seed: inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt:1345-1348
    "no_aftercare": 'de inspecties vinden dat er "in ieder geval nog een half jaar een vinger '
    'aan de pols" wordt gehouden door een regisseur (inspectie 2017)',
    # seed: same file :1352-1356 ("regisseur vanuit de nieuwe gemeente") and :901-903 ("uit
    # beeld verdwijnen" when a family moves to another region)
    "lost_between_regions": 'de inspecties vragen bij verhuizing naar een andere regio "een '
    'regisseur vanuit de nieuwe gemeente die bij het gezin betrokken is"; anders dreigen '
    'gezinnen "uit beeld" te verdwijnen (inspectie 2017)',
    # seed: same file :44-47 (the recommendation) and :457-462 (signalling partners "weten zij
    # vaak niet waar ze met het signaal terecht kunnen")
    "signalling_partners_not_informed": "de inspecties bevelen aan dat ketenpartners op de "
    'hoogte zijn van vertrek en "weten waar ze met signalen terecht kunnen" (inspectie 2017)',
}

#: The three elements of a warm handover (normenkader 2019: information, personal context,
#: chain-partner agreements), as (column, words in a reason).
WARM_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("with_information", "met overdracht van informatie"),
    ("with_personal_contact", "met persoonlijk contact"),
    ("with_chain_agreements", "met ketenafspraken"),
)


def threshold_text(threshold: float, phase: str | None = None) -> str:
    """The threshold in honest words: Ketenkaart's setting, and what norm 4.1 asks.

    >>> threshold_text(0.8, "uitstroom")
    'onder de drempel van 80% die in Ketenkaart is ingesteld; norm 4.1 (keurmerk) vraagt een \
warme overdracht bij elke uitstroom'
    """
    # norm 4.1 "In geval van in-, door- en uitstroom draagt de opvangorganisatie zorg voor een
    # warme overdracht" (seed: normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1125); the
    # percentage is Ketenkaart's setting, the inspection of 2017 names none
    moment = f"elke {phase}" if phase else "elke in-, door- en uitstroom"
    return (
        f"onder de drempel van {format_percent(threshold)} die in Ketenkaart is ingesteld; "
        f"norm 4.1 (keurmerk) vraagt een warme overdracht bij {moment}"
    )


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


def list_periods(frame: pd.DataFrame | None) -> list[str]:
    """The periods present in a handover or stagnation frame, oldest first.

    >>> list_periods(pd.DataFrame({"period": ["2026-Q2", "2026-Q1", "2026-Q2"]}))
    ['2026-Q1', '2026-Q2']
    >>> list_periods(pd.DataFrame())
    []
    """
    present = {str(p) for p in column_values(frame, "period") if p is not None}
    return sorted(present - {"", "nan"})


def latest_two_periods(frame: pd.DataFrame | None) -> tuple[str | None, str | None]:
    """The latest period of a handover or stagnation frame and the one before it.

    >>> latest_two_periods(pd.DataFrame({"period": ["2026-Q1", "2026-Q3", "2026-Q2"]}))
    ('2026-Q3', '2026-Q2')
    >>> latest_two_periods(pd.DataFrame({"period": ["2026"]}))
    ('2026', None)
    """
    periods = column_values(frame, "period")
    latest = latest_period(periods)
    return latest, previous_period(periods, latest)


# --- Text helpers -----------------------------------------------------------------------------


def format_percent(share: float) -> str:
    """A share as a Dutch percentage with at most one decimal.

    >>> format_percent(0.6), format_percent(0.795), format_percent(1.0)
    ('60%', '79,5%', '100%')
    """
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def format_points(points: float) -> str:
    """A change in percentage points, signed, with one decimal and a Dutch decimal comma.

    >>> format_points(2.5), format_points(-10.0), format_points(0.0)
    ('+2,5 procentpunt', '-10,0 procentpunt', '+0,0 procentpunt')
    """
    return f"{points:+.1f} procentpunt".replace(".", ",")


def phase_text(phase: str, partner_type: str) -> str:
    """``Uitstroom naar Wijkteam / CJG``; instroom comes *from* the partner.

    >>> phase_text("instroom", "politie")
    'Instroom vanuit Politie'
    """
    direction = "vanuit" if phase == "instroom" else "naar"
    return f"{label(phase, PHASES)} {direction} {label(partner_type, PARTNER_TYPES)}"


# --- Gaps -------------------------------------------------------------------------------------


def _sum_filled(
    rows: list[dict[str, Any]], column: str, base: str = "families"
) -> tuple[int, int] | None:
    """(sum of ``column``, sum of ``base``) over the rows where ``column`` is filled."""
    filled = [row for row in rows if as_int(row.get(column)) is not None]
    if not filled:
        return None
    return (
        sum(as_int(row[column]) for row in filled),
        sum(as_int(row.get(base)) or 0 for row in filled),
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
    setting = f"onder de drempel van {norm_share} die in Ketenkaart is ingesteld"
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
        counted: dict[str, int] = {}  # a gap's own families where it is not the group's
        if warm_share < threshold:
            found.append(
                (
                    "warm_share_low",
                    f"{where}: {warm} van {families} gezinnen warm overgedragen "
                    f"({format_percent(warm_share)}), {threshold_text(threshold, phase)}",
                )
            )
        # keurmerk 4.2: "aantoonbaar afspraken in de keten ... gericht op veilige in-, door en
        # uitstroom" (seed: normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1140-1142)
        if phase in ("uitstroom", "doorstroom") and (org_key, partner_type) not in warm_agreements:
            found.append(
                (
                    "no_agreement",
                    f"{where}: {families} gezinnen, maar {organisation} heeft geen actuele "
                    "afspraak over warme overdracht met een partner van type "
                    f"{label(partner_type, PARTNER_TYPES)} (norm 4.1, 4.2, keurmerk)",
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
                # The normenkader 2019 is about children in the shelter and its 4.1 asks for a
                # warm handover at every in-, door- and uitstroom (seed:
                # normenkader-kinderen-in-de-opvang-2019.txt:303); it does not say "a handover
                # of their own", so the reason says only what the column counts
                found.append(
                    (
                        "children_not_handed_over",
                        f"{where}: {handed} van {children} kinderen kregen een eigen "
                        f"overdracht ({format_percent(handed / children)}), {setting}; "
                        "het normenkader 'Kinderen in de opvang' vraagt een warme overdracht "
                        f"bij elke {phase} (norm 4.1, normenkader 2019)",
                    )
                )
        if phase == "uitstroom":
            # no_regisseur: "zorg dat afspraken zijn gemaakt wie de rol van regisseur dan op
            # zich neemt" (seed: inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt
            # :1426-1430; "1 gezin 1 plan 1 regisseur", :1389). safety_plan_not_shared: "Dit
            # plan wordt echter nog onvoldoende gedeeld met organisaties die vervolghulp
            # bieden" (same file, :639-642). Neither gives a percentage.
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
                            f"({format_percent(count / base)}), {setting} "
                            "(het onderwerp komt uit inspectie 2017, die geen percentage noemt)",
                        )
                    )
        # "De warme overdracht bestaat uit drie elementen: a. Informatieoverdracht; b. Context
        # (persoonlijk); c. Ketenpartnerafspraken" (seeds: normenkader-kinderen-in-de-opvang-2019
        # .txt:846-852, and the keurmerk in the same words,
        # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1125-1133)
        shares = []
        for column, words in WARM_ELEMENTS:
            sums = _sum_filled(group, column)
            if sums is not None and sums[1] > 0:
                shares.append((sums[0] / sums[1], sums[0], sums[1], words))
        low = min(shares, default=None, key=lambda item: (item[0], item[3]))
        if low is not None and low[0] < threshold:
            share, count, base, words = low
            found.append(
                (
                    "elements_missing",
                    f"{where}: {count} van {base} gezinnen overgedragen {words} "
                    f"({format_percent(share)}), {setting}; een warme overdracht heeft drie "
                    "onderdelen: informatie, persoonlijk contact en ketenafspraken "
                    "(norm 4.1, normenkader 2019)",
                )
            )
        if phase == "uitstroom":
            for kind, column, base_column, text in AFTER_DEPARTURE:
                sums = _sum_filled(group, column, base_column)
                if sums is None or sums[1] <= 0:
                    continue  # not given (or nobody moved): not judged
                count, base = sums
                if count / base < threshold:
                    if base_column != "families":
                        counted[kind] = base
                    moved = (
                        f"{base} gezinnen verhuisden naar een andere regio; bij {count} van hen"
                        if base_column != "families"
                        else f"bij {count} van {base} gezinnen"
                    )
                    found.append(
                        (
                            kind,
                            f"{where}: {moved} {text} ({format_percent(count / base)}), "
                            f"{setting}; {AFTER_DEPARTURE_QUOTES[kind]}",
                        )
                    )
        for kind, reason in found:
            gaps.append(
                Gap(
                    organisation=organisation,
                    partner_type=partner_type,
                    phase=phase,
                    families=counted.get(kind, families),
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


def select_gaps(gaps: Iterable[Gap], kinds: Iterable[str] = ()) -> list[Gap]:
    """The gaps of the given kinds (all gaps when no kind is given), in their order.

    >>> gap = Gap("A", "ggz", "uitstroom", 4, 0.5, "no_regisseur", "", "2026")
    >>> len(select_gaps([gap], ["no_regisseur"])), len(select_gaps([gap], ["no_agreement"]))
    (1, 0)
    >>> len(select_gaps([gap]))
    1
    """
    wanted = set(kinds)
    return [gap for gap in gaps if not wanted or gap.kind in wanted]


# --- The warm share of a whole period ---------------------------------------------------------


@dataclass(frozen=True)
class HandoverTotals:
    """Families and warm handovers summed over every row of one period: all shelters, phases
    and partner types.

    Attributes:
        period: the period summed; None when the frame has no period at all.
        families: families handed over in the period.
        warm: of those, the families handed over warmly (norm 4.1).
    """

    period: str | None
    families: int
    warm: int

    @property
    def warm_share(self) -> float | None:
        """warm / families; None without families (a share of nothing is unknown, not 0%)."""
        return self.warm / self.families if self.families else None


def handover_totals(handovers: pd.DataFrame | None, period: str | None = None) -> HandoverTotals:
    """Families and warm handovers of one period (default: the latest present), summed.

    Reads only the three columns it needs: the comparison of regions calls it for every region
    of the national database.

    >>> frame = pd.DataFrame({"period": ["2026-Q2", "2026-Q3", "2026-Q3"],
    ...                       "families": [4, 6, None], "warm": [4, 3, None]})
    >>> handover_totals(frame)
    HandoverTotals(period='2026-Q3', families=6, warm=3)
    >>> handover_totals(frame, "2026-Q2").warm_share
    1.0
    """
    periods = column_values(handovers, "period")
    if period is None:
        period = latest_period(periods)
    families = warm = 0
    for when, count, warm_count in zip(
        periods,
        column_values(handovers, "families"),
        column_values(handovers, "warm"),
        strict=True,
    ):
        if str(when) == period:
            families += as_int(count) or 0
            warm += as_int(warm_count) or 0
    return HandoverTotals(period=period, families=families, warm=warm)


def warm_share(handovers: pd.DataFrame | None, period: str | None = None) -> float | None:
    """The share of families handed over warmly in one period (default: the latest), over all
    shelters, phases and partner types; None when the period has no families.

    >>> frame = pd.DataFrame({"period": ["2026", "2026"], "families": [10, 10], "warm": [9, 6]})
    >>> warm_share(frame)
    0.75
    >>> warm_share(pd.DataFrame()) is None
    True
    """
    return handover_totals(handovers, period).warm_share


@dataclass(frozen=True)
class ShareChange:
    """The warm share of the latest period against the period before.

    Attributes:
        period: the latest period (None: no handovers at all).
        previous_period: the period before it (None: there is none).
        share: the warm share of ``period``; None without families.
        previous_share: the warm share of ``previous_period``; None without it or its families.
    """

    period: str | None
    previous_period: str | None
    share: float | None
    previous_share: float | None

    @property
    def points(self) -> float | None:
        """The change in percentage points; None when either share is unknown."""
        if self.share is None or self.previous_share is None:
            return None
        return (self.share - self.previous_share) * 100


def warm_share_change(handovers: pd.DataFrame | None) -> ShareChange:
    """The warm share of the latest period and of the period before it (the Overzicht).

    >>> frame = pd.DataFrame({"period": ["2026-Q2", "2026-Q3"], "families": [10, 10],
    ...                       "warm": [5, 8]})
    >>> change = warm_share_change(frame)
    >>> change.period, change.previous_period, change.share, change.previous_share
    ('2026-Q3', '2026-Q2', 0.8, 0.5)
    >>> round(change.points, 6)
    30.0
    """
    latest, previous = latest_two_periods(handovers)
    return ShareChange(
        period=latest,
        previous_period=previous,
        share=warm_share(handovers, latest) if latest is not None else None,
        previous_share=warm_share(handovers, previous) if previous is not None else None,
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


#: The columns of :func:`after_departure_trend`.
AFTER_DEPARTURE_TREND_COLUMNS: tuple[str, ...] = (
    "organisation",
    "period",
    "families",
    "aftercare_families",
    "aftercare",
    "aftercare_share",
    "moved",
    "regisseur_new",
    "regisseur_new_share",
    "signalling_families",
    "signalling",
    "signalling_share",
)


def after_departure_trend(handovers: pd.DataFrame | None) -> pd.DataFrame:
    """Per shelter and period, at uitstroom: what happened after departure (issue 16).

    Each share is judged like the gap rules, over the rows that give its column:
    ``aftercare`` of ``aftercare_families`` kept in touch for six months, ``regisseur_new`` of
    the ``moved`` families got a regisseur in the new municipality, ``signalling`` of
    ``signalling_families`` had their signalling partners informed. A share is None when no row
    of the group gives it (not measured), and ``moved`` is None when no row says how many moved.
    Sorted by organisation, then period (oldest first), for a trend.

    >>> frame = pd.DataFrame([
    ...     {"organisation": "A", "period": "2026-Q2", "phase": "uitstroom", "families": 4,
    ...      "aftercare_six_months": 2, "moved_to_other_region": 2,
    ...      "regisseur_new_municipality": 1},
    ...     {"organisation": "A", "period": "2026-Q1", "phase": "uitstroom", "families": 5},
    ...     {"organisation": "A", "period": "2026-Q2", "phase": "instroom", "families": 9}])
    >>> trend = after_departure_trend(frame)
    >>> columns = ["period", "families", "aftercare_share", "moved", "regisseur_new_share"]
    >>> trend[columns].values.tolist()
    [['2026-Q1', 5, None, None, None], ['2026-Q2', 4, 0.5, 2, 0.5]]
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    every = records(handovers)
    names = display_names(every, ("organisation",))
    for row in every:
        period = row.get("period")
        if row.get("phase") != "uitstroom" or period is None:
            continue
        groups.setdefault((normalize_name(row["organisation"]), str(period)), []).append(row)
    out = []
    for (org_key, period), group in groups.items():
        entry: dict[str, Any] = {
            "organisation": names[org_key],
            "period": period,
            "families": sum(as_int(row.get("families")) or 0 for row in group),
        }
        for prefix, column, base in (
            ("aftercare", "aftercare_six_months", "families"),
            ("regisseur_new", "regisseur_new_municipality", "moved_to_other_region"),
            ("signalling", "signalling_partners_informed", "families"),
        ):
            sums = _sum_filled(group, column, base)
            entry[prefix] = sums[0] if sums else None
            if base == "families":
                entry[f"{prefix}_families"] = sums[1] if sums else None
            entry[f"{prefix}_share"] = sums[0] / sums[1] if sums and sums[1] else None
        moved = [as_int(row.get("moved_to_other_region")) for row in group]
        given = [m for m in moved if m is not None]
        entry["moved"] = sum(given) if given else None
        out.append(entry)
    out.sort(key=lambda e: (name_sort_key(e["organisation"]), e["period"]))
    return pd.DataFrame(out, columns=list(AFTER_DEPARTURE_TREND_COLUMNS), dtype=object)


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


@dataclass(frozen=True)
class FlowLink:
    """One band of a flow diagram: ``families`` from shelter ``source`` to partner type
    ``target`` (positions in :class:`FlowDiagram`), ``warm`` of them warmly."""

    source: int
    target: int
    families: int
    warm: int


@dataclass(frozen=True)
class FlowDiagram:
    """Where the families of one phase and period go: shelters on one side, partner types on
    the other, one link per (shelter, partner type) with at least one family."""

    organisations: tuple[str, ...]
    partner_types: tuple[str, ...]
    links: tuple[FlowLink, ...]


def flow_diagram(
    handovers: pd.DataFrame, period: str | None = None, phase: str = "uitstroom"
) -> FlowDiagram:
    """The flows of :func:`handover_flows` as a diagram (a Sankey), without empty flows.

    Shelters and partner types are numbered in the order the flows list them (shelters by name).

    >>> frame = pd.DataFrame([
    ...     {"organisation": "B", "period": "2026", "phase": "uitstroom", "partner_type": "ggz",
    ...      "families": 2, "warm": 1},
    ...     {"organisation": "A", "period": "2026", "phase": "uitstroom", "partner_type": "ggz",
    ...      "families": 3, "warm": 3},
    ...     {"organisation": "A", "period": "2026", "phase": "uitstroom",
    ...      "partner_type": "wijkteam", "families": 0, "warm": 0}])
    >>> diagram = flow_diagram(frame)
    >>> diagram.organisations, diagram.partner_types
    (('A', 'B'), ('ggz',))
    >>> [(link.source, link.target, link.families) for link in diagram.links]
    [(0, 0, 3), (1, 0, 2)]
    """
    flows = [
        flow
        for flow in handover_flows(handovers, period, phase=phase).to_dict("records")
        if flow["families"] > 0
    ]
    organisations = list(dict.fromkeys(flow["organisation"] for flow in flows))
    partner_types = list(dict.fromkeys(flow["partner_type"] for flow in flows))
    links = tuple(
        FlowLink(
            source=organisations.index(flow["organisation"]),
            target=partner_types.index(flow["partner_type"]),
            families=int(flow["families"]),
            warm=int(flow["warm"]),
        )
        for flow in flows
    )
    return FlowDiagram(tuple(organisations), tuple(partner_types), links)
