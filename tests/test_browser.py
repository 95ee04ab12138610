"""The running app in a real browser (headless Chromium): the map of a shared link, that an
organisation name full of HTML stays text, and that the command line can import and report
while the app is open in a browser (the app holds the database only for a moment).

One app server and one browser serve every test of this module (session fixtures): starting
them is most of the cost. Each test adds its own organisations, so the order does not matter.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ketendata import store
from ketendata.importers import import_file
from ketendata.store import queries
from tests.servers import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    ROOT,
    SCREEN_SIZES,
    running_server,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt (apt-get install chromium)"
    ),
]

REGION = "Demoregio Wolkendal"
XSS_NAME = "<img src=x onerror=\"document.title='xss'\">"

#: A new shelter of the demo region with a Veilig Thuis agreement with a partner no demo file
#: names, imported by the command line while the app is open.
CLI_SHELTER = "Opvang Proefhuis Wolkendal"
CLI_PARTNER = "Veilig Thuis Zilverberk-Proef"


# --- The running app and the browser (once per session) --------------------------------------


@dataclass(frozen=True)
class RunningApp:
    """An app server on its own copy of the demo database."""

    url: str
    db: Path
    env: dict[str, str]


@pytest.fixture(scope="session")
def running_app(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory, fixed_today: date
) -> Iterator[RunningApp]:
    """``streamlit run serve.py`` as ``make run`` starts it, on a private copy of the demo
    database."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "browser.duckdb"
    shutil.copyfile(demo_db_template, db)
    env = {"KETENKAART_DB": str(db), "KETENKAART_TODAY": fixed_today.isoformat()}
    with running_server("serve.py", folder / "server.log", env) as server:
        yield RunningApp(url=server.url, db=db, env=dict(os.environ, **env))


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright (never ``playwright install``)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies, so its own Streamlit session)."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)


def _reload(page) -> None:
    page.reload()
    page.wait_for_selector(IDLE, timeout=60_000)


def _map_url(app: RunningApp, **params: str) -> str:
    return f"{app.url}/ketenkaart?{urllib.parse.urlencode({'regio': REGION, **params})}"


