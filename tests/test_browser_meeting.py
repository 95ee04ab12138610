"""The Vergadering page in a real browser at 1280×720, as on a projector (issue 10, "Done
when"): a mock meeting for Demoregio Duinrade from a cold start. Every agenda step fits the
screen without scrolling (the page is no taller than the window), the meeting is started and
recorded, an action is added from a gap in two clicks and appears in the action step, and a
screenshot of every step is saved under ``tests/artifacts/`` to look at as the people at the
table would."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ketendata import actions, store
from ketendata.store import meetings
from tests.servers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, IDLE, running_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt (apt-get install chromium)"
    ),
]

REGION = "Demoregio Duinrade"
STEPS = ("Kerncijfers", "Knelpunten", "Kaart", "Overdracht", "Stagnatie", "Acties")


def _idle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)


def _scroll_height(page) -> int:
    """How tall the page's content is (the main area scrolls inside the app)."""
    return page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )


def test_a_mock_meeting_at_1280x720(
    demo_db_template: Path, tmp_path: Path, fixed_today: date
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    db = tmp_path / "meeting.duckdb"
    shutil.copyfile(demo_db_template, db)
    env = {"KETENKAART_DB": str(db), "KETENKAART_TODAY": fixed_today.isoformat()}
    ARTIFACTS.mkdir(exist_ok=True)
    heights: dict[str, int] = {}
    with (
        running_server("serve.py", tmp_path / "server.log", env) as server,
        sync_api.sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            # from a cold start as a person would: the Overzicht, then Vergadering in the menu
            page.goto(f"{server.url}/?regio={REGION.replace(' ', '+')}")
            _idle(page)
            page.locator("[data-testid='stSidebarNav']").get_by_text("Vergadering").click()
            _idle(page)
            assert "/vergadering" in page.url
            page.get_by_role("button", name="Vergadering beginnen").click()
            _idle(page)
            # the page reruns after recording: wait for the words, not for a fixed time
            page.get_by_text("Vergadering van ").first.wait_for(timeout=30_000)
            for number, step in enumerate(STEPS, start=1):
                page.locator("[data-testid='stButtonGroup']").get_by_text(step, exact=True).click()
                _idle(page)
                if step == "Kaart":  # plotly draws after the run
                    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
                page.wait_for_timeout(500)
                heights[step] = _scroll_height(page)
                page.screenshot(path=str(ARTIFACTS / f"vergadering-{number}-{step.lower()}.png"))
                if step == "Knelpunten":
                    # two clicks to a filled-in form: the gap's button, then Opslaan
                    page.get_by_role("button", name="Actie toevoegen").first.click()
                    page.get_by_role("button", name="Opslaan").first.wait_for(timeout=10_000)
                    page.screenshot(path=str(ARTIFACTS / "vergadering-2b-actie.png"))
                    page.get_by_role("button", name="Opslaan").first.click()
                    page.get_by_text("Actie 1 aangemaakt").first.wait_for(timeout=30_000)
                    _idle(page)
            # the action step lists the action added from the gap
            page.get_by_role("button", name="Samenvatting (pdf, 1 pagina)").wait_for(timeout=30_000)
            page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        finally:
            browser.close()
    con = store.connect(db, read_only=True)
    try:
        assert len(meetings.list_meetings(con, REGION)) == 1
        [action] = actions.list_actions(con, REGION, fixed_today)
    finally:
        con.close()
    # the first gap's link and suggested title, saved without typing
    assert action["link"]["agreement_type"] == "schulden"
    assert action["title"].startswith("Afspraak Schulden")
    too_tall = {step: h for step, h in heights.items() if h > 720}
    assert too_tall == {}, too_tall
