"""The one-page summary (analysis/summary.py) on tiny hand-made reports with an obvious right
answer: the key figures and their change, what changed in counts, the open actions most urgent
first, the flagged stagnation with its trend, and the memo's opening in Markdown."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from analysis.summary import (
    ActionLine,
    ChangeCounts,
    build_summary,
    render_summary_markdown,
    split_actions,
)

TODAY = date(2026, 11, 24)
SINCE = datetime(2026, 8, 26, 23, 59, 59)


def report(**changes: object) -> dict:
    base = {
        "schema": "ketenkaart.report/1",
        "region": "Noord",
        "periods": {"handovers": "2026-Q3", "stagnation": "2026-Q3"},
        "network": {"organisations": 10, "agreements": 12, "partner_types_missing": []},
        "norms": {"coverage": 0.5, "findings": [{"status": "met"}, {"status": "missing"}]},
        "handover_gaps": [],
        "stagnation": [
            {
                "domain": "wonen",
                "topic": "woningaanbod",
                "partner_type": None,
                "respondents": 2,
                "mean_severity": 4.5,
                "families": None,
                "median_wait_days": 120.0,
                "extra_shelter_days": 30,
                "trend": "up",
                "flagged": True,
                "reason": "",
            },
            {
                "domain": "financien",
                "topic": "schulden",
                "partner_type": None,
                "respondents": 1,
                "mean_severity": 2.0,
                "families": None,
                "median_wait_days": None,
                "extra_shelter_days": None,
                "trend": "flat",
                "flagged": False,
                "reason": "",
            },
        ],
        "warm_share": 0.8,
        "top_gaps": [{"sentence": "Eén zin.", "norm": "norm 4.3", "area": "normen"}],
        "actions": [],
    }
    base.update(changes)
    return base


def action(number: int, due: str | None, status: str = "open", overdue: bool = False) -> dict:
    return {
        "id": number,
        "title": f"Actie {number}",
        "owner": None,
        "due": due,
        "status": status,
        "overdue": overdue,
    }


def test_the_key_figures_and_their_change() -> None:
    previous = report(
        network={"organisations": 7, "agreements": 12, "partner_types_missing": []},
        norms={"coverage": 0.25, "findings": [{"status": "missing"}]},
        warm_share=0.85,
        stagnation=[],
        periods={"handovers": "2026-Q2", "stagnation": None},
    )
    summary = build_summary(report(), TODAY, SINCE, previous)
    assert [(k.label, k.value, k.change) for k in summary.key_figures] == [
        ("Organisaties", "10", "+3"),
        ("Actuele afspraken", "12", "gelijk"),
        ("Normdekking", "50%", "+25,0 procentpunt"),
        ("Warm overgedragen (2026-Q3)", "80%", "-5,0 procentpunt"),
        # no survey at the moment compared with: no change to show
        ("Gesignaleerde stagnatie (2026-Q3)", "1", None),
    ]
    assert summary.since_text == "sinds 26-08-2026"


def test_without_a_moment_there_is_no_change_and_no_counts() -> None:
    summary = build_summary(report())
    assert all(k.change is None for k in summary.key_figures)
    assert summary.changes is None and summary.peildatum is None


def test_coverage_before_comes_from_the_changes_null_without_an_inventory() -> None:
    changes = {
        "agreements": {"added": [1, 2], "ended": [3], "changed": []},
        "findings": [
            {"before": "missing", "after": "met"},
            {"before": "partial", "after": "met"},
            {"before": "met", "after": "missing"},
            {"before": None, "after": "missing"},  # a new shelter: neither
            {"before": "partial", "after": None},  # a requirement gone: neither
        ],
        "coverage": {"before": None, "after": 0.5},
    }
    summary = build_summary(report(), TODAY, SINCE, report(), changes)
    assert summary.key_figures[2].change is None
    assert summary.changes == ChangeCounts(2, 1, 0, 2, 1)


def test_open_actions_most_urgent_first() -> None:
    actions = [
        action(1, "2027-03-01"),
        action(2, None),
        action(3, "2026-10-01", overdue=True),
        action(4, "2027-01-15", status="bezig"),
        action(5, "2026-01-01", status="gereed"),
    ]
    summary = build_summary(report(actions=actions), TODAY)
    assert [a.title for a in summary.actions] == ["Actie 3", "Actie 4", "Actie 1", "Actie 2"]
    assert summary.actions[0].due == date(2026, 10, 1) and summary.actions[0].overdue


@pytest.mark.parametrize(("count", "room", "shown", "more"), [(3, 3, 3, 0), (4, 3, 2, 2)])
def test_split_actions_leaves_a_line_for_the_rest(
    count: int, room: int, shown: int, more: int
) -> None:
    lines = [ActionLine(f"A{n}", None, None, "open", False) for n in range(count)]
    got, left = split_actions(lines, room)
    assert (len(got), left) == (shown, more)


def test_only_flagged_stagnation_with_its_trend() -> None:
    summary = build_summary(report(), TODAY)
    [line] = summary.stagnation
    assert line.topic == "Wonen – Woningaanbod"
    assert line.trend == "gestegen"
    assert line.text == "ernst 4,5 (gestegen), mediane wachttijd 120 dagen, 30 extra verblijfsdagen"


def test_hidden_characters_in_data_are_shown_by_their_code() -> None:
    summary = build_summary(report(region="Noord\u202eZuid"), TODAY)
    assert summary.region == "Noord[U+202E]Zuid"


def test_the_memo_opening_escapes_titles_and_numbers_the_gaps() -> None:
    actions = [{**action(1, "2026-11-01", overdue=True), "title": "<b>*nu*</b>"}]
    lines = render_summary_markdown(build_summary(report(actions=actions), TODAY, SINCE))
    text = "\n".join(lines)
    assert lines[0] == "Peildatum 24-11-2026 · veranderingen sinds 26-08-2026."
    assert "| Kerncijfer | Nu | Verandering sinds 26-08-2026 |" in text
    assert "1\\. Eén zin." in text
    assert "- &lt;b&gt;\\*nu\\*&lt;/b&gt; (geen trekker · uiterlijk 01-11-2026 · TE LAAT)" in text
