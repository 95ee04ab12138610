"""The most important gaps of a region in one sentence each (the Overzicht page, the memo).

Pure analysis (no Streamlit, no DuckDB). Candidates come from the norm findings, the network,
the handover gaps and the flagged stagnation topics; each gets a weight and the heaviest are shown:

- a partner type the norm requires that no shelter has an agreement with: 3;
- a requirement missing at some shelters: 2 × the share of shelters missing it, plus the share
  judged partial (a requirement already covered by the first kind is not repeated);
- a handover gap (per phase, partner type and kind): 1.5 × the share of shelters with it;
- a flagged stagnation topic: 2 × mean severity / 5.
The heaviest line of every area (map, norms, handovers, stagnation) is always among those
shown; the other places go by weight. Ties go to the sentence text, so the order is repeatable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analysis import codes
from analysis.handovers import GAP_LABELS, Gap, phase_text
from analysis.norms import Finding, norm_text, requirement_text
from analysis.stagnation import TREND_LABELS, StagnationTopic, format_number, topic_text

__all__ = [
    "AREAS",
    "GAP_NORMS",
    "GapLine",
    "rank_gaps",
]

#: The source cited for each kind of handover gap.
GAP_NORMS: dict[str, str] = {
    "warm_share_low": "norm 4.1",
    "no_agreement": "norm 4.1, 4.2",
    "children_not_handed_over": "norm 4.1",
    "no_regisseur": "inspectie 2017",
    "safety_plan_not_shared": "inspectie 2017",
}

#: The areas a gap belongs to; the dashboard has a page explaining each.
AREAS = ("kaart", "normen", "overdracht", "stagnatie")


@dataclass(frozen=True)
class GapLine:
    """One gap: the sentence, its norm, the area it belongs to (see AREAS) and its weight."""

    sentence: str
    norm: str
    area: str
    weight: float


def _stagnation_norm(topic: StagnationTopic) -> str:
    if topic.domain == "onderwijs":
        return "norm 3.3"
    if topic.topic in ("schulden", "bewindvoering"):
        return "norm 4.4"
    return "inspectie 2017"


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
    ['Geen enkele opvang heeft een actuele afspraak met Huisarts (norm 4.2a).', \
'Meldcode Veilig Thuis met een partner van type Veilig Thuis: bij 1 van 1 \
opvangorganisaties deels op orde (norm 4.3).']
    """
    findings = list(findings)
    missing_types = sorted(set(missing_partner_types))
    shelters = {f.organisation for f in findings}
    total = max(len(shelters), 1)
    if matrix_norms is None:
        matrix_norms = {}
        for f in findings:
            norms = matrix_norms.setdefault(f.partner_type, [])
            if f.norm not in norms:
                norms.append(f.norm)
    lines: list[GapLine] = []

    for code in missing_types:
        norm = ", ".join(norm_text(n) for n in matrix_norms.get(code, [])) or "normenkader"
        lines.append(
            GapLine(
                f"Geen enkele opvang heeft een actuele afspraak met "
                f"{codes.label(code, codes.PARTNER_TYPES)} ({norm}).",
                norm,
                "kaart",
                3.0,
            )
        )

    per_requirement: dict[tuple[str, str, str], dict[str, int]] = {}
    for f in findings:
        if f.partner_type in missing_types:
            continue
        counts = per_requirement.setdefault((f.partner_type, f.agreement_type, f.norm), {})
        counts[f.status] = counts.get(f.status, 0) + 1
    for (ptype, atype, norm), counts in per_requirement.items():
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
        text = norm_text(norm)
        lines.append(
            GapLine(
                f"{what}: {'; '.join(parts)} ({text}).",
                text,
                "normen",
                2.0 * absent / total + partial / total,
            )
        )

    per_gap: dict[tuple[str, str, str], list[Gap]] = {}
    for gap in gaps:
        per_gap.setdefault((gap.phase, gap.partner_type, gap.kind), []).append(gap)
    for (phase, ptype, kind), group in per_gap.items():
        norm = GAP_NORMS.get(kind, "norm 4.1")
        organisations = len({g.organisation for g in group})
        lines.append(
            GapLine(
                f"{phase_text(phase, ptype)}: {GAP_LABELS.get(kind, kind).lower()} bij "
                f"{organisations} opvangorganisatie{'' if organisations == 1 else 's'} ({norm}).",
                norm,
                "overdracht",
                1.5 * min(organisations / total, 1.0),
            )
        )

    for topic in topics:
        if not topic.flagged:
            continue
        norm = _stagnation_norm(topic)
        wait = (
            f", mediane wachttijd {format_number(topic.median_wait_days)} dagen"
            if topic.median_wait_days is not None
            else ""
        )
        lines.append(
            GapLine(
                f"Stagnatie {topic_text(topic.domain, topic.topic, topic.partner_type)}: "
                f"ernst {format_number(topic.mean_severity)} "
                f"({TREND_LABELS.get(topic.trend, topic.trend)}){wait} ({norm}).",
                norm,
                "stagnatie",
                2.0 * float(topic.mean_severity) / 5.0,
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
