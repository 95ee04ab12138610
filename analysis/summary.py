"""The one-page summary of a region (meeting.md): what the PDF, the deck and the memo start with.

One pure function, :func:`build_summary`, turns the report (``ketenkaart.report/1``), the
report of the same region at the moment ``since`` and the changes between the two
(``ketenkaart.changes/1``) into a frozen :class:`Summary` of plain texts: the region and the
peildatum, the five key figures with their change, the Overzicht's five gap sentences, what
changed in counts, the open actions (most urgent first) and the flagged stagnation topics. The
PDF (:mod:`analysis.exports.onepager`), the deck (:mod:`analysis.exports.deck`) and the memo
(:func:`render_summary_markdown`) only lay these texts out, so the three say the same.

Texts from the data (names, action titles) stay as they were typed, made visible with
:func:`analysis.text.visible_text` (one line, hidden characters shown as their code); each
renderer writes them as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from analysis.handovers import format_percent, format_points
from analysis.stagnation import TREND_LABELS, format_number, topic_text
from analysis.text import break_autolinks, escape_markdown, visible_text

__all__ = [
    "FOOTER",
    "ActionLine",
    "ChangeCounts",
    "KeyFigure",
    "StagnationLine",
    "Summary",
    "action_text",
    "build_summary",
    "changes_lines",
    "format_date",
    "render_summary_markdown",
    "split_actions",
]

#: The footer of the PDF and the deck (meeting.md: Ketenkaart holds no client data).
FOOTER = (
    "Ketenkaart bevat geen gegevens over cliënten of kinderen: alleen afspraken tussen "
    "organisaties en opgetelde aantallen. Aantallen onder 5 staan er onafgeschermd in: deel dit "
    "overzicht alleen binnen de regio."
)

# missing < partial < met: a finding whose status moves up has improved
_STATUS_RANK = {"missing": 0, "partial": 1, "met": 2}


@dataclass(frozen=True)
class KeyFigure:
    """One key figure: its Dutch label, the value now and its change since ``since``.

    ``change`` is None when the value at ``since`` is unknown (no inventory, no period).
    """

    label: str
    value: str
    change: str | None


@dataclass(frozen=True)
class ChangeCounts:
    """What changed since ``since``, in counts (meeting.md)."""

    links_added: int
    links_ended: int
    links_changed: int
    findings_improved: int
    findings_worsened: int


@dataclass(frozen=True)
class ActionLine:
    """One open action (status ``open`` or ``bezig``) as the summary lists it."""

    title: str
    owner: str | None
    due: date | None
    status: str
    overdue: bool


@dataclass(frozen=True)
class StagnationLine:
    """A flagged stagnation topic with its trend."""

    topic: str
    trend: str
    text: str


@dataclass(frozen=True)
class Summary:
    """The one-page summary of a region; every field is ready-to-show text or a date."""

    region: str
    peildatum: date | None
    since: datetime | None
    key_figures: tuple[KeyFigure, ...]
    gaps: tuple[str, ...]
    changes: ChangeCounts | None
    actions: tuple[ActionLine, ...]
    stagnation: tuple[StagnationLine, ...]

    @property
    def since_text(self) -> str:
        """``sinds 26-08-2026`` (or empty without a moment)."""
        return f"sinds {format_date(self.since)}" if self.since else ""


def format_date(value: date | datetime | str | None) -> str:
    """A date as DD-MM-JJJJ (meeting.md); an ISO text is read first; None gives ``–``.

    >>> format_date(date(2026, 3, 1)), format_date("2026-11-24"), format_date(None)
    ('01-03-2026', '24-11-2026', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value:%d-%m-%Y}"


def _count_change(now: int, before: int | None) -> str | None:
    """``+3``, ``-2`` or ``gelijk``; None when there is nothing to compare with.

    >>> _count_change(5, 2), _count_change(2, 5), _count_change(4, 4), _count_change(4, None)
    ('+3', '-3', 'gelijk', None)
    """
    if before is None:
        return None
    difference = now - before
    return "gelijk" if difference == 0 else f"{difference:+d}"


def _share_change(now: float | None, before: float | None) -> str | None:
    if now is None or before is None:
        return None
    points = (now - before) * 100
    return "gelijk" if abs(points) < 0.05 else format_points(points)


def _flagged(report: Mapping[str, Any]) -> int:
    return sum(1 for topic in report.get("stagnation", ()) if topic.get("flagged"))


def _has_findings(report: Mapping[str, Any] | None) -> bool:
    return bool(report and report["norms"]["findings"])


