"""The region report: one dict (schema ``ketenkaart.report/1``), as JSON or as a Dutch memo.

The report is a pure function of the region's frames and today's date: no timestamps, every
list sorted, floats unrounded, the same output whatever the order of the input rows.

Family counts are shown as they are, also below 5: the report is meant for the region itself.
Mask them (:func:`analysis.compare.mask_small_counts`) before sharing figures outside it; the
app's memo for an ``opvang`` user has another shelter's small gaps as "< 5" and "verborgen"
(``ketendata.access.shown_report``), which the memo writes as they are.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from typing import Any

import pandas as pd

from analysis.codes import PARTNER_TYPES, PHASES, label
from analysis.handovers import (
    GAP_KINDS,
    GAP_LABELS,
    find_handover_gaps,
    format_percent,
    latest_period,
    warm_share,
)
from analysis.network import build_network, measure_network, name_sort_key, records
from analysis.norms import (
    coverage,
    judge_requirements,
    norm_text,
    requirement_text,
    window_text,
)
from analysis.priorities import rank_gaps
from analysis.settings import DEFAULT_SETTINGS, Settings
from analysis.stagnation import TREND_LABELS, format_number, summarise_stagnation, topic_text
from analysis.summary import Summary, build_summary, render_summary_markdown
from analysis.text import break_autolinks, escape_markdown

__all__ = [
    "SCHEMA",
    "STATUS_LABELS",
    "SUMMARY_ITEMS",
    "build_report",
    "render_json",
    "render_markdown",
]

#: The schema name of the JSON report.
SCHEMA = "ketenkaart.report/1"

#: Dutch words for the judgement statuses.
STATUS_LABELS: dict[str, str] = {"met": "Voldaan", "partial": "Deels", "missing": "Ontbreekt"}

#: How many items the summary lists before it says "en N meer".
SUMMARY_ITEMS = 5


def build_report(
    region: str,
    agreements: pd.DataFrame,
    handovers: pd.DataFrame,
    stagnation: pd.DataFrame,
    matrix: pd.DataFrame,
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict[str, Any]:
    """Build the JSON report of one region against its norm matrix.

    >>> empty = pd.DataFrame()
    >>> report = build_report("Regio X", empty, empty, empty, empty, date(2026, 1, 1))
    >>> report["schema"], report["network"]["organisations"], report["norms"]["coverage"]
    ('ketenkaart.report/1', 0, 0.0)
    """
    graph = build_network(agreements, today)
    measures = measure_network(graph, matrix)
    findings = judge_requirements(agreements, matrix, today, settings)
    handover_period = latest_period(row.get("period") for row in records(handovers))
    gaps = find_handover_gaps(handovers, agreements, today, settings, period=handover_period)
    topics = summarise_stagnation(stagnation, settings)
    stagnation_period = latest_period(row.get("period") for row in records(stagnation))
    return {
        "schema": SCHEMA,
        "region": region,
        "periods": {"handovers": handover_period, "stagnation": stagnation_period},
        "network": {
            "organisations": measures.organisations,
            "agreements": measures.agreements,
            "density": measures.density,
            "partner_types_present": list(measures.partner_types_present),
            "partner_types_missing": list(measures.partner_types_missing),
            "isolated": list(measures.isolated),
            "cut_vertices": list(measures.cut_vertices),
        },
        "norms": {
            "coverage": coverage(findings),
            "findings": [
                {
                    "organisation": f.organisation,
                    "partner_type": f.partner_type,
                    "agreement_type": f.agreement_type,
                    "norm": f.norm,
                    "norm_source": f.norm_source,
                    "status": f.status,
                    "level": f.level,
                    "reason": f.reason,
                }
                for f in findings
            ],
        },
        "handover_gaps": [
            {
                "organisation": g.organisation,
                "partner_type": g.partner_type,
                "phase": g.phase,
                "families": int(g.families),
                "warm_share": g.warm_share,
                "kind": g.kind,
                "reason": g.reason,
            }
            for g in gaps
        ],
        "stagnation": [
            {
                "domain": t.domain,
                "topic": t.topic,
                "partner_type": t.partner_type,
                "respondents": int(t.respondents),
                "mean_severity": float(t.mean_severity),
                "families": t.families,
                "median_wait_days": t.median_wait_days,
                "extra_shelter_days": t.extra_shelter_days,
                "trend": t.trend,
                "flagged": bool(t.flagged),
                "reason": t.reason,
            }
            for t in topics
        ],
        # meeting.md: the key figure of the handovers and the Overzicht's five gaps, so the
        # one-page summary (analysis/summary.py) is a function of the report alone
        "warm_share": warm_share(handovers, handover_period) if handover_period else None,
        "top_gaps": [
            {"sentence": line.sentence, "norm": line.norm, "area": line.area}
            for line in rank_gaps(findings, measures.partner_types_missing, gaps, topics)
        ],
    }


def render_json(report: dict[str, Any]) -> str:
    """The report as stable JSON text (keys in schema order, UTF-8 text, indent 2).

    >>> print(render_json({"region": "Zuid-Holland Noord", "coverage": 0.5}))
    {
      "region": "Zuid-Holland Noord",
      "coverage": 0.5
    }
    """
    return json.dumps(report, ensure_ascii=False, indent=2)


# --- Markdown ---------------------------------------------------------------------------------
# Every text taken from the report is written through _text or _cell (escape_markdown and
# break_autolinks, analysis/text.py): names, reasons, norms and periods come from uploads, and
# even a code label stays plain text that way. Helpers return plain text; escaping happens where
# a text is written, exactly once. Numbers formatted here (format_percent, format_number,
# counts) are digits and commas only.


def _text(value: Any) -> str:
    """A text from the report as Markdown that shows it literally: no markup, no autolink."""
    return break_autolinks(escape_markdown(value))


def _cell(value: Any) -> str:
    """A value as the text of a Markdown table cell."""
    if value is None:
        return "–"
    return break_autolinks(escape_markdown(value, in_table=True))


def _names(names: list[str]) -> str:
    """Names as one escaped, comma-separated text."""
    return ", ".join(_text(name) for name in names)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines


def _more(items: list[str], limit: int = SUMMARY_ITEMS) -> list[str]:
    if len(items) <= limit:
        return items
    return items[:limit] + [f"  - … en {len(items) - limit} meer (zie hieronder)"]


def _period_text(period: str | None) -> str:
    return _text(period) if period else "geen gegevens"


def _partner_label(code: str | None) -> str:
    if code == "*":
        return "Elke partner"
    return label(code, PARTNER_TYPES) if code else "–"


def _summary(report: dict[str, Any]) -> list[str]:
    network = report["network"]
    findings = report["norms"]["findings"]
    shelters = sorted({f["organisation"] for f in findings}, key=name_sort_key)
    counts = Counter(f["status"] for f in findings)
    lines = ["## Samenvatting per onderdeel", ""]
    if findings:
        lines.append(
            f"- **Normenkader:** {format_percent(report['norms']['coverage'])} van de "
            f"{len(findings)} toetsingen is op orde bij {len(shelters)} "
            f"{'opvangorganisatie' if len(shelters) == 1 else 'opvangorganisaties'} "
            f"({counts['met']} voldaan, {counts['partial']} deels, {counts['missing']} "
            "ontbreekt)."
        )
    else:
        lines.append(
            "- **Normenkader:** geen opvangorganisaties gevonden in de actuele inventarisaties; "
            "er valt niets te toetsen (dekking 0%)."
        )
    lines.append(
        f"- **Netwerk:** {network['organisations']} organisaties, {network['agreements']} "
        f"actuele afspraken, {len(network['isolated'])} zonder actuele afspraak."
    )
    if network["partner_types_missing"]:
        missing_types = _names([_partner_label(c) for c in network["partner_types_missing"]])
        lines.append(f"- **Geen enkele opvang heeft een actuele afspraak met:** {missing_types}.")

    missing: dict[tuple[str, str, str, str], list[str]] = {}
    for f in findings:
        if f["status"] == "missing":
            key = (f["partner_type"], f["agreement_type"], f["norm"], f.get("norm_source") or "")
            missing.setdefault(key, []).append(f["organisation"])
    if missing:
        ordered = sorted(missing.items(), key=lambda item: (-len(item[1]), item[0]))
        items = [
            f"  - {_text(requirement_text(ptype, atype))} "
            f"({_text(norm_text(norm, source or None, separator=', '))}): ontbreekt bij "
            f"{len(orgs)} van {len(shelters)} ({_names(orgs)})"
            for (ptype, atype, norm, source), orgs in ordered
        ]
        lines.append("- **Belangrijkste ontbrekende afspraken:**")
        lines += _more(items)

    period = report["periods"]["handovers"]
    gaps = report["handover_gaps"]
    if period is None:
        lines.append("- **Overdrachten:** geen gegevens over overdrachten.")
    elif not gaps:
        lines.append(f"- **Overdrachten ({_text(period)}):** geen knelpunten gevonden.")
    else:
        kinds = Counter(g["kind"] for g in gaps)
        per_kind = ", ".join(
            f"{n}× {_text(GAP_LABELS.get(kind, kind).lower())}" for kind, n in sorted(kinds.items())
        )
        noun = "knelpunt" if len(gaps) == 1 else "knelpunten"
        lines.append(f"- **Overdrachten ({_text(period)}):** {len(gaps)} {noun} ({per_kind}).")
        # the summary lists the weightiest first: by kind (as the spec lists them), then size
        ranked = sorted(
            gaps,
            key=lambda g: (
                GAP_KINDS.index(g["kind"]) if g["kind"] in GAP_KINDS else len(GAP_KINDS),
                # a count hidden as "< 5" (ketendata.access.shown_report) sorts as the smallest
                -(g["families"] if isinstance(g["families"], int) else 0),
                name_sort_key(g["organisation"]),
                g["partner_type"],
                g["phase"],
            ),
        )
        lines += _more([f"  - {_text(g['organisation'])}: {_text(g['reason'])}" for g in ranked])

    period = report["periods"]["stagnation"]
    flagged = [t for t in report["stagnation"] if t["flagged"]]
    if period is None:
        lines.append("- **Stagnatie:** geen uitvraag ingevuld.")
    elif not flagged:
        lines.append(f"- **Stagnatie ({_text(period)}):** geen gesignaleerde knelpunten.")
    else:
        noun = "gesignaleerd knelpunt" if len(flagged) == 1 else "gesignaleerde knelpunten"
        lines.append(f"- **Stagnatie ({_text(period)}):** {len(flagged)} {noun}.")
        lines += _more(
            [
                f"  - {_text(topic_text(t['domain'], t['topic'], t['partner_type']))}"
                f": ernst {format_number(t['mean_severity'])}, "
                f"{_text(TREND_LABELS.get(t['trend'], t['trend']))}"
                + (
                    f", mediane wachttijd {format_number(t['median_wait_days'])} dagen"
                    if t["median_wait_days"] is not None
                    else ""
                )
                + (
                    f", {t['extra_shelter_days']} extra verblijfsdagen"
                    if t.get("extra_shelter_days")
                    else ""
                )
                + f", {t['respondents']} respondent{'' if t['respondents'] == 1 else 'en'}"
                for t in flagged
            ]
        )
    return lines


def render_markdown(
    report: dict[str, Any],
    settings: Settings = DEFAULT_SETTINGS,
    summary: Summary | None = None,
) -> str:
    """The report as a Dutch memo in Markdown: the one-page summary first (meeting.md, the
    same as the PDF: :mod:`analysis.summary`), then the appendix ("Bijlage") with a summary
    per subject and a section per subject.

    ``summary`` is the one the command line builds (with the peildatum and the changes since
    the last meeting); without it the summary is made from the report alone. ``settings``
    only words the explanation at the end (the evaluation window); pass the ones the report
    was built with.

    >>> empty = pd.DataFrame()
    >>> report = build_report("Regio X", empty, empty, empty, empty, date(2026, 1, 1))
    >>> text = render_markdown(report)
    >>> text.splitlines()[0]
    '# Ketenkaart: regio Regio X'
    """
    lines = [f"# Ketenkaart: regio {_text(report['region'])}", ""]
    lines += render_summary_markdown(summary or build_summary(report))
    lines += ["", "## Bijlage", "", "De volledige lijsten bij de samenvatting hierboven.", ""]
    lines += _summary(report)

    findings = report["norms"]["findings"]
    lines += ["", "## Normenkader per opvangorganisatie", ""]
    if not findings:
        lines.append("Geen opvangorganisaties in de actuele inventarisaties.")
    by_org: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_org.setdefault(f["organisation"], []).append(f)
    for organisation, items in by_org.items():
        met = sum(1 for f in items if f["status"] == "met")
        lines += [
            f"### {_text(organisation)}: {met} van {len(items)} op orde "
            f"({format_percent(met / len(items))})",
            "",
        ]
        lines += _table(
            ["Partnertype", "Afspraak", "Norm", "Oordeel", "Toelichting"],
            [
                [
                    _partner_label(f["partner_type"]),
                    label(f["agreement_type"]),
                    norm_text(f["norm"], f.get("norm_source")),
                    STATUS_LABELS.get(f["status"], f["status"]),
                    f["reason"],
                ]
                for f in items
            ],
        )
        lines.append("")

    period = report["periods"]["handovers"]
    lines += ["", f"## Overdrachten ({_period_text(period)})", ""]
    gaps = report["handover_gaps"]
    if period is None:
        lines.append("Er zijn geen overdrachten aangeleverd.")
    elif not gaps:
        lines.append("Geen knelpunten in de overdrachten van deze periode.")
    else:
        lines += _table(
            ["Organisatie", "Partnertype", "Fase", "Gezinnen", "Warm", "Knelpunt", "Toelichting"],
            [
                [
                    g["organisation"],
                    _partner_label(g["partner_type"]),
                    label(g["phase"], PHASES),
                    g["families"],
                    None
                    if g["warm_share"] is None
                    else g["warm_share"]
                    if isinstance(g["warm_share"], str)  # hidden ("verborgen")
                    else format_percent(g["warm_share"]),
                    GAP_LABELS.get(g["kind"], g["kind"]),
                    g["reason"],
                ]
                for g in gaps
            ],
        )

    period = report["periods"]["stagnation"]
    lines += ["", f"## Stagnatie ({_period_text(period)})", ""]
    topics = report["stagnation"]
    if not topics:
        lines.append("Er is geen stagnatie-uitvraag ingevuld.")
    else:
        lines += _table(
            [
                "Onderwerp",
                "Respondenten",
                "Gem. ernst",
                "Trend",
                "Gezinnen",
                "Mediane wachttijd (dagen)",
                "Extra verblijfsdagen",
                "Gesignaleerd",
            ],
            [
                [
                    topic_text(t["domain"], t["topic"], t["partner_type"]),
                    t["respondents"],
                    format_number(t["mean_severity"]),
                    TREND_LABELS.get(t["trend"], t["trend"]),
                    t["families"],
                    None if t["median_wait_days"] is None else format_number(t["median_wait_days"]),
                    t["extra_shelter_days"],
                    "ja" if t["flagged"] else "nee",
                ]
                for t in topics
            ],
        )

    network = report["network"]
    lines += ["", "## Netwerk", ""]
    lines.append(
        f"- {network['organisations']} organisaties, {network['agreements']} actuele afspraken; "
        f"dichtheid {format_percent(network['density'])} van alle mogelijke verbindingen."
    )
    present = _names([_partner_label(c) for c in network["partner_types_present"]]) or "geen"
    lines.append(f"- Partnertypen waarmee opvang een actuele afspraak heeft: {present}.")
    isolated = _names(network["isolated"]) or "geen"
    lines.append(f"- Organisaties zonder actuele afspraak: {isolated}.")
    cut = _names(network["cut_vertices"]) or "geen"
    lines.append(
        f"- Spilorganisaties (valt er één weg, dan raakt het netwerk in delen uiteen): {cut}."
    )

    lines += [
        "",
        "## Over dit rapport",
        "",
        "- Gebaseerd op de actuele inventarisaties, overdrachten en uitvraag van de regio; "
        "beëindigde afspraken en afspraken met een einddatum in het verleden tellen niet mee.",
        "- 'Voldaan' betekent: een schriftelijke, lopende afspraak die (waar de norm dat vraagt) "
        f"ook voor kinderen geldt en in de afgelopen {window_text(settings)} is geëvalueerd "
        "of ingegaan.",
        "- Normnummers volgen het document dat erachter staat: het keurmerk 'Veiligheid in de "
        "vrouwenopvang' (2019) en het normenkader 'Kinderen in de opvang' (2019) nummeren "
        "Indicator 3 verschillend (school is 3.3 in het keurmerk, 3.4 in het normenkader).",
        "- Aantallen gezinnen staan er onafgeschermd in: dit rapport is voor de eigen regio. "
        "Vervang aantallen onder 5 door '< 5' voordat u cijfers buiten de regio deelt.",
    ]
    # sections add their own blank lines; never more than one in a row
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
