"""Where help stalls: the stagnation survey summarised per (domain, topic, partner type).

A topic is flagged when its mean severity reaches ``settings.severity_flag`` (4), or, for
``onderwijs``/``schoolplaatsing``, when its median waiting time exceeds
``settings.school_wait_flag_days`` (7 days: children start school within 5 working days,
norm 3.3). The trend compares the mean severity with the period before.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.codes import DOMAINS, PARTNER_TYPES, TOPICS, label, normalize_name
from analysis.handovers import latest_period, previous_period
from analysis.network import as_int, clean_value, column_values, records
from analysis.settings import DEFAULT_SETTINGS, Settings

__all__ = [
    "TREND_LABELS",
    "StagnationTopic",
    "TrendLine",
    "count_flagged",
    "format_number",
    "select_domains",
    "select_topics",
    "severity_by_domain",
    "stagnation_over_time",
    "summarise_stagnation",
    "topic_text",
    "trend_lines",
]

#: Dutch words for the trend codes.
TREND_LABELS: dict[str, str] = {
    "up": "gestegen",
    "down": "gedaald",
    "flat": "gelijk",
    "new": "nieuw",
}


@dataclass(frozen=True)
class StagnationTopic:
    """The answers about one (domain, topic, partner type) in one period, summarised.

    Attributes:
        domain, topic, partner_type: what stalls and where (``partner_type`` may be None).
        respondents: distinct answering organisations.
        mean_severity: average severity (1-5) of the answers.
        families: sum of the families given, None when no answer gives them.
        median_wait_days: median of the waiting times given, None when none is given.
        extra_shelter_days: sum of the extra shelter days given, None when none is given.
        trend: ``up``, ``down``, ``flat`` or ``new`` (mean severity against the period before).
        flagged: whether the topic needs attention (see the module docstring).
        reason: the numbers in plain Dutch.
        period: the survey wave.
        previous_mean_severity: the mean severity in the period before, if present.
    """

    domain: str
    topic: str
    partner_type: str | None
    respondents: int
    mean_severity: float
    families: int | None
    median_wait_days: float | None
    extra_shelter_days: int | None
    trend: str
    flagged: bool
    reason: str
    period: str
    previous_mean_severity: float | None = None


def format_number(value: float) -> str:
    """A number with at most one decimal and a Dutch decimal comma.

    >>> format_number(4.333), format_number(12.0), format_number(3.25)
    ('4,3', '12', '3,2')
    """
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def topic_text(domain: str, topic: str, partner_type: str | None) -> str:
    """``Financiën – Uitkering (Werk en inkomen)``."""
    text = f"{label(domain, DOMAINS)} – {label(topic, TOPICS)}"
    if partner_type:
        text += f" ({label(partner_type, PARTNER_TYPES)})"
    return text


def _key(row: dict[str, Any]) -> tuple[str, str, str | None]:
    return (row["domain"], row["topic"], clean_value(row.get("partner_type")))


def _aggregate(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str | None], dict[str, Any]]:
    """Aggregates per (domain, topic, partner type) of the rows of one period."""
    groups: dict[tuple[str, str, str | None], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(_key(row), []).append(row)
    out = {}
    for key, group in groups.items():
        severities = [as_int(row["severity"]) for row in group]
        waits = sorted(float(row["wait_days"]) for row in group if row.get("wait_days") is not None)
        families = [as_int(row["families"]) for row in group if row.get("families") is not None]
        extra = [
            as_int(row["extra_shelter_days"])
            for row in group
            if row.get("extra_shelter_days") is not None
        ]
        out[key] = {
            "answers": len(group),
            "respondents": len({normalize_name(row["respondent"]) for row in group}),
            # integers summed exactly, so the mean does not depend on the row order
            "mean_severity": sum(severities) / len(severities),
            "families": sum(families) if families else None,
            "median_wait_days": float(statistics.median(waits)) if waits else None,
            "extra_shelter_days": sum(extra) if extra else None,
        }
    return out


def _sort_key(item: StagnationTopic) -> tuple[Any, ...]:
    return (-item.mean_severity, item.domain, item.topic, item.partner_type or "")


def summarise_stagnation(
    stagnation: pd.DataFrame,
    settings: Settings = DEFAULT_SETTINGS,
    period: str | None = None,
) -> list[StagnationTopic]:
    """Summarise one survey wave (default: the latest), most severe first.

    Ties are broken by domain, topic and partner type (codes, no partner type first).

    >>> frame = pd.DataFrame([
    ...     {"respondent": "A", "period": "2026", "domain": "wonen", "topic": "woningaanbod",
    ...      "partner_type": None, "severity": 5},
    ...     {"respondent": "B", "period": "2026", "domain": "wonen", "topic": "woningaanbod",
    ...      "partner_type": None, "severity": 4}])
    >>> [topic] = summarise_stagnation(frame)
    >>> topic.respondents, topic.mean_severity, topic.trend, topic.flagged
    (2, 4.5, 'new', True)
    """
    periods = column_values(stagnation, "period")
    if period is None:
        period = latest_period(periods)
    if period is None:
        return []
    before = previous_period(periods, period)
    # only the two waves compared become rows (a national database holds many waves)
    texts = [str(value) for value in periods]
    wanted = [position for position, text in enumerate(texts) if text in (period, before)]
    rows = records(stagnation.iloc[wanted])
    chosen = [texts[position] for position in wanted]
    current = _aggregate([row for row, text in zip(rows, chosen, strict=True) if text == period])
    earlier = _aggregate([row for row, text in zip(rows, chosen, strict=True) if text == before])
    out = []
    for key, data in current.items():
        domain, topic, partner_type = key
        previous = earlier.get(key)
        mean = data["mean_severity"]
        previous_mean = previous["mean_severity"] if previous else None
        if previous_mean is None:
            trend = "new"
        elif mean > previous_mean:
            trend = "up"
        elif mean < previous_mean:
            trend = "down"
        else:
            trend = "flat"
        wait = data["median_wait_days"]
        high = mean >= settings.severity_flag
        school = (
            domain == "onderwijs"
            and topic == "schoolplaatsing"
            and wait is not None
            and wait > settings.school_wait_flag_days
        )
        out.append(
            StagnationTopic(
                domain=domain,
                topic=topic,
                partner_type=partner_type,
                respondents=data["respondents"],
                mean_severity=mean,
                families=data["families"],
                median_wait_days=wait,
                extra_shelter_days=data["extra_shelter_days"],
                trend=trend,
                flagged=high or school,
                reason=_reason(data, trend, previous_mean, before, high, school, settings),
                period=period,
                previous_mean_severity=previous_mean,
            )
        )
    return sorted(out, key=_sort_key)


def _reason(
    data: dict[str, Any],
    trend: str,
    previous_mean: float | None,
    before: str | None,
    high: bool,
    school: bool,
    settings: Settings,
) -> str:
    # Numbers only (the survey's answers); what a topic means is cited by the pages and the
    # top gaps (analysis.priorities.STAGNATION_NORMS), not claimed here.
    respondents = data["respondents"]
    parts = [
        f"Gemiddelde ernst {format_number(data['mean_severity'])} (schaal 1-5) volgens "
        f"{respondents} {'respondent' if respondents == 1 else 'respondenten'}"
    ]
    if trend == "new":
        parts.append(f"niet genoemd in {before}" if before else "geen eerdere meting")
    elif trend == "flat":
        parts.append(f"gelijk aan {before}")
    else:
        parts.append(
            f"{TREND_LABELS[trend]} ten opzichte van {before} ({format_number(previous_mean)})"
        )
    if data["median_wait_days"] is not None:
        parts.append(f"mediane wachttijd {format_number(data['median_wait_days'])} dagen")
    if data["families"] is not None:
        parts.append(f"{data['families']} gezinnen")
    if data["extra_shelter_days"] is not None:
        parts.append(f"{data['extra_shelter_days']} extra verblijfsdagen")
    text = "; ".join(parts)
    flags = []
    if high:
        # severity 4 or more is Ketenkaart's setting (formats.md), not a figure from the seeds
        flags.append(f"gemiddelde ernst {format_number(settings.severity_flag)} of hoger")
    if school:
        # keurmerk 3.3: "zodat kinderen vanaf 4 jaar binnen 5 werkdagen na aankomst in de
        # opvangorganisatie kunnen starten met onderwijs" (seed:
        # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:993-997); the 7 days are
        # Ketenkaart's setting for "more than 5 working days"
        flags.append(
            f"wachttijd voor een schoolplaats langer dan "
            f"{format_number(settings.school_wait_flag_days)} dagen; kinderen vanaf 4 jaar "
            "horen binnen 5 werkdagen na aankomst met onderwijs te kunnen starten "
            "(norm 3.3, keurmerk)"
        )
    if flags:
        text += ". Gesignaleerd: " + " en ".join(flags)
    return text + "."


def stagnation_over_time(stagnation: pd.DataFrame) -> pd.DataFrame:
    """The aggregates of every period, for trend lines and a domain × period heatmap.

    Columns: period, domain, topic, partner_type, respondents, mean_severity, families,
    median_wait_days, extra_shelter_days (NaN/None where not given); sorted by period, domain,
    topic and partner type.

    >>> frame = pd.DataFrame([
    ...     {"respondent": "A", "period": "2025", "domain": "wonen", "topic": "urgentie",
    ...      "partner_type": None, "severity": 2},
    ...     {"respondent": "A", "period": "2026", "domain": "wonen", "topic": "urgentie",
    ...      "partner_type": None, "severity": 4}])
    >>> stagnation_over_time(frame)[["period", "mean_severity"]].values.tolist()
    [['2025', 2.0], ['2026', 4.0]]
    """
    rows = records(stagnation)
    periods = sorted({str(row["period"]) for row in rows if row.get("period") is not None})
    out = []
    for period in periods:
        aggregates = _aggregate([row for row in rows if str(row.get("period")) == period])
        for (domain, topic, partner_type), data in aggregates.items():
            out.append(
                {
                    "period": period,
                    "domain": domain,
                    "topic": topic,
                    "partner_type": partner_type,
                    "respondents": data["respondents"],
                    "mean_severity": data["mean_severity"],
                    "families": data["families"],
                    "median_wait_days": data["median_wait_days"],
                    "extra_shelter_days": data["extra_shelter_days"],
                }
            )
    out.sort(key=lambda e: (e["period"], e["domain"], e["topic"], e["partner_type"] or ""))
    columns = [
        "period",
        "domain",
        "topic",
        "partner_type",
        "respondents",
        "mean_severity",
        "families",
        "median_wait_days",
        "extra_shelter_days",
    ]
    return pd.DataFrame(out, columns=columns)


# --- Selections and views for the Stagnatie page ----------------------------------------------


def select_topics(
    topics: Iterable[StagnationTopic], domains: Iterable[str] = ()
) -> list[StagnationTopic]:
    """The topics of the given domains (every topic when no domain is given), in their order.

    >>> topic = StagnationTopic("wonen", "urgentie", None, 1, 4.0, None, None, None, "new",
    ...                         True, "", "2026")
    >>> len(select_topics([topic], ["wonen"])), len(select_topics([topic], ["financien"]))
    (1, 0)
    """
    wanted = set(domains)
    return [topic for topic in topics if not wanted or topic.domain in wanted]


def count_flagged(topics: Iterable[StagnationTopic]) -> int:
    """How many of the topics are flagged (see the module docstring).

    >>> topic = StagnationTopic("wonen", "urgentie", None, 1, 4.0, None, None, None, "new",
    ...                         True, "", "2026")
    >>> count_flagged([topic, topic]), count_flagged([])
    (2, 0)
    """
    return sum(1 for topic in topics if topic.flagged)


def select_domains(over_time: pd.DataFrame, domains: Iterable[str] = ()) -> pd.DataFrame:
    """The rows of :func:`stagnation_over_time` in the given domains (all when none is given).

    >>> frame = pd.DataFrame({"domain": ["wonen", "onderwijs"], "mean_severity": [3.0, 4.0]})
    >>> select_domains(frame, ["onderwijs"])["mean_severity"].tolist()
    [4.0]
    """
    wanted = list(domains)
    if not wanted:
        return over_time
    return over_time[over_time["domain"].isin(wanted)]


@dataclass(frozen=True)
class TrendLine:
    """The mean severity of one (domain, topic, partner type) in every wave that names it."""

    domain: str
    topic: str
    partner_type: str | None
    periods: tuple[str, ...]
    severities: tuple[float, ...]


def trend_lines(over_time: pd.DataFrame) -> list[TrendLine]:
    """One line per (domain, topic, partner type) of :func:`stagnation_over_time`, in the order
    the frame first lists them; the points are in the frame's (period) order.

    >>> frame = stagnation_over_time(pd.DataFrame([
    ...     {"respondent": "A", "period": "2025", "domain": "wonen", "topic": "urgentie",
    ...      "partner_type": None, "severity": 2},
    ...     {"respondent": "A", "period": "2026", "domain": "wonen", "topic": "urgentie",
    ...      "partner_type": None, "severity": 4}]))
    >>> [(line.topic, line.periods, line.severities) for line in trend_lines(frame)]
    [('urgentie', ('2025', '2026'), (2.0, 4.0))]
    """
    lines: dict[tuple[str, str, str], dict[str, Any]] = {}
    for domain, topic, partner_type, period, severity in zip(
        column_values(over_time, "domain"),
        column_values(over_time, "topic"),
        column_values(over_time, "partner_type"),
        column_values(over_time, "period"),
        column_values(over_time, "mean_severity"),
        strict=True,
    ):
        # no partner type and an empty one are the same line
        line = lines.setdefault(
            (domain, topic, partner_type or ""),
            {"partner_type": partner_type, "periods": [], "severities": []},
        )
        line["periods"].append(period)
        line["severities"].append(float(severity))
    return [
        TrendLine(
            domain=domain,
            topic=topic,
            partner_type=line["partner_type"],
            periods=tuple(line["periods"]),
            severities=tuple(line["severities"]),
        )
        for (domain, topic, _), line in lines.items()
    ]


def severity_by_domain(over_time: pd.DataFrame) -> pd.DataFrame:
    """Per domain (rows, in the order of the code list) and wave (columns, oldest first) the
    highest mean severity of its topics; NaN where a domain has no answers in a wave.

    >>> frame = pd.DataFrame({"period": ["2026", "2026", "2025"],
    ...     "domain": ["wonen", "wonen", "onderwijs"], "mean_severity": [2.0, 4.5, 3.0]})
    >>> severity_by_domain(frame).to_dict("index")
    {'wonen': {'2025': nan, '2026': 4.5}, 'onderwijs': {'2025': 3.0, '2026': nan}}
    """
    if over_time is None or len(over_time) == 0:
        return pd.DataFrame(dtype=float)
    heat = (
        over_time.assign(mean_severity=over_time["mean_severity"].astype(float))
        .groupby(["domain", "period"])["mean_severity"]
        .max()
        .unstack("period")
    )
    order = [domain for domain in DOMAINS if domain in heat.index]
    return heat.reindex(index=order, columns=sorted(heat.columns))
