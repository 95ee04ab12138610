"""Actions (actions.md): the pure judgement of analysis/actions on tiny hand-made reports, and the
library of ketendata/actions on a real demo database (the report's "actions")."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from analysis.actions import is_gap_open, is_overdue, link_form
from ketendata import actions, store
from ketendata.intake.problems import ValidationError

TODAY = date(2026, 11, 24)

REPORT = {
    "network": {"partner_types_missing": ["huisarts"]},
    "norms": {
        "findings": [
            {
                "organisation": "Opvang Noord",
                "partner_type": "ggz",
                "agreement_type": "meldcode",
                "status": "partial",
            },
            {
                "organisation": "Opvang Noord",
                "partner_type": "politie",
                "agreement_type": "veiligheid",
                "status": "met",
            },
            {
                "organisation": "Opvang Noord",
                "partner_type": "*",
                "agreement_type": "vervoer",
                "status": "missing",
            },
        ]
    },
    "handover_gaps": [
        {
            "organisation": "Opvang Noord",
            "partner_type": "wijkteam",
            "phase": "uitstroom",
            "kind": "warm_share_low",
        },
    ],
    "stagnation": [
        {"domain": "wonen", "topic": "urgentie", "partner_type": "gemeente", "flagged": True},
        {
            "domain": "wonen",
            "topic": "urgentie",
            "partner_type": "woningcorporatie",
            "flagged": False,
        },
        {"domain": "financien", "topic": "schulden", "partner_type": None, "flagged": False},
    ],
}


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (None, None),
        (
            {"organisation": "Opvang Noord", "partner_type": "ggz", "agreement_type": "meldcode"},
            True,
        ),
        (
            {"organisation": "opvang  noord", "partner_type": "ggz", "agreement_type": "meldcode"},
            True,
        ),
        (
            {
                "organisation": "Opvang Noord",
                "partner_type": "politie",
                "agreement_type": "veiligheid",
            },
            False,
        ),
        ({"organisation": "Opvang Noord", "partner_type": "*", "agreement_type": "vervoer"}, True),
        (
            {"organisation": "Opvang Zuid", "partner_type": "ggz", "agreement_type": "meldcode"},
            False,
        ),
        ({"partner_type": "huisarts"}, True),
        ({"partner_type": "ggz"}, False),
        (
            {
                "organisation": "Opvang Noord",
                "partner_type": "wijkteam",
                "phase": "uitstroom",
                "kind": "warm_share_low",
            },
            True,
        ),
        (
            {
                "organisation": "Opvang Noord",
                "partner_type": "wijkteam",
                "phase": "instroom",
                "kind": "warm_share_low",
            },
            False,
        ),
        ({"domain": "wonen", "topic": "urgentie"}, True),  # any partner type
        ({"domain": "wonen", "topic": "urgentie", "partner_type": "gemeente"}, True),
        ({"domain": "wonen", "topic": "urgentie", "partner_type": "woningcorporatie"}, False),
        ({"domain": "financien", "topic": "schulden"}, False),
        ({"domain": "onderwijs", "topic": "schoolplaatsing"}, False),
    ],
)
def test_gap_open_against_a_hand_made_report(link: dict | None, expected: bool | None) -> None:
    assert is_gap_open(link, REPORT) is expected


@pytest.mark.parametrize(
    ("link", "form"),
    [
        ({"partner_type": "ggz"}, "partner_type"),
        ({"organisation": "O", "partner_type": "ggz", "agreement_type": "meldcode"}, "finding"),
        (
            {
                "organisation": "O",
                "partner_type": "ggz",
                "phase": "instroom",
                "kind": "no_regisseur",
            },
            "handover_gap",
        ),
        ({"domain": "wonen", "topic": "urgentie", "partner_type": "ggz"}, "stagnation"),
        ({"organisation": "O", "partner_type": "ggz"}, None),
        (
            {
                "organisation": "O",
                "partner_type": "ggz",
                "agreement_type": "meldcode",
                "phase": "instroom",
            },
            None,
        ),
        ({"domain": "wonen"}, None),
        ({}, None),
    ],
)
def test_link_forms(link: dict, form: str | None) -> None:
    assert link_form(link) == form


def test_overdue_needs_an_open_status_and_a_past_due_date() -> None:
    assert is_overdue("open", date(2026, 11, 23), TODAY)
    assert not is_overdue("open", TODAY, TODAY)
    assert not is_overdue("vervallen", date(2020, 1, 1), TODAY)


def test_report_actions_are_the_open_and_busy_ones_in_list_form(demo_db: Path) -> None:
    region = "Demoregio Wolkendal"
    moment = datetime(2026, 11, 24, 10, 0)
    with store.writing(demo_db) as con:
        ids = {
            status: actions.add_action(
                con,
                region,
                {"title": status, "status": status},
                {"partner_type": "huisarts"},
                now=moment,
            )
            for status in ("open", "bezig", "gereed", "vervallen")
        }
    with store.reading(demo_db) as con:
        report = actions.build_current_report(con, region, TODAY)
        found = actions.report_actions(con, region, report, TODAY)
        everything = actions.list_actions(con, region, TODAY)
    assert [action["id"] for action in found] == [ids["open"], ids["bezig"]]
    assert found == [a for a in everything if a["status"] in ("open", "bezig")]
    assert list(found[0]) == list(actions.ACTION_KEYS)
    assert found[0]["gap_open"] is True and found[0]["created_at"] == "2026-11-24T10:00:00"


def test_the_library_refuses_like_the_command_line(demo_db: Path) -> None:
    with store.writing(demo_db) as con:
        before = store.dump_content(con)
        with pytest.raises(ValidationError) as refused:
            actions.add_action(con, "Demoregio Wolkendal", {"title": "x" * 201, "status": "af"})
        with pytest.raises(actions.UnknownRegionError):
            actions.add_action(con, "Demoregio Nergens", {"title": "x"})
        with pytest.raises(actions.UnknownActionError):
            actions.update_action(con, 1, {"status": "bezig"})
        assert store.dump_content(con) == before
    assert [problem.message.split(":")[0] for problem in refused.value.problems] == [
        "titel",
        "status",
    ]
