"""What the Stagnatie and Overzicht pages show of the survey: selections, counts, trend lines
and the domain × wave heat table (analysis/stagnation.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.stagnation import (
    TrendLine,
    count_flagged,
    select_domains,
    select_topics,
    severity_by_domain,
    stagnation_over_time,
    summarise_stagnation,
    trend_lines,
)
from tests.test_stagnation import COLUMNS, answer


def over_time(*answers: dict) -> pd.DataFrame:
    return stagnation_over_time(pd.DataFrame(list(answers), columns=COLUMNS))


def topics(*answers: dict):
    return summarise_stagnation(pd.DataFrame(list(answers), columns=COLUMNS))


THREE_DOMAINS = (
    answer(severity=5),  # financien, flagged
    answer(domain="wonen", topic="urgentie", partner_type=None, severity=2),
    answer(domain="onderwijs", topic="schoolplaatsing", partner_type="onderwijs", severity=4),
)


@pytest.mark.parametrize(
    ("domains", "expected"),
    [
        ((), ["financien", "onderwijs", "wonen"]),  # nothing chosen: everything
        (["wonen"], ["wonen"]),
        (("wonen", "financien"), ["financien", "wonen"]),
        (["veiligheid"], []),
    ],
)
def test_select_topics_and_domains(domains: tuple, expected: list[str]) -> None:
    assert [t.domain for t in select_topics(topics(*THREE_DOMAINS), domains)] == expected
    frame = select_domains(over_time(*THREE_DOMAINS), domains)
    assert sorted(frame["domain"]) == expected


def test_count_flagged() -> None:
    found = topics(*THREE_DOMAINS)
    assert count_flagged(found) == 2  # severity 5 and severity 4
    assert count_flagged(select_topics(found, ["wonen"])) == 0
    assert count_flagged([]) == 0


def test_trend_lines_one_per_topic_and_partner_type_over_the_waves() -> None:
    frame = over_time(
        answer(period="2026-Q2", severity=2),
        answer(period="2026-Q3", severity=4),
        answer(period="2026-Q3", severity=5, respondent="B"),
        answer(period="2026-Q3", partner_type="schuldhulp", severity=1),
        answer(period="2026-Q1", domain="wonen", topic="urgentie", partner_type=None, severity=3),
        answer(period="2026-Q3", domain="wonen", topic="urgentie", partner_type=None, severity=5),
    )
    assert trend_lines(frame) == [
        TrendLine("wonen", "urgentie", None, ("2026-Q1", "2026-Q3"), (3.0, 5.0)),
        TrendLine("financien", "uitkering", "werk_inkomen", ("2026-Q2", "2026-Q3"), (2.0, 4.5)),
        TrendLine("financien", "uitkering", "schuldhulp", ("2026-Q3",), (1.0,)),
    ]
    assert trend_lines(over_time()) == []


def test_a_topic_without_partner_type_keeps_its_points() -> None:
    # stagnation_over_time stores the missing partner type as NaN; the line must still find
    # its points and carry no partner type (the page once drew it empty, named "(nan)")
    frame = over_time(answer(domain="wonen", topic="urgentie", partner_type=None, severity=4))
    assert frame["partner_type"].isna().all()
    [line] = trend_lines(frame)
    assert line.partner_type is None
    assert (line.periods, line.severities) == (("2026-Q3",), (4.0,))


def test_severity_by_domain_takes_the_worst_topic_per_wave() -> None:
    frame = over_time(
        answer(period="2026-Q2", severity=2),
        answer(period="2026-Q2", topic="toeslagen", severity=4),
        answer(period="2026-Q3", severity=3),
        answer(period="2026-Q3", domain="wonen", topic="urgentie", partner_type=None, severity=5),
    )
    heat = severity_by_domain(frame)
    assert list(heat.index) == ["financien", "wonen"]  # the order of the code list
    assert list(heat.columns) == ["2026-Q2", "2026-Q3"]
    assert heat.loc["financien"].tolist() == [4.0, 3.0]
    assert math.isnan(heat.loc["wonen", "2026-Q2"]) and heat.loc["wonen", "2026-Q3"] == 5.0


def test_severity_by_domain_of_nothing_is_empty() -> None:
    assert severity_by_domain(over_time()).empty
