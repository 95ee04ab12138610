"""In a real browser (headless Chromium): what a user downloads from a table opens in a
spreadsheet without a single live formula, and names full of Markdown stay text (issue 14,
items 4 and 7).

The app runs as ``make run`` starts it (``streamlit run serve.py``) on a copy of the demo
database with two more regions, imported by the real importer: one whose names are formulas
(``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``, ``-2+3``) and one whose names are Markdown,
LaTeX, HTML, an image from another address and Streamlit's colour and icon directives.

Each table's own "Download as CSV" (the toolbar button) is clicked; the CSV is opened by
LibreOffice headless with formula evaluation on (``soffice --convert-to xlsx``), and openpyxl
checks the workbook: no cell is a formula, the names are there as text.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import openpyxl
import pytest

from ketendata.files.exports import is_formula_like
from tests import test_markdown_safety as markup
from tests import test_pages_tables as formulas
from tests.servers import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    SCREEN_SIZES,
    Server,
    running_server,
)

SOFFICE = shutil.which("soffice")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt (apt-get install chromium)"
    ),
]

T = TypeVar("T")


#: LibreOffice's CSV import: comma, double quote, UTF-8, from line 1, Dutch, quoted fields not
#: forced to text, special numbers detected, ..., and (the 13th token) formulas evaluated: the
#: most trusting way to open a file, as a double click does.
CSV_IMPORT = "CSV:44,34,76,1,,1043,false,true,false,false,false,-1,true"

#: Headless Chromium offers the File System Access API, whose save dialog Playwright cannot
#: answer; without it Streamlit takes the path it takes in Firefox and Safari (an ordinary
#: download), with the same CSV writer.
NO_SAVE_DIALOG = "delete window.showSaveFilePicker;"


@dataclass(frozen=True)
class App:
    server: Server
    db: Path


@pytest.fixture(scope="module")
def app(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory, fixed_today: date):
    folder = tmp_path_factory.mktemp("downloads")
    db = folder / "downloads.duckdb"
    shutil.copyfile(demo_db_template, db)
    formulas.import_region(db, formulas.hostile_files(formulas.REGION, *formulas.HOSTILE[1:]))
    markup_files = formulas.hostile_files(
        markup.REGION, markup.SHELTER, markup.PARTNER, markup.ENDED_PARTNER, markup.RESPONDENT
    )
    formulas.import_region(db, markup_files)
    env = {"KETENKAART_DB": str(db), "KETENKAART_TODAY": fixed_today.isoformat()}
    with running_server("serve.py", folder / "server.log", env) as server:
        yield App(server=server, db=db)


class BrowserThread:
    """Chromium driven from a thread of its own.

    Playwright's sync API allows one instance per thread, and another browser test module may
    hold one on the main thread for the whole session; so this module's browser lives in its
    own thread, and each test hands it a function to run there (:meth:`run`).
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._pool.submit(self._start).result()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._manager = sync_playwright()
        playwright = self._manager.__enter__()
        self._browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def run(self, function: Callable[..., T], *args: object) -> T:
        """``function(browser, *args)`` in the browser's thread; its result or its exception."""
        return self._pool.submit(function, self._browser, *args).result()

    def close(self) -> None:
        def stop() -> None:
            self._browser.close()
            self._manager.__exit__(None, None, None)

        self._pool.submit(stop).result()
        self._pool.shutdown()


@pytest.fixture(scope="module")
def chromium() -> Iterator[BrowserThread]:
    pytest.importorskip("playwright.sync_api")
    thread = BrowserThread()
    try:
        yield thread
    finally:
        thread.close()


