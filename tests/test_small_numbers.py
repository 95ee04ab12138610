"""Small numbers stay hidden: a share of fewer than 5 families is masked wherever counts below 5
are (issue 14, item 9). "33,3%" next to "< 5" could only mean 1 of 3.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import compare
from analysis.settings import Settings
from tests.builders import csv_bytes
from tests.test_pages_tables import import_region, open_page
from ui import common


@pytest.mark.parametrize(
    ("share", "families", "text", "shown"),
    [
        (1 / 3, 3, "verborgen", None),
        (0.0, 4, "verborgen", None),
        (1.0, 1, "verborgen", None),
        (0.4, 5, "40%", 0.4),
        (2 / 3, 12, "66,7%", 2 / 3),
        (None, 3, "–", None),
        (None, None, "–", None),
        (float("nan"), 10, "–", None),
    ],
)
def test_a_share_of_fewer_than_five_families_is_hidden(
    share: float | None, families: int | None, text: str, shown: float | None
) -> None:
    assert compare.mask_small_share(share, families) == text
    assert compare.hide_small_share(share, families) == shown


def test_the_threshold_of_shares_is_the_threshold_of_counts() -> None:
    strict = Settings(small_count=10)
    assert compare.mask_small_counts(7, strict) == "< 10"
    assert compare.mask_small_share(0.5, 7, strict) == compare.HIDDEN_SHARE
    assert compare.mask_small_share(0.5, 10, strict) == "50%"
    assert compare.is_small_count(9, strict) and not compare.is_small_count(10, strict)


def _handovers(region: str, families: int, warm: int) -> tuple[str, bytes]:
    rows = [
        ["regio", "organisatie", "periode", "fase", "partnertype", "gezinnen", "warm"],
        [region, f"Opvang {region}", "2026-Q3", "uitstroom", "wijkteam", str(families), str(warm)],
    ]
    return f"{region}.csv", csv_bytes(rows)


def test_comparison_hides_the_share_of_a_small_count_in_table_and_chart(app_env: Path) -> None:
    import_region(app_env, [_handovers("Regio Drie", 3, 1), _handovers("Regio Vijf", 5, 2)])
    at = open_page(common.PAGE_VERGELIJKEN, "Regio Drie")
    table = next(t.value for t in at.dataframe if "Warme overdrachten" in t.value.columns)
    rows = table.set_index("Regio")
    assert rows.loc["Regio Drie", "Gezinnen overgedragen"] == "< 5"
    assert rows.loc["Regio Drie", "Warme overdrachten"] == "verborgen"
    assert rows.loc["Regio Vijf", "Gezinnen overgedragen"] == "5"
    assert rows.loc["Regio Vijf", "Warme overdrachten"] == "40%"
    assert "33,3%" not in table.to_string()

    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    warm = next(trace for trace in chart["data"] if trace["name"] == "Warme overdrachten")
    bars = dict(zip(warm["x"], warm["y"], strict=True))
    assert bars["Regio Drie"] is None  # no bar: its height would give the count away
    assert bars["Regio Vijf"] == pytest.approx(40.0)
    assert "verborgen" in at.caption[0].value
