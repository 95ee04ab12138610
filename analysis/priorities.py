"""The most important gaps of a region in one sentence each (the Overzicht page, the memo).

Pure analysis (no Streamlit, no DuckDB). Candidates come from the norm findings, the network,
the handover gaps and the stagnation topics; each gets a weight and the heaviest are shown:

- a partner type the norm requires that no shelter has an agreement with: 1 + 2 × the heaviest
  requirement weight (``gewicht``, normenkader.md) of that partner type (3 for weight 1);
- a requirement missing or partial at some shelters: its requirement weight × (2 × the share of
  shelters missing it + the share judged partial), so a partial finding of a weight-3
  requirement (4.3 meldcode, 3.3 onderwijs, ...) outranks a missing weight-1 one (a requirement
  already covered by the first kind is not repeated);
- a handover gap (per phase, partner type and kind): 1.5 × the share of shelters with it, three
  times that for families lost from view after moving to another region (``lost_between_regions``:
  the inspection's central finding, weighed like a weight-3 requirement); an after-departure
  line names the shelters, so the reader sees whose families it is about;
- a stagnation topic that is flagged or costs extra shelter days: 2 × mean severity / 5 plus
  extra days / (extra days + 30), since extra shelter days are why stagnation matters (the next
  family cannot get in).
The heaviest line of every area (map, norms, handovers, stagnation) is always among those
shown; the other places go by weight. Ties go to the sentence text, so the order is repeatable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analysis import codes
from analysis.handovers import GAP_LABELS, Gap, phase_text
from analysis.norms import Finding, norm_text, requirement_text
from analysis.stagnation import TREND_LABELS, StagnationTopic, format_number, topic_text

__all__ = [
    "AREAS",
    "AFTER_DEPARTURE_KINDS",
    "GAP_NORMS",
    "GAP_WEIGHTS",
    "STAGNATION_NORMS",
    "GapLine",
    "rank_gaps",
]


def _in_brackets(norm: str) -> str:
    """A norm reference for inside brackets: ``norm 4.1 (keurmerk)`` reads ``norm 4.1, keurmerk``
    (never brackets in brackets), as the norm findings' sentences have it.

    >>> _in_brackets("norm 4.1 (keurmerk)"), _in_brackets("inspectie 2017")
    ('norm 4.1, keurmerk', 'inspectie 2017')
    """
    if norm.endswith(")") and " (" in norm:
        head, _, source = norm[:-1].partition(" (")
        return f"{head}, {source}"
    return norm


#: The source cited for each kind of handover gap; the seed lines (in ../shared/seeds/) say
#: what each document asks, the handover reasons quote them.
GAP_NORMS: dict[str, str] = {
    # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1125 (4.1, warm at every in-/uitstroom)
    "warm_share_low": "norm 4.1 (keurmerk)",
    # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1125 and :1140-1142 (4.2, in de keten)
    "no_agreement": "norm 4.1, 4.2 (keurmerk)",
    # normenkader-kinderen-in-de-opvang-2019.txt:303 (4.1 of the normenkader about children)
    "children_not_handed_over": "norm 4.1 (normenkader 2019)",
    # inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt:1426-1430 (who is regisseur)
    "no_regisseur": "inspectie 2017",
    # inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt:639-642 (plan "onvoldoende gedeeld")
    "safety_plan_not_shared": "inspectie 2017",
    # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1125-1133 (the three elements)
    "elements_missing": "norm 4.1 (keurmerk)",
    # inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt:1346-1348 (half a year)
    "no_aftercare": "inspectie 2017",
    # inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt:1352-1356 (new municipality)
    "lost_between_regions": "inspectie 2017",
    # inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt:457-462 and :1313-1321
    "signalling_partners_not_informed": "inspectie 2017",
}

#: How much heavier a kind of handover gap weighs than the others (module docstring).
GAP_WEIGHTS: dict[str, float] = {"lost_between_regions": 3.0}

#: The handover gaps after departure, whose line names the shelters.
AFTER_DEPARTURE_KINDS = ("no_aftercare", "lost_between_regions", "signalling_partners_not_informed")

#: Extra shelter days that add half a point to a stagnation topic's weight.
EXTRA_DAYS_HALF = 30

#: The areas a gap belongs to; the dashboard has a page explaining each.
AREAS = ("kaart", "normen", "overdracht", "stagnatie")


@dataclass(frozen=True)
class GapLine:
    """One gap: the sentence, its norm, the area it belongs to (see AREAS) and its weight.

    ``links`` are the gaps the line is about in the link form of actions.md (a partner type, a
    finding per shelter, a handover gap per shelter, a stagnation topic), so an action can be
    added for it; the first is the most obvious one.
    """

    sentence: str
    norm: str
    area: str
    weight: float
    links: tuple[Mapping[str, str], ...] = field(default=(), compare=False)


#: The document a stagnation topic is cited with where it is not the inspection of 2017, whose
#: chapter on stagnations (seed: inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt:839-911)
#: names benefits after a move (:856-864), debts and the bewindvoerder (:866-870), homes despite
#: urgency (:874-879), waiting lists at wijkteams, GGZ and youth care (:881-889), moving to
#: another region (:890-903) and the furnishing of the home (:839-843); safety after leaving is
#: its chapter 2 (:448-470, :534-560).
STAGNATION_NORMS: dict[str, str] = {
    # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:993-997 (school within 5 working days)
    "schoolplaatsing": "norm 3.3 (keurmerk)",
    # normenkader-kinderen-in-de-opvang-2019.txt:314-316 (transport to school activities)
    "leerlingenvervoer": "norm 4.5 (normenkader 2019)",
    # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1188 (support with debts)
    "schulden": "norm 4.4 (keurmerk)",
    "bewindvoering": "norm 4.4 (keurmerk)",
    # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1023 (toeleiding naar traumabehandeling)
    "traumabehandeling": "norm 3.4 (keurmerk)",
    # valente-memo-kinderen-uit-de-knel-2024.txt:86-88 (woonplaatsbeginsel jeugd)
    "woonplaatsbeginsel": "Valente 2024",
}


def _stagnation_norm(topic: StagnationTopic) -> str:
    return STAGNATION_NORMS.get(topic.topic, "inspectie 2017")


def _extra_days_weight(days: int | None) -> float:
    """Extra shelter days as a weight below 1: 0 for none, 0.5 for 30, near 1 for many.

    >>> _extra_days_weight(None), _extra_days_weight(30), round(_extra_days_weight(81), 2)
    (0.0, 0.5, 0.73)
    """
    if not days or days <= 0:
        return 0.0
    return days / (days + EXTRA_DAYS_HALF)


def rank_gaps(
    findings: Iterable[Finding],
    missing_partner_types: Iterable[str],
    gaps: Iterable[Gap],
    topics: Iterable[StagnationTopic],
    matrix_norms: dict[str, list[str]] | None = None,
    limit: int = 5,
) -> list[GapLine]:
    """The ``limit`` heaviest gaps, heaviest first (see the module docstring for the weights).

    ``matrix_norms`` maps a partner type to the norms that require it (for the sentence about a
    partner type nobody has); without it the norms are read from the findings.

    >>> f = [Finding("A", "huisarts", "informatie_uitwisseling", "4.2a", "missing", ""),
    ...      Finding("A", "veilig_thuis", "meldcode", "4.3", "partial", "")]
    >>> [line.sentence for line in rank_gaps(f, ["huisarts"], [], [])]
    ['Geen enkele opvang heeft een actuele afspraak met Huisarts (norm 4.2a, keurmerk).', \
'Meldcode Veilig Thuis met een partner van type Veilig Thuis: bij 1 van 1 \
opvangorganisaties deels op orde (norm 4.3, keurmerk).']
    >>> [line.links for line in rank_gaps(f, ["huisarts"], [], [])]
    [({'partner_type': 'huisarts'},), ({'organisation': 'A', 'partner_type': 'veilig_thuis', \
'agreement_type': 'meldcode'},)]
    """
    findings = list(findings)
    missing_types = sorted(set(missing_partner_types))
    shelters = {f.organisation for f in findings}
    total = max(len(shelters), 1)
    sources = {f.norm: f.norm_source for f in findings}
    weights: dict[str, int] = {}
    for f in findings:
        weights[f.partner_type] = max(weights.get(f.partner_type, 1), int(f.weight))
    if matrix_norms is None:
        matrix_norms = {}
        for f in findings:
            norms = matrix_norms.setdefault(f.partner_type, [])
            if f.norm not in norms:
                norms.append(f.norm)
    lines: list[GapLine] = []

    # The sentences state counts and cite the norm the matrix gives for each requirement (its
    # document said, normenkader.md); they quote no norm text, so they say nothing of their own.
    for code in missing_types:
        cited = [norm_text(n, sources.get(n), separator=", ") for n in matrix_norms.get(code, [])]
        norm = "; ".join(cited) or "normenkader"
        lines.append(
            GapLine(
                f"Geen enkele opvang heeft een actuele afspraak met "
                f"{codes.label(code, codes.PARTNER_TYPES)} ({norm}).",
                norm,
                "kaart",
                1.0 + 2.0 * weights.get(code, 1),
                ({"partner_type": code},),
            )
        )

    per_requirement: dict[tuple[str, str, str, str, int], dict[str, int]] = {}
    open_at: dict[tuple[str, str, str, str, int], list[Mapping[str, str]]] = {}
    for f in findings:
        if f.partner_type in missing_types:
            continue
        key = (f.partner_type, f.agreement_type, f.norm, f.norm_source, int(f.weight))
        counts = per_requirement.setdefault(key, {})
        counts[f.status] = counts.get(f.status, 0) + 1
        if f.status != "met":
            open_at.setdefault(key, []).append(
                {
                    "organisation": f.organisation,
                    "partner_type": f.partner_type,
                    "agreement_type": f.agreement_type,
                }
            )
    for (ptype, atype, norm, source, weight), counts in per_requirement.items():
        absent, partial = counts.get("missing", 0), counts.get("partial", 0)
        if not absent and not partial:
            continue
        parts = []
        if absent:
            parts.append(f"ontbreekt bij {absent} van {total} opvangorganisaties")
        if partial:
            parts.append(f"bij {partial} van {total} opvangorganisaties deels op orde")
        what = requirement_text(ptype, atype)
        what = what[:1].upper() + what[1:]
        lines.append(
            GapLine(
                f"{what}: {'; '.join(parts)} ({norm_text(norm, source, separator=', ')}).",
                norm_text(norm, source),
                "normen",
                weight * (2.0 * absent / total + partial / total),
                tuple(open_at.get((ptype, atype, norm, source, weight), ())),
            )
        )

    per_gap: dict[tuple[str, str, str], list[Gap]] = {}
    for gap in gaps:
        per_gap.setdefault((gap.phase, gap.partner_type, gap.kind), []).append(gap)
    for (phase, ptype, kind), group in per_gap.items():
        norm = GAP_NORMS.get(kind, "norm 4.1")
        names = sorted({g.organisation for g in group})
        organisations = len(names)
        named = f": {', '.join(names)}" if kind in AFTER_DEPARTURE_KINDS else ""
        lines.append(
            GapLine(
                f"{phase_text(phase, ptype)}: {GAP_LABELS.get(kind, kind).lower()} bij "
                f"{organisations} opvangorganisatie{'' if organisations == 1 else 's'}{named} "
                f"({_in_brackets(norm)}).",
                norm,
                "overdracht",
                1.5 * GAP_WEIGHTS.get(kind, 1.0) * min(organisations / total, 1.0),
                tuple(
                    {
                        "organisation": g.organisation,
                        "partner_type": g.partner_type,
                        "phase": g.phase,
                        "kind": g.kind,
                    }
                    for g in group
                ),
            )
        )

    for topic in topics:
        extra = topic.extra_shelter_days
        if not topic.flagged and not (extra and extra > 0):
            continue
        norm = _stagnation_norm(topic)
        wait = (
            f", mediane wachttijd {format_number(topic.median_wait_days)} dagen"
            if topic.median_wait_days is not None
            else ""
        )
        days = f", {extra} extra verblijfsdagen" if extra else ""
        respondents = int(topic.respondents)
        evidence = f", {respondents} respondent{'' if respondents == 1 else 'en'}"
        lines.append(
            GapLine(
                f"Stagnatie {topic_text(topic.domain, topic.topic, topic.partner_type)}: "
                f"ernst {format_number(topic.mean_severity)} "
                f"({TREND_LABELS.get(topic.trend, topic.trend)}){wait}{days}{evidence} ({norm}).",
                norm,
                "stagnatie",
                2.0 * float(topic.mean_severity) / 5.0 + _extra_days_weight(extra),
                (
                    {"domain": topic.domain, "topic": topic.topic}
                    | ({"partner_type": topic.partner_type} if topic.partner_type else {}),
                ),
            )
        )

    lines.sort(key=lambda line: (-line.weight, line.sentence))
    # Every area with a gap gets its heaviest line in first, so five missing agreements cannot
    # hide a blocking stagnation; the rest of the places go by weight.
    chosen = [
        next(line for line in lines if line.area == area)
        for area in AREAS
        if any(line.area == area for line in lines)
    ][:limit]
    chosen += [line for line in lines if line not in chosen][: limit - len(chosen)]
    chosen.sort(key=lambda line: (-line.weight, line.sentence))
    return chosen
