"""The Vergadering page (meeting.md "The meeting view", pages/meeting.py, ui/meeting.py): AppTest
on private copies of the demo database, through the app's navigation (url ``vergadering``).

Every step of the agenda renders for every demo region; the steps show what they promise (the
key figures with the change since the last meeting, the Overzicht's five gaps, the map, the
shelters ranked by warm share, the flagged stagnation with its trend, the open actions and the
downloads); starting the meeting records its moment; an action added from a gap in the
meeting appears at once in the action step.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.meeting import rank_shelters
from ketendata import analysis_cli, store
from ketendata.samples.demo import DEMO_REGIONS
from ketendata.store import meetings, queries
from tests.conftest import TODAY

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "pages/meeting.py"
STEPS = ("Kerncijfers", "Knelpunten", "Kaart", "Overdracht", "Stagnatie", "Acties")
DUINRADE = "Demoregio Duinrade"


def open_meeting(region: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["regio"] = region
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def go_to(at: AppTest, step: str) -> AppTest:
    at.segmented_control(key="vergadering_stap").set_value(step).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def top_gaps(db: Path, region: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    argv = ["report", "--region", region, "--db", str(db), "--today", TODAY.isoformat()]
    assert analysis_cli.analysis_main(argv) == 0
    return [g["sentence"] for g in json.loads(capsys.readouterr().out)["top_gaps"]]


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_every_step_of_the_agenda_renders(app_env: Path, region: str) -> None:
    at = open_meeting(region)
    assert at.title[0].value == f"Vergadering {region}"
    assert at.segmented_control(key="vergadering_stap").options == list(STEPS)
    assert [m.label for m in at.metric][:3] == ["Organisaties", "Actuele afspraken", "Normdekking"]
    assert any("Wat is er veranderd sinds 26-08-2026" in m.value for m in at.markdown)
    for step in STEPS[1:]:
        go_to(at, step)
        assert not at.error


def test_the_gaps_are_the_overviews_five_each_with_an_action(
    app_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at = go_to(open_meeting(DUINRADE), "Knelpunten")
    shown = [m.value for m in at.markdown if m.value.startswith("**")]
    expected = top_gaps(app_env, DUINRADE, capsys)
    assert len(shown) == 5
    for number, (line, sentence) in enumerate(zip(shown, expected, strict=True), start=1):
        assert line.startswith(f"**{number}.** ")
        # the page escapes Markdown; the words are the same
        assert line.replace("\\", "").endswith(sentence.replace("\\", "")), (line, sentence)
    assert [b.key for b in at.button if b.key and b.key.endswith("_opslaan")]


def test_the_map_step_draws_the_map(app_env: Path) -> None:
    at = go_to(open_meeting("Demoregio Wolkendal"), "Kaart")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["height"] <= 450  # fits 1280×720 under the agenda
    assert any("Huisarts" in m.value for m in at.markdown)  # the partner type nobody has


def test_handovers_rank_the_shelters_worst_first(app_env: Path) -> None:
    at = go_to(open_meeting(DUINRADE), "Overdracht")
    table = next(f.value for f in at.dataframe if "Alle fasen" in f.value.columns)
    con = store.connect(app_env, read_only=True)
    try:
        frames = queries.region_frames(con, DUINRADE)
    finally:
        con.close()
    ranked = rank_shelters(frames.handovers)
    assert list(table["Opvangorganisatie"]) == list(ranked["organisation"])
    assert list(table["Rang"]) == list(range(1, len(ranked) + 1))
    shares = [s for s in ranked["overall"] if s is not None]
    assert shares == sorted(shares)
    worst = ranked.iloc[0]["organisation"]
    assert any(
        m.value.startswith("**Laagste aandeel warme overdrachten") and worst in m.value
        for m in at.markdown
    )


def test_stagnation_shows_the_trend_in_words(app_env: Path) -> None:
    at = go_to(open_meeting(DUINRADE), "Stagnatie")
    table = next(f.value for f in at.dataframe if "Trend" in f.value.columns)
    assert len(table) > 0
    assert set(table["Trend"]) <= {"gestegen", "gedaald", "gelijk", "nieuw"}


def test_starting_the_meeting_records_it_once(app_env: Path) -> None:
    at = open_meeting(DUINRADE)
    at.button(key="vergadering_beginnen").click().run()
    assert not at.exception
    assert any(c.value.startswith("Vergadering van ") for c in at.caption)
    assert not [b for b in at.button if b.key == "vergadering_beginnen"]
    go_to(at, "Kaart")
    con = store.connect(app_env, read_only=True)
    try:
        held = meetings.list_meetings(con, DUINRADE)
    finally:
        con.close()
    assert len(held) == 1


def test_an_action_added_from_a_gap_is_in_the_action_step_at_once(app_env: Path) -> None:
    at = go_to(open_meeting(DUINRADE), "Knelpunten")
    keys = {
        b.key[: -len("_opslaan")]
        for b in at.button
        if b.key and b.key.startswith("vergadering_knelpunt_1_") and b.key.endswith("_opslaan")
    }
    [key] = keys
    at.text_input(key=f"{key}_titel").input("Convenant schuldhulp <b>nu</b> tekenen")
    at.button(key=f"{key}_opslaan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    go_to(at, "Acties")
    table = next(f.value for f in at.dataframe if "Knelpunt nu" in f.value.columns)
    assert list(table["Titel"]) == ["Convenant schuldhulp <b>nu</b> tekenen"]
    assert isinstance(table, pd.DataFrame)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Samenvatting (pdf, 1 pagina)", "Presentatie (PowerPoint)", "Memo (Markdown)"]
    # and updated live: done, so no longer among the open actions
    at.button(key="vergadering_status_gereed").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [f for f in at.dataframe if "Knelpunt nu" in f.value.columns]
    assert any("Nog geen open acties" in i.value for i in at.info)
