"""Stagnation per topic: aggregates, trend, flags and order (analysis/stagnation.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.settings import Settings
from analysis.stagnation import stagnation_over_time, summarise_stagnation

COLUMNS = [
    "respondent",
    "period",
    "domain",
    "topic",
    "partner",
    "partner_type",
    "severity",
    "wait_days",
    "families",
    "extra_shelter_days",
    "note",
]


def answer(**fields: object) -> dict:
    """An answer of Opvang Noord in 2026-Q3: benefits stall at werk_inkomen, severity 3."""
    base = dict.fromkeys(COLUMNS)
    base.update(
        respondent="Opvang Noord",
        period="2026-Q3",
        domain="financien",
        topic="uitkering",
        partner_type="werk_inkomen",
        severity=3,
    )
    base.update(fields)
    return base


def summarise(*answers: dict, **kwargs: object):
    return summarise_stagnation(pd.DataFrame(list(answers), columns=COLUMNS), **kwargs)


def test_aggregates_of_one_topic() -> None:
    [topic] = summarise(
        answer(severity=5, wait_days=30.0, families=3, extra_shelter_days=40),
        answer(respondent="opvang  noord", severity=4, wait_days=10.0),
        answer(respondent="Opvang Zuid", severity=3, wait_days=20.0, families=2),
    )
    assert (topic.domain, topic.topic, topic.partner_type) == (
        "financien",
        "uitkering",
        "werk_inkomen",
    )
    assert topic.respondents == 2  # one organisation in two spellings
    assert topic.mean_severity == 4.0
    assert topic.families == 5
    assert topic.median_wait_days == 20.0
    assert topic.extra_shelter_days == 40
    assert topic.period == "2026-Q3"
    assert topic.reason.startswith("Gemiddelde ernst 4 (schaal 1-5) volgens 2 respondenten")
    assert "mediane wachttijd 20 dagen; 5 gezinnen; 40 extra verblijfsdagen" in topic.reason


def test_optional_numbers_are_none_when_nobody_gives_them() -> None:
    [topic] = summarise(answer(), answer(respondent="B"))
    assert (topic.families, topic.median_wait_days, topic.extra_shelter_days) == (None, None, None)


@pytest.mark.parametrize(
    ("previous", "trend"),
    [([2, 3], "up"), ([5], "down"), ([3, 3], "flat"), ([], "new")],
)
def test_trend_against_the_period_before(previous: list[int], trend: str) -> None:
    earlier = [
        answer(period="2026-Q2", severity=s, respondent=f"R{i}") for i, s in enumerate(previous)
    ]
    # 2026-Q2 is present (another topic) and is the period before; 2025-Q4 is ignored
    other = answer(period="2026-Q2", domain="wonen", topic="urgentie", partner_type=None)
    older = answer(period="2025-Q4", severity=1)
    [topic] = [
        t for t in summarise(older, other, *earlier, answer(severity=3)) if t.topic == "uitkering"
    ]
    assert topic.trend == trend
    if trend in ("up", "down"):
        word = "gestegen" if trend == "up" else "gedaald"
        assert f"{word} ten opzichte van 2026-Q2" in topic.reason


def test_new_when_the_topic_is_absent_before_even_if_another_partner_type_was_there() -> None:
    [topic] = summarise(
        answer(period="2026-Q2", partner_type="schuldhulp"), answer(partner_type="werk_inkomen")
    )
    assert topic.trend == "new"
    assert "niet genoemd in 2026-Q2" in topic.reason


@pytest.mark.parametrize(
    ("fields", "flagged"),
    [
        ({"severity": 4}, True),  # exactly 4
        ({"severity": 3}, False),
        ({"domain": "onderwijs", "topic": "schoolplaatsing", "wait_days": 8.0}, True),
        ({"domain": "onderwijs", "topic": "schoolplaatsing", "wait_days": 7.0}, False),
        ({"domain": "onderwijs", "topic": "leerlingenvervoer", "wait_days": 30.0}, False),
        ({"domain": "wachtlijst", "topic": "ggz", "wait_days": 90.0}, False),
    ],
)
def test_flagged(fields: dict, flagged: bool) -> None:
    [topic] = summarise(answer(**fields))
    assert topic.flagged is flagged
    assert ("Gesignaleerd" in topic.reason) is flagged


def test_school_flag_reason_names_norm_3_3() -> None:
    [topic] = summarise(answer(domain="onderwijs", topic="schoolplaatsing", wait_days=12.0))
    assert "langer dan 7 dagen" in topic.reason
    assert "norm 3.3" in topic.reason


def test_thresholds_come_from_settings() -> None:
    strict = Settings(severity_flag=3.0, school_wait_flag_days=5.0)
    assert summarise(answer(severity=3), settings=strict)[0].flagged is True
    school = answer(domain="onderwijs", topic="schoolplaatsing", severity=1, wait_days=6.0)
    assert summarise(school, settings=strict)[0].flagged is True
    assert summarise(school)[0].flagged is False


def test_most_severe_first_then_domain_topic_partner_type() -> None:
    topics = summarise(
        answer(domain="wonen", topic="woningaanbod", partner_type=None, severity=4),
        answer(domain="financien", topic="uitkering", partner_type="werk_inkomen", severity=4),
        answer(domain="financien", topic="uitkering", partner_type=None, severity=4),
        answer(domain="financien", topic="schulden", partner_type="schuldhulp", severity=5),
        answer(domain="wachtlijst", topic="ggz", partner_type="ggz", severity=2),
        answer(period="2026-Q2", domain="overig", topic="overig", severity=5),
    )
    assert [(t.domain, t.topic, t.partner_type) for t in topics] == [
        ("financien", "schulden", "schuldhulp"),
        ("financien", "uitkering", None),
        ("financien", "uitkering", "werk_inkomen"),
        ("wonen", "woningaanbod", None),
        ("wachtlijst", "ggz", "ggz"),
    ]


def test_an_older_period_can_be_asked_for_and_empty_input_gives_nothing() -> None:
    topics = summarise(answer(period="2026-Q2", severity=5), answer(severity=1), period="2026-Q2")
    assert [(t.period, t.mean_severity, t.trend) for t in topics] == [("2026-Q2", 5.0, "new")]
    assert summarise() == []


def test_stagnation_over_time() -> None:
    frame = stagnation_over_time(
        pd.DataFrame(
            [
                answer(period="2026-Q2", severity=2, families=1),
                answer(period="2026-Q3", severity=4),
                answer(period="2026-Q3", severity=5, respondent="B", wait_days=3.0),
                answer(period="2026-Q3", domain="wonen", topic="urgentie", partner_type=None),
            ],
            columns=COLUMNS,
        )
    )
    assert frame[["period", "domain", "topic", "respondents", "mean_severity"]].values.tolist() == [
        ["2026-Q2", "financien", "uitkering", 1, 2.0],
        ["2026-Q3", "financien", "uitkering", 2, 4.5],
        ["2026-Q3", "wonen", "urgentie", 1, 3.0],
    ]
    assert frame["median_wait_days"].iloc[1] == 3.0
    assert frame["families"].iloc[0] == 1


def test_a_topic_answered_by_one_organisation_says_1_respondent() -> None:
    rows = [answer(severity=4), answer(severity=5)]  # two answers, one organisation
    [topic] = summarise_stagnation(pd.DataFrame(rows, columns=COLUMNS))
    assert topic.respondents == 1
    assert "volgens 1 respondent;" in topic.reason
    rows.append(answer(respondent="Opvang Zuid", severity=3))
    [topic] = summarise_stagnation(pd.DataFrame(rows, columns=COLUMNS))
    assert "volgens 2 respondenten;" in topic.reason