def _inventory(*rows: tuple[str, str, str, str, str, str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            "regio",
            "organisatie",
            "organisatietype",
            "partner",
            "partnertype",
            "afspraaktypes",
            "status",
        ]
    )
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _run(app: RunningApp, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=app.env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Tests ------------------------------------------------------------------------------------


def test_map_in_browser_and_names_stay_text(running_app: RunningApp, page) -> None:
    from playwright.sync_api import expect

    xss = _inventory(
        (
            REGION,
            XSS_NAME,
            "vrouwenopvang",
            "Politie basisteam Wolkendal",
            "politie",
            "informatie_uitwisseling",
            "schriftelijk",
        )
    )
    with store.writing(running_app.db) as con:  # the app does not hold the file
        import_file(con, xss, "xss.csv")

    # The first page load of a fresh session runs the main page (Overzicht).
    _open(page, running_app.url)
    expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
    title = page.title()

    _open(page, _map_url(running_app, organisatie=XSS_NAME))
    graph = page.locator(".js-plotly-plot").first
    expect(graph).to_be_visible(timeout=30_000)
    legend = graph.locator(".legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Vrouwenopvang")
    expect(legend).to_contain_text("Veilig Thuis")
    expect(page.get_by_text(REGION).first).to_be_visible()
    page.wait_for_timeout(1000)  # give any injected handler time to fire

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ketenkaart.png"), full_page=True)

    # The name is shown as text: in the details heading and as a label on the map.
    expect(page.get_by_role("heading", name=XSS_NAME)).to_be_visible()
    assert graph.get_by_text(XSS_NAME, exact=True).count() >= 1
    assert page.locator("img[src='x']").count() == 0
    assert page.title() == title != "xss"


def test_command_line_imports_and_reports_while_the_app_is_open(
    running_app: RunningApp, page, tmp_path: Path, fixed_today: date
) -> None:
    from playwright.sync_api import expect

    _open(page, _map_url(running_app))
    graph = page.locator(".js-plotly-plot").first
    expect(graph).to_be_visible(timeout=30_000)
    expect(graph.get_by_text(CLI_PARTNER, exact=True)).to_have_count(0)

    # With the page open in the browser, both commands get the database (before, the app held
    # it read-write for as long as it ran, and both said "database in gebruik").
    agreement = tmp_path / "proefhuis-veilig-thuis.csv"
    agreement.write_bytes(
        _inventory(
            (
                REGION,
                CLI_SHELTER,
                "vrouwenopvang",
                CLI_PARTNER,
                "veilig_thuis",
                "meldcode",
                "schriftelijk",
            )
        )
    )
    imported = _run(running_app, "ketendata", "import", str(agreement), "--db", str(running_app.db))
    assert imported.returncode == 0, imported.stderr
    assert "in gebruik" not in imported.stderr
    report = _run(
        running_app,
        "analysis",
        "report",
        "--region",
        REGION,
        "--db",
        str(running_app.db),
        "--today",
        fixed_today.isoformat(),
    )
    assert report.returncode == 0, report.stderr
    findings = json.loads(report.stdout)["norms"]["findings"]
    assert CLI_SHELTER in {finding["organisation"] for finding in findings}

    # The open page shows the new partner after a reload: on the map, and in the organisation
    # picker (the link names it; a name the picker does not know would leave it empty).
    _reload(page)
    expect(graph.get_by_text(CLI_PARTNER, exact=True)).to_have_count(1, timeout=30_000)
    _open(page, _map_url(running_app, organisatie=CLI_PARTNER))
    expect(page.get_by_role("heading", name=CLI_PARTNER)).to_be_visible(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0

    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in SCREEN_SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)  # let the chart fit the new width
        expect(page.get_by_role("heading", name=CLI_PARTNER)).to_be_in_viewport()
        page.screenshot(path=str(ARTIFACTS / f"ketenkaart-na-import-{width}x{height}.png"))


def test_two_people_importing_at_the_same_moment_both_land(
    running_app: RunningApp, browser, tmp_path: Path
) -> None:
    """Two browser contexts (two people) upload a file each and click Importeren at once:
    both imports land, each page says so, and neither shows a traceback."""
    from playwright.sync_api import expect

    windows = []
    for person in ("Oost", "West"):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        upload = tmp_path / f"tegelijk-{person.lower()}.csv"
        upload.write_bytes(
            _inventory(
                (
                    REGION,
                    f"Opvang Tegelijk {person}",  # one's own organisation: nobody replaces it
                    "vrouwenopvang",
                    f"Huisartsenpost Tegelijk {person}",
                    "huisarts",
                    "informatie_uitwisseling",
                    "schriftelijk",
                )
            )
        )
        # the main page first: a server that has not run the app yet does not know its pages
        # (Streamlit then answers a first link to a page with "Page not found")
        _open(page, running_app.url)
        _open(page, f"{running_app.url}/gegevens?{urllib.parse.urlencode({'regio': REGION})}")
        page.locator("input[type='file']").first.set_input_files(str(upload))
        button = page.get_by_role("button", name="Importeren", exact=True)
        expect(button).to_be_visible(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        windows.append((context, page, button))
    try:
        for _, _, button in windows:  # both clicks go out before either run has finished
            button.click(no_wait_after=True)
        for index, (_, page, _) in enumerate(windows):
            expect(page.get_by_text("geïmporteerd als import").first).to_be_visible(timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            text = page.inner_text("[data-testid='stMain']")
            assert "Traceback" not in text and "Exception" not in text
            page.screenshot(path=str(ARTIFACTS / f"tegelijk-importeren-{index + 1}-1280x720.png"))
    finally:
        for context, _, _ in windows:
            context.close()
    with store.reading(running_app.db) as con:
        partners = set(queries.region_frames(con, REGION).agreements["partner"])
    assert {"Huisartsenpost Tegelijk Oost", "Huisartsenpost Tegelijk West"} <= partners
