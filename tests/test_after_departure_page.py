"""The "Na vertrek" view of the Overdracht page (issue 16) with AppTest on the demo regions: per
shelter, over the periods, with the threshold named as Ketenkaart's; a region without the
columns says how to give them. Plus the view's table helper on a hand-made trend."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from analysis.handovers import after_departure_trend
from ketendata import store
from ketendata.importers import import_file
from tests.builders import csv_bytes
from tests.conftest import app_on
from ui.after_departure import after_departure_table

APP = str(Path(__file__).resolve().parents[1] / "app.py")
DUINRADE = "Demoregio Duinrade"
DUINROOS = "Vrouwenopvang De Duinroos"


def open_handovers(region: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["regio"] = region
    at.run()
    at.switch_page("pages/handovers.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def trend_chart(at: AppTest) -> dict:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        names = {trace.get("name") for trace in spec["data"]}
        if "Half jaar vinger aan de pols" in names:
            return spec
    raise AssertionError("no Na vertrek chart")


def na_vertrek_table(at: AppTest) -> pd.DataFrame:
    for frame in at.dataframe:
        if "Met regisseur in nieuwe gemeente" in frame.value.columns:
            return frame.value
    raise AssertionError("no Na vertrek table")


def test_the_view_shows_which_shelter_loses_families_and_since_when(app_env: Path) -> None:
    at = open_handovers(DUINRADE)
    assert "Na vertrek" in [s.value for s in at.subheader]
    caption = " ".join(c.value for c in at.caption)
    assert "drempel die in Ketenkaart is ingesteld" in caption
    assert '"in ieder geval nog een half jaar een vinger aan de pols"' in caption
    picker = at.selectbox(key="na_vertrek_opvang")
    assert set(picker.options) == {DUINROOS, "Maatschappelijke Opvang Duinrade"}
    picker.set_value(DUINROOS).run()
    assert not at.exception
    table = na_vertrek_table(at)
    assert list(table["Periode"]) == ["2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4"]
    regisseur = dict(zip(table["Periode"], table["Met regisseur in nieuwe gemeente"], strict=True))
    assert regisseur["2025-Q4"].endswith("(100%)") and regisseur["2026-Q3"].startswith("0 van ")
    [warning] = [w.value for w in at.warning if DUINROOS in w.value]
    assert "onder de drempel in 2026-Q2, 2026-Q3" in warning
    spec = trend_chart(at)
    assert spec["data"][0]["x"] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert any(
        a.get("text") == "drempel (ingesteld in Ketenkaart)" for a in spec["layout"]["annotations"]
    )
    # the other shelter keeps its families in view: no warning for it
    picker = at.selectbox(key="na_vertrek_opvang")
    picker.set_value("Maatschappelijke Opvang Duinrade").run()
    assert not [w for w in at.warning if "Maatschappelijke Opvang Duinrade" in w.value]


def test_a_region_without_the_columns_is_told_how_to_give_them(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "k.duckdb"
    con = store.open_database(path)
    try:
        data = csv_bytes(
            [
                ["regio", "organisatie", "periode", "fase", "partnertype", "gezinnen", "warm"],
                ["Regio Noord", "Opvang Noord", "2026-Q3", "uitstroom", "wijkteam", "4", "4"],
            ]
        )
        import_file(con, data, "o.csv", new_region=True)
    finally:
        con.close()
    with app_on(path, monkeypatch):
        at = open_handovers("Regio Noord")
        assert "Na vertrek" in [s.value for s in at.subheader]
        assert any("nazorg_zes_maanden" in i.value for i in at.info)
        assert not any("Met regisseur in nieuwe gemeente" in f.value.columns for f in at.dataframe)


def test_the_table_says_not_measured_apart_from_zero() -> None:
    frame = pd.DataFrame(
        [
            {
                "organisation": "A",
                "period": "2026-Q1",
                "phase": "uitstroom",
                "families": 5,
                "aftercare_six_months": 0,
            },
            {
                "organisation": "A",
                "period": "2026-Q2",
                "phase": "uitstroom",
                "families": 4,
                "moved_to_other_region": 2,
                "regisseur_new_municipality": 2,
                "signalling_partners_informed": 3,
            },
        ]
    )
    table = after_departure_table(after_departure_trend(frame))
    assert table.to_dict("records") == [
        {
            "Periode": "2026-Q2",
            "Gezinnen bij uitstroom": 4,
            "Zes maanden nazorg": "–",
            "Naar andere regio": 2,
            "Met regisseur in nieuwe gemeente": "2 van 2 (100%)",
            "Signaalpartners op de hoogte": "3 van 4 (75%)",
        },
        {
            "Periode": "2026-Q1",
            "Gezinnen bij uitstroom": 5,
            "Zes maanden nazorg": "0 van 5 (0%)",
            "Naar andere regio": "–",
            "Met regisseur in nieuwe gemeente": "–",
            "Signaalpartners op de hoogte": "–",
        },
    ]


def test_the_overzicht_names_the_shelter_whose_families_are_lost(app_env: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["regio"] = DUINRADE
    at.run()  # the Overzicht is the default page
    assert not at.exception
    lines = [m.value for m in at.markdown if "uit beeld na verhuizing" in m.value]
    assert len(lines) == 1 and "Vrouwenopvang De Duinroos" in lines[0]