def _key_figures(
    report: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    changes: Mapping[str, Any] | None,
) -> tuple[KeyFigure, ...]:
    network = report["network"]
    before = previous["network"] if previous else None
    coverage_now = report["norms"]["coverage"] if _has_findings(report) else None
    if changes is not None:
        coverage_before = changes["coverage"]["before"]
    else:
        coverage_before = previous["norms"]["coverage"] if _has_findings(previous) else None
    period = report["periods"]["handovers"]
    warm_now = report.get("warm_share")
    warm_before = previous.get("warm_share") if previous else None
    stagnation_period = report["periods"]["stagnation"]
    return (
        KeyFigure(
            "Organisaties",
            str(network["organisations"]),
            _count_change(network["organisations"], before["organisations"] if before else None),
        ),
        KeyFigure(
            "Actuele afspraken",
            str(network["agreements"]),
            _count_change(network["agreements"], before["agreements"] if before else None),
        ),
        KeyFigure(
            "Normdekking",
            "–" if coverage_now is None else format_percent(coverage_now),
            _share_change(coverage_now, coverage_before),
        ),
        KeyFigure(
            f"Warm overgedragen ({visible_text(period)})" if period else "Warm overgedragen",
            "–" if warm_now is None else format_percent(warm_now),
            _share_change(warm_now, warm_before),
        ),
        KeyFigure(
            f"Gesignaleerde stagnatie ({visible_text(stagnation_period)})"
            if stagnation_period
            else "Gesignaleerde stagnatie",
            str(_flagged(report)) if stagnation_period else "–",
            _count_change(_flagged(report), _flagged(previous))
            if stagnation_period and previous and previous["periods"]["stagnation"]
            else None,
        ),
    )


def _change_counts(changes: Mapping[str, Any]) -> ChangeCounts:
    links = changes["agreements"]
    improved = worsened = 0
    for finding in changes["findings"]:
        was, now = finding.get("before"), finding.get("after")
        if was is None or now is None:
            continue  # a new shelter or requirement is neither better nor worse
        if _STATUS_RANK[now] > _STATUS_RANK[was]:
            improved += 1
        elif _STATUS_RANK[now] < _STATUS_RANK[was]:
            worsened += 1
    return ChangeCounts(
        links_added=len(links["added"]),
        links_ended=len(links["ended"]),
        links_changed=len(links["changed"]),
        findings_improved=improved,
        findings_worsened=worsened,
    )


def _actions(actions: Sequence[Mapping[str, Any]]) -> tuple[ActionLine, ...]:
    """The open actions, most urgent first: overdue, then by due date (none last), then id."""
    ordered = sorted(
        (a for a in actions if a.get("status") in ("open", "bezig")),
        key=lambda a: (
            not a.get("overdue"),
            a.get("due") is None,
            a.get("due") or "",
            a.get("id") or 0,
        ),
    )
    return tuple(
        ActionLine(
            title=visible_text(a["title"]),
            owner=visible_text(a["owner"]) if a.get("owner") else None,
            due=date.fromisoformat(a["due"]) if a.get("due") else None,
            status=a["status"],
            overdue=bool(a.get("overdue")),
        )
        for a in ordered
    )


def _stagnation(report: Mapping[str, Any]) -> tuple[StagnationLine, ...]:
    out = []
    for t in report.get("stagnation", ()):
        if not t.get("flagged"):
            continue
        trend = TREND_LABELS.get(t["trend"], t["trend"])
        topic = topic_text(t["domain"], t["topic"], t["partner_type"])
        wait = (
            f", mediane wachttijd {format_number(t['median_wait_days'])} dagen"
            if t.get("median_wait_days") is not None
            else ""
        )
        days = (
            f", {t['extra_shelter_days']} extra verblijfsdagen"
            if t.get("extra_shelter_days")
            else ""
        )
        out.append(
            StagnationLine(
                topic=topic,
                trend=trend,
                text=f"ernst {format_number(t['mean_severity'])} ({trend}){wait}{days}",
            )
        )
    return tuple(out)


