"""Regions side by side and masking small counts (analysis/compare.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.compare import RegionInput, compare_regions, mask_small_counts
from analysis.handovers import warm_share_change
from analysis.settings import Settings

TODAY = date(2026, 9, 30)
MATRIX = pd.DataFrame(
    [
        ("veilig_thuis", "meldcode", "4.3", True),
        ("politie", "veiligheid", "4.2b/c", False),
    ],
    columns=["partner_type", "agreement_type", "norm", "child_required"],
)


def agreement(organisation: str, partner: str, partner_type: str, types: tuple, **fields) -> dict:
    base = {
        "organisation": organisation,
        "organisation_type": "vrouwenopvang",
        "partner": partner,
        "partner_type": partner_type,
        "agreement_types": types,
        "status": "schriftelijk",
        "child_specific": True,
        "start_date": None,
        "end_date": None,
        "evaluated_on": date(2026, 1, 1),
        "agreement_id": None,
    }
    base.update(fields)
    return base


def handover(organisation: str, period: str, families: int, warm: int) -> dict:
    return {
        "organisation": organisation,
        "period": period,
        "phase": "uitstroom",
        "partner_type": "wijkteam",
        "families": families,
        "warm": warm,
    }


def answer(period: str, severity: int) -> dict:
    return {
        "respondent": "Opvang",
        "period": period,
        "domain": "wonen",
        "topic": "woningaanbod",
        "partner_type": None,
        "severity": severity,
    }


def test_compare_two_regions() -> None:
    noord = RegionInput(
        agreements=pd.DataFrame(
            [
                agreement("Opvang Noord", "Veilig Thuis", "veilig_thuis", ("meldcode",)),
                agreement("Opvang Noord", "Politie", "politie", ("veiligheid",)),
                agreement(
                    "Opvang Noord-2", "Politie", "politie", ("veiligheid",), status="mondeling"
                ),
                agreement(
                    "Gemeente", "Politie", "politie", ("veiligheid",), organisation_type="gemeente"
                ),
            ]
        ),
        handovers=pd.DataFrame(
            [
                handover("Opvang Noord", "2026-Q2", 10, 0),
                handover("Opvang Noord", "2026-Q3", 6, 6),
                handover("Opvang Noord-2", "2026-Q3", 4, 0),
            ]
        ),
        stagnation=pd.DataFrame([answer("2026-Q2", 5), answer("2026-Q3", 4)]),
        matrix=MATRIX,
    )
    zuid = RegionInput(
        agreements=pd.DataFrame(
            [agreement("Opvang Zuid", "Politie", "politie", ("veiligheid",), status="beeindigd")]
        ),
        handovers=pd.DataFrame(),
        stagnation=pd.DataFrame([answer("2026-Q3", 2)]),
        matrix=MATRIX,
    )
    frame = compare_regions({"Zuid": zuid, "Noord": noord}, TODAY)
    rows = frame.to_dict("records")
    assert [r["region"] for r in rows] == ["Noord", "Zuid"]
    assert rows[0] == {
        "region": "Noord",
        "organisations": 5,
        "shelters": 2,
        "agreements": 4,
        "coverage": 0.5,  # Noord: 2 of 2 met; Noord-2: 0 of 2
        "missing_partner_types_count": 0,
        "missing_partner_types": (),
        "handover_period": "2026-Q3",
        "warm_share": 0.6,
        "families": 10,
        "stagnation_period": "2026-Q3",
        "flagged_stagnations": 1,
    }
    assert rows[1]["coverage"] == 0.0
    assert rows[1]["missing_partner_types"] == ("politie", "veilig_thuis")
    assert rows[1]["missing_partner_types_count"] == 2
    assert rows[1]["warm_share"] is None or pd.isna(rows[1]["warm_share"])
    assert rows[1]["flagged_stagnations"] == 0


def test_compare_uses_the_settings() -> None:
    region = RegionInput(
        pd.DataFrame(), pd.DataFrame(), pd.DataFrame([answer("2026", 3)]), matrix=MATRIX
    )
    assert compare_regions({"X": region}, TODAY)["flagged_stagnations"].tolist() == [0]
    strict = Settings(severity_flag=3.0)
    assert compare_regions({"X": region}, TODAY, strict)["flagged_stagnations"].tolist() == [1]


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "< 5"), (1, "< 5"), (4, "< 5"), (5, "5"), (12, "12"), (4.0, "< 5"), (None, "–")],
)
def test_mask_small_counts(value: int | float | None, text: str) -> None:
    assert mask_small_counts(value) == text


def test_mask_small_counts_threshold_is_a_setting() -> None:
    assert mask_small_counts(7, Settings(small_count=10)) == "< 10"
    assert mask_small_counts(10, Settings(small_count=10)) == "10"


@pytest.mark.parametrize(
    "rows",
    [
        [
            handover("Opvang A", "2026-Q2", 10, 10),
            handover("Opvang A", "2026-Q3", 7, 3),
            handover("Opvang B", "2026-Q3", 5, 5),
        ],
        [handover("Opvang A", "2026-Q3", 0, 0)],  # no families: no share
        [],
    ],
)
def test_the_comparison_shows_the_warm_share_of_the_overzicht(rows: list[dict]) -> None:
    handovers = pd.DataFrame(
        rows, columns=["organisation", "period", "phase", "partner_type", "families", "warm"]
    )
    empty = pd.DataFrame()
    [row] = compare_regions({"Noord": RegionInput(empty, handovers, empty, MATRIX)}, TODAY).to_dict(
        "records"
    )
    overzicht = warm_share_change(handovers)  # what the region's own Overzicht shows
    assert row["handover_period"] == overzicht.period
    assert row["warm_share"] == overzicht.share
