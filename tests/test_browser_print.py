"""Printing the Overzicht from the browser (issue 10 item 5, ui/printing.py): headless
Chromium prints the page as it would on paper (print media, A4): no sidebar, toolbar or
buttons, the content on the whole width, and every gap sentence whole in the printed PDF (a
word split across two lines would read as two words). The PDF is kept under
``tests/artifacts/`` to look at."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from ketendata import analysis_cli
from tests.servers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, IDLE, running_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt (apt-get install chromium)"
    ),
]

REGION = "Demoregio Duinrade"


def test_the_overview_prints_without_sidebar_and_with_whole_words(
    demo_db_template: Path, tmp_path: Path, fixed_today: date
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    db = tmp_path / "print.duckdb"
    shutil.copyfile(demo_db_template, db)
    env = {"KETENKAART_DB": str(db), "KETENKAART_TODAY": fixed_today.isoformat()}
    report_file = tmp_path / "report.json"
    argv = ["report", "--region", REGION, "--db", str(db), "--output", str(report_file)]
    assert analysis_cli.analysis_main([*argv, "--today", fixed_today.isoformat()]) == 0
    sentences = [g["sentence"] for g in json.loads(report_file.read_text())["top_gaps"]]
    with (
        running_server("serve.py", tmp_path / "server.log", env) as server,
        sync_api.sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{server.url}/?regio={REGION.replace(' ', '+')}")
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_selector("[data-testid='stDownloadButton']", timeout=60_000)
            assert page.locator("[data-testid='stSidebar']").is_visible()
            page.emulate_media(media="print")
            assert not page.locator("[data-testid='stSidebar']").is_visible()
            assert not page.locator("[data-testid='stDownloadButton']").first.is_visible()
            main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
            assert main is not None and main["x"] < 20
            ARTIFACTS.mkdir(exist_ok=True)
            printed = ARTIFACTS / "overzicht-afdruk.pdf"
            page.pdf(path=str(printed), format="A4", print_background=True)
        finally:
            browser.close()
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(printed).pages)
    # a line may end after a hyphen ("Jeugd-" / "GGZ"): that keeps the word whole
    text = re.sub(r"(?<=\w)- (?=\w)", "-", text)
    assert "Overzicht" in text and "Organisaties" in text
    assert "Regio" not in text.split("Overzicht")[0]  # the sidebar's picker is not printed
    for sentence in sentences:
        assert " ".join(sentence.split()) in text, sentence
