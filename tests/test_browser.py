"""The running app in a real browser (headless Chromium): the map of a shared link, and that an
organisation name full of HTML stays text.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from ketendata import store
from ketendata.importers import import_file

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
REGION = "Demoregio Wolkendal"
XSS_NAME = "<img src=x onerror=\"document.title='xss'\">"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(url: str, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"de app stopte meteen (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError("de app werd niet gezond binnen de tijd")


def _xss_inventory() -> bytes:
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
    writer.writerow(
        [
            REGION,
            XSS_NAME,
            "vrouwenopvang",
            "Politie basisteam Wolkendal",
            "politie",
            "informatie_uitwisseling",
            "schriftelijk",
        ]
    )
    return buffer.getvalue().encode("utf-8")


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt (apt-get install chromium)"
)
def test_map_in_browser_and_names_stay_text(
    demo_db_template: Path, tmp_path: Path, fixed_today: date
) -> None:
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "browser.duckdb"
    shutil.copyfile(demo_db_template, db)
    con = store.open_database(db)
    try:
        import_file(con, _xss_inventory(), "xss.csv")
    finally:
        con.close()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, KETENKAART_DB=str(db), KETENKAART_TODAY=fixed_today.isoformat())
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--server.fileWatcherType=none",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_health(base, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            try:
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                # The first page load of a fresh server runs the main page (Overzicht).
                page.goto(base)
                page.wait_for_selector(IDLE, timeout=60_000)
                expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
                title = page.title()

                query = urllib.parse.urlencode({"regio": REGION, "organisatie": XSS_NAME})
                page.goto(f"{base}/ketenkaart?{query}")
                page.wait_for_selector(IDLE, timeout=60_000)
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
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