@contextmanager
def new_tab(browser, app: App) -> Iterator:
    """A fresh tab (its own session) that has opened the app once: the first load of a new
    session straight onto a page's own address can show Streamlit's "Page not found"."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    context.add_init_script(NO_SAVE_DIALOG)
    try:
        tab = context.new_page()
        tab.goto(app.server.url)
        tab.wait_for_selector(IDLE, timeout=60_000)
        yield tab
    finally:
        context.close()


def _open(page, app: App, path: str, **params: str) -> None:
    page.goto(f"{app.server.url}/{path}?{urllib.parse.urlencode(params)}")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stDialog']").count() == 0, path  # "Page not found"


def _click_toolbar_button(table, button, attempts: int = 3) -> None:
    """Hover the table so its toolbar shows, then click ``button``; again when the page was
    still moving (a chart drawn below pushes the table while the toolbar fades in, and the
    grid then takes the pointer: seen on a busy machine)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        table.evaluate("element => element.scrollIntoView({block: 'center'})")
        table.hover()
        try:
            button.click(timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def _download_tables(page, folder: Path, stem: str) -> list[Path]:
    """Click the toolbar's "Download as CSV" of every table on the page; the saved files."""
    saved = []
    tables = page.locator("[data-testid='stDataFrame']")
    tables.first.wait_for(timeout=30_000)  # the table component loads after the script ran
    for index in range(tables.count()):
        table = tables.nth(index)
        # In the middle of the window, so the toolbar that shows on hover is not off screen.
        button = table.get_by_role("button", name="Download as CSV")
        with page.expect_download(timeout=60_000) as download:
            _click_toolbar_button(table, button)
        target = folder / f"{stem}-{index}.csv"
        download.value.save_as(target)
        saved.append(target)
    return saved


def _open_in_libreoffice(files: list[Path], folder: Path) -> list[Path]:
    """``soffice --headless --convert-to xlsx`` of every file at once (own profile folder, so
    parallel test workers do not share LibreOffice's lock)."""
    profile = (folder / "lo-profiel").as_uri()
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            f"--infilter={CSV_IMPORT}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder / "xlsx"),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    converted = [folder / "xlsx" / f"{file.stem}.xlsx" for file in files]
    assert all(path.exists() for path in converted), result.stdout + result.stderr
    return converted


def _cells(path: Path) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(path)  # formulas as written, not their results
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


#: The tables downloaded: page path, query parameters, and names each page's tables hold.
DOWNLOADS = [
    ("overdracht", {}, {formulas.SHELTER}),
    ("ketenkaart", {}, {formulas.ENDED_PARTNER}),
    ("ketenkaart", {"organisatie": formulas.SHELTER}, {formulas.SHELTER, formulas.PARTNER}),
    ("normenkader", {}, {formulas.SHELTER}),
    ("stagnatie", {}, set()),
    ("vergelijken", {}, {formulas.REGION}),
]


def _download_every_table(browser, app: App, folder: Path) -> tuple[list[Path], set[str]]:
    """In the browser: every table of :data:`DOWNLOADS` downloaded; the files and the names
    they should hold."""
    files: list[Path] = []
    expected: set[str] = set()
    with new_tab(browser, app) as page:
        for number, (path, params, names) in enumerate(DOWNLOADS):
            _open(page, app, path, regio=formulas.REGION, **params)
            saved = _download_tables(page, folder, f"{number}-{path}")
            assert saved, path
            files += saved
            expected |= names
            if path == "overdracht":
                _screenshots(
                    page, "tabel-download", page.locator("[data-testid='stDataFrame']").last
                )
    return files, expected


def _screenshots(page, name: str, subject) -> None:
    """The page at each of :data:`SCREEN_SIZES`, with ``subject`` in the middle of the window."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in SCREEN_SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)  # let the tables and charts fit the new width
        subject.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
    page.set_viewport_size({"width": 1500, "height": 1000})


@pytest.mark.skipif(SOFFICE is None, reason="soffice ontbreekt (apt-get install libreoffice-calc)")
def test_every_table_downloads_without_a_live_formula(
    app: App, chromium: BrowserThread, tmp_path: Path
) -> None:
    files, expected = chromium.run(_download_every_table, app, tmp_path)

    # The files as downloaded: no field starts like a formula.
    for file in files:
        rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8-sig"))))
        assert rows, file
        assert [v for row in rows for v in row if is_formula_like(v)] == [], file.name

    # The files as a spreadsheet opens them: not one formula cell, the names as text.
    texts: set[str] = set()
    for workbook in _open_in_libreoffice(files, tmp_path):
        cells = _cells(workbook)
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], workbook.name
        texts |= {c.value for c in cells if isinstance(c.value, str)}
    assert {"'" + name for name in expected} <= texts


#: The pages of the Markdown region, and whether their text names the region (Overdracht
#: names the organisations in its charts and tables only).
MARKUP_PAGES = [
    ("", {}, True),
    ("ketenkaart", {"organisatie": markup.SHELTER}, True),
    ("normenkader", {}, True),
    ("overdracht", {}, False),
    ("gegevens", {}, True),
]


def _check_names(browser, app: App) -> list[str]:
    """In the browser: each page of :data:`MARKUP_PAGES` checked; every URL requested."""
    from playwright.sync_api import expect

    requests: list[str] = []
    with new_tab(browser, app) as page:
        page.on("request", lambda request: requests.append(request.url))
        for path, params, names_region in MARKUP_PAGES:
            _open(page, app, path, regio=markup.REGION, **params)
            page.wait_for_timeout(500)  # let any image start loading
            main = page.locator("[data-testid='stMain']")
            # No image from another address, no link made from a name (the app's own only).
            sources = main.locator("img").evaluate_all("images => images.map(i => i.src)")
            assert [s for s in sources if not s.startswith(app.server.url)] == [], path
            links = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
            assert [h for h in links if not h.startswith(app.server.url)] == [], path
            # Nothing drawn from a name: bold, HTML, maths, coloured text, icons in the text.
            text = main.locator("[data-testid='stMarkdownContainer']")
            assert text.locator("strong", has_text="vet").count() == 0, path
            assert text.locator("b").count() == 0, path
            assert main.locator(".katex").count() == 0, path
            assert text.locator("[data-testid='stIconMaterial']").count() == 0, path
            assert text.locator("span[style*='color']", has_text="rood").count() == 0, path
            # The name reads as it was typed.
            if names_region:
                caption = main.get_by_text(markup.REGION.split(" [")[0] + " ").first
                expect(caption).to_be_visible()
                for construct in ("**vet**", "$x^2$", "<b>x</b>", "![img]("):
                    expect(caption).to_contain_text(construct)
            if path == "ketenkaart":
                heading = main.get_by_role("heading", name=markup.SHELTER)
                expect(heading).to_be_visible()
                _screenshots(page, "namen-als-tekst", heading)
    return requests


def test_names_render_as_text_and_load_nothing(app: App, chromium: BrowserThread) -> None:
    requests = chromium.run(_check_names, app)
    outside = [
        u for u in requests if not u.startswith(app.server.url) and not u.startswith("data:")
    ]
    assert outside == []
    assert not any("127.0.0.1:9/" in u for u in requests)
