""" "Actie toevoegen" in a real browser (headless Chromium): picking a row of the Normenkader's
findings table and then "Actie toevoegen" opens the form with that finding filled in, and
"Opslaan" stores the action with its link. AppTest cannot pick a table row, so this is tested
here."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ketendata import actions, store
from tests.servers import CHROMIUM, CHROMIUM_ARGS, IDLE, running_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt (apt-get install chromium)"
    ),
]

REGION = "Demoregio Wolkendal"
ROW_HEIGHT = 35  # the table's header and each row, in pixels


def test_a_picked_finding_is_filled_in_and_stored(
    demo_db_template: Path, tmp_path: Path, fixed_today: date
) -> None:
    from playwright.sync_api import sync_playwright

    db = tmp_path / "browser.duckdb"
    shutil.copyfile(demo_db_template, db)
    env = {"KETENKAART_DB": str(db), "KETENKAART_TODAY": fixed_today.isoformat()}
    with (
        running_server("app.py", tmp_path / "server.log", env) as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{server.url}/normenkader?regio={REGION.replace(' ', '+')}")
            page.wait_for_selector(IDLE, timeout=60_000)
            grid = page.locator("[data-testid='stDataFrame']").first
            grid.scroll_into_view_if_needed()
            page.wait_for_timeout(1_000)
            box = grid.bounding_box()
            assert box is not None
            # the first click only gives the table the focus; the second ticks row 5
            page.mouse.click(box["x"] + 300, box["y"] + ROW_HEIGHT + 20)
            page.wait_for_timeout(1_000)
            page.mouse.click(box["x"] + 17, box["y"] + ROW_HEIGHT * 5 + 17)
            page.wait_for_timeout(1_500)
            page.wait_for_selector(IDLE, timeout=60_000)
            page.get_by_role("button", name="Actie toevoegen").first.click()
            linked = page.get_by_text("Gekoppeld aan:").first
            linked.wait_for(timeout=10_000)
            shown = linked.inner_text()
            page.get_by_role("button", name="Opslaan").locator("visible=true").first.click()
            # the message of the stored action (a toast or a line in the page), then the idle app
            page.get_by_text("aangemaakt:").first.wait_for(timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
        finally:
            browser.close()
    con = store.connect(db)
    try:
        [action] = actions.list_actions(con, REGION, fixed_today)
    finally:
        con.close()
    # row 5 of the findings (Crisisopvang Het Zonnescherm and the GP, missing), not the first gap
    assert shown == (
        "Gekoppeld aan: Crisisopvang Het Zonnescherm: Informatie-uitwisseling met Huisarts"
    )
    assert action["link"] == {
        "organisation": "Crisisopvang Het Zonnescherm",
        "partner_type": "huisarts",
        "agreement_type": "informatie_uitwisseling",
    }
    assert action["title"] == "Afspraak Informatie-uitwisseling met Huisarts op orde brengen"