def build_summary(
    report: Mapping[str, Any],
    today: date | None = None,
    since: datetime | None = None,
    previous: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Summary:
    """The one-page summary of ``report`` (a ``ketenkaart.report/1`` dict).

    ``previous`` is the region's report at ``since`` and ``changes`` the
    ``ketenkaart.changes/1`` document from ``since`` to now; without them the key figures have
    no change and the counts of what changed are left out.

    >>> from analysis.report import build_report
    >>> import pandas as pd
    >>> empty = pd.DataFrame()
    >>> report = build_report("Regio X", empty, empty, empty, empty, date(2026, 1, 1))
    >>> summary = build_summary(report, date(2026, 1, 1))
    >>> [(k.label, k.value) for k in summary.key_figures][:3]
    [('Organisaties', '0'), ('Actuele afspraken', '0'), ('Normdekking', '–')]
    >>> summary.gaps, summary.actions
    ((), ())
    """
    return Summary(
        region=visible_text(report["region"]),
        peildatum=today,
        since=since,
        key_figures=_key_figures(report, previous, changes),
        gaps=tuple(visible_text(g["sentence"]) for g in report.get("top_gaps", ())),
        changes=_change_counts(changes) if changes is not None else None,
        actions=_actions(report.get("actions", ())),
        stagnation=_stagnation(report),
    )


def split_actions(actions: Sequence[ActionLine], room: int) -> tuple[tuple[ActionLine, ...], int]:
    """The actions that fit in ``room`` lines and how many are left for "en N meer": when not
    all fit, one line goes to the "en N meer" itself.

    >>> a = ActionLine("x", None, None, "open", False)
    >>> split_actions([a, a, a], 3)[1], split_actions([a, a, a, a], 3)[1]
    (0, 2)
    """
    if len(actions) <= room:
        return tuple(actions), 0
    shown = max(room - 1, 0)
    return tuple(actions[:shown]), len(actions) - shown


def action_text(action: ActionLine) -> str:
    """The details of an action after its title: owner, due date, overdue.

    >>> action_text(ActionLine("T", "Gemeente", date(2026, 1, 5), "bezig", True))
    'Gemeente · uiterlijk 05-01-2026 · TE LAAT · bezig'
    """
    parts = [action.owner or "geen trekker"]
    parts.append(f"uiterlijk {format_date(action.due)}" if action.due else "geen datum")
    if action.overdue:
        parts.append("TE LAAT")
    if action.status != "open":
        parts.append(action.status)
    return " · ".join(parts)


def changes_lines(counts: ChangeCounts) -> tuple[str, str]:
    """What changed, in two sentences (agreements, norm findings).

    >>> changes_lines(ChangeCounts(3, 1, 0, 2, 1))
    ('Afspraken: 3 toegevoegd, 1 beëindigd, 0 gewijzigd.', 'Normen: 2 verbeterd, 1 verslechterd.')
    """
    return (
        f"Afspraken: {counts.links_added} toegevoegd, {counts.links_ended} beëindigd, "
        f"{counts.links_changed} gewijzigd.",
        f"Normen: {counts.findings_improved} verbeterd, {counts.findings_worsened} verslechterd.",
    )


# --- Markdown ---------------------------------------------------------------------------------


def _md(value: Any) -> str:
    return break_autolinks(escape_markdown(value))


def _md_cell(value: Any) -> str:
    return break_autolinks(escape_markdown(value, in_table=True))


def render_summary_markdown(summary: Summary) -> list[str]:
    """The summary as the opening lines of the memo (the same content as the PDF)."""
    lines: list[str] = []
    moment = []
    if summary.peildatum:
        moment.append(f"Peildatum {format_date(summary.peildatum)}")
    if summary.since:
        moment.append(f"veranderingen {summary.since_text}")
    if moment:
        lines += [" · ".join(moment) + ".", ""]
    change_header = f"Verandering {summary.since_text}" if summary.since else "Verandering"
    lines += [
        "## Kerncijfers",
        "",
        f"| Kerncijfer | Nu | {change_header} |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {_md_cell(k.label)} | {_md_cell(k.value)} | {_md_cell(k.change or '–')} |"
        for k in summary.key_figures
    ]
    lines += ["", "## De vijf belangrijkste knelpunten", ""]
    if summary.gaps:
        # numbered as on the Overzicht, each its own paragraph (no Markdown list markup)
        for number, gap in enumerate(summary.gaps, start=1):
            lines += [f"{number}\\. {_md(gap)}", ""]
        lines.pop()
    else:
        lines.append("Geen knelpunten gevonden.")
    if summary.changes is not None:
        lines += ["", f"## Wat is er veranderd {summary.since_text}", ""]
        lines += [f"- {line}" for line in changes_lines(summary.changes)]
    lines += ["", "## Open acties", ""]
    if summary.actions:
        lines += [f"- {_md(a.title)} ({_md(action_text(a))})" for a in summary.actions]
    else:
        lines.append("Geen open acties.")
    return lines
