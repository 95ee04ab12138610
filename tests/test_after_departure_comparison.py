"""Regio's vergelijken shows the families who moved to another region per region (issue 16), as
counts with the small-number rule: below 5 is '< 5' and a share of fewer than 5 is hidden."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from analysis.compare import RegionInput, compare_moves
from ketendata import store
from ketendata.importers import import_file
from tests.builders import csv_bytes
from tests.conftest import app_on

APP = str(Path(__file__).resolve().parents[1] / "app.py")
HEADER = [
    "regio",
    "organisatie",
    "periode",
    "fase",
    "partnertype",
    "gezinnen",
    "warm",
    "naar_andere_regio",
    "regisseur_nieuwe_gemeente",
]


def open_comparison() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("pages/comparison.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def moves_table(at: AppTest) -> pd.DataFrame:
    for frame in at.dataframe:
        if "Naar andere regio" in frame.value.columns:
            return frame.value.set_index("Regio")
    raise AssertionError("no table of moves")


def test_the_demo_regions_moves_side_by_side(app_env: Path) -> None:
    at = open_comparison()
    assert "Verhuisd naar een andere regio" in [s.value for s in at.subheader]
    table = moves_table(at)
    assert table.loc["Demoregio Duinrade", "Perioden"] == "2025-Q4 t/m 2026-Q3"
    duinrade = table.loc["Demoregio Duinrade"]
    assert int(duinrade["Naar andere regio"]) >= 5
    share = duinrade["Aandeel met regisseur"]
    assert share.endswith("%") and float(share.rstrip("%").replace(",", ".")) < 80
    assert table.loc["Demoregio Meerhaven", "Aandeel met regisseur"] == "100%"


def test_small_counts_are_hidden(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "k.duckdb"
    con = store.open_database(path)
    try:
        rows = [
            HEADER,
            ["Regio Klein", "Opvang K", "2026-Q3", "uitstroom", "wijkteam", "6", "6", "3", "1"],
            ["Regio Groot", "Opvang G", "2026-Q2", "uitstroom", "wijkteam", "9", "9", "4", "4"],
            ["Regio Groot", "Opvang G", "2026-Q3", "uitstroom", "wijkteam", "9", "9", "4", "3"],
            ["Regio Leeg", "Opvang L", "2026-Q3", "uitstroom", "wijkteam", "9", "9", "", ""],
        ]
        import_file(con, csv_bytes(rows), "o.csv", new_region=True)
    finally:
        con.close()
    with app_on(path, monkeypatch):
        table = moves_table(open_comparison())
    assert table.loc["Regio Klein"][
        ["Naar andere regio", "Met regisseur in nieuwe gemeente", "Aandeel met regisseur"]
    ].tolist() == ["< 5", "< 5", "verborgen"]
    assert table.loc["Regio Groot"][
        ["Naar andere regio", "Met regisseur in nieuwe gemeente", "Aandeel met regisseur"]
    ].tolist() == ["8", "7", "87,5%"]
    assert table.loc["Regio Leeg"][
        ["Naar andere regio", "Met regisseur in nieuwe gemeente", "Aandeel met regisseur"]
    ].tolist() == ["–", "–", "–"]


def test_moves_sum_the_latest_four_periods_of_uitstroom_only() -> None:
    def row(period: str, moved: int, regisseur: int | None, phase: str = "uitstroom") -> dict:
        return {
            "period": period,
            "phase": phase,
            "moved_to_other_region": moved,
            "regisseur_new_municipality": regisseur,
        }

    frame = pd.DataFrame(
        [
            row("2025-Q2", 50, 0),  # older than the latest four periods
            row("2025-Q3", 2, 2),
            row("2025-Q4", 2, None),  # moved, regisseur not given: counted, not judged
            row("2026-Q1", 2, 1),
            row("2026-Q2", 2, 2),
            row("2026-Q2", 7, 0, phase="doorstroom"),
        ]
    )
    empty = pd.DataFrame()
    [moves] = compare_moves({"R": RegionInput(empty, frame, empty, empty)}).to_dict("records")
    assert moves == {
        "region": "R",
        "first_period": "2025-Q3",
        "last_period": "2026-Q2",
        "moved": 8,
        "regisseur_new": 5,
        "regisseur_of": 6,
    }
