"""The running app in a real browser (headless Chromium): the map of a shared link, that an
organisation name full of HTML stays text, and that the command line can import and report
while the app is open in a browser (the app holds the database only for a moment).

One app server and one browser serve every test of this module (session fixtures): starting
them is most of the cost. Each test adds its own organisations, so the order does not matter.
"""

from __future__ import annotations

import contextlib
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

from analysis import codes
from ketendata import store
from ketendata.importers import import_file
from ketendata.store import queries
from tests.mapframe import FRAME, map_frame, node_point, page_point
from tests.servers import (
    ARTIFACTS,
    CHROMIUM,
    IDLE,
    ROOT,
    SCREEN_SIZES,
    running_server,
    upload_field,
)
from ui.map_chart import PLOTLY_COMPONENT

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


def _drawn_names(page) -> set[str]:
    """The organisations drawn on the open map (the ``customdata`` of its traces)."""
    names = map_frame(page).evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".filter(t => t.meta !== 'clusters')"
        ".flatMap(t => (t.customdata || []).filter(c => typeof c === 'string'))"
    )
    return set(names)


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
    graph = page.frame_locator(FRAME).locator(".js-plotly-plot").first
    expect(graph).to_be_visible(timeout=30_000)
    legend = graph.locator(".legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Vrouwenopvang")
    expect(graph).to_contain_text("Veilig Thuis")  # a sector's name on the map
    expect(page.get_by_text(REGION).first).to_be_visible()
    page.wait_for_timeout(1000)  # give any injected handler time to fire

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ketenkaart.png"), full_page=True)

    # The name is shown as text: in the details heading and as a label on the map.
    expect(page.get_by_role("heading", name=XSS_NAME)).to_be_visible()
    names = map_frame(page).evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot .annotation-text')].map(t =>"
        " [...t.querySelectorAll('.line')].map(l => l.textContent).join(' ') || t.textContent)"
    )
    assert XSS_NAME in names
    assert page.locator("img[src='x']").count() == 0
    assert page.frame_locator(FRAME).locator("img[src='x']").count() == 0
    # the map's toolbar offers nothing that sends the map to plotly's cloud
    buttons = map_frame(page).evaluate(
        "() => [...document.querySelectorAll('.modebar-btn')].map(b => b.dataset.title)"
    )
    assert "Zoom in" in buttons and "Download plot as a PNG" in buttons, buttons
    assert not [b for b in buttons if "share" in b.lower() or "cloud" in b.lower()], buttons
    assert page.title() == title != "xss"


def test_command_line_imports_and_reports_while_the_app_is_open(
    running_app: RunningApp, page, tmp_path: Path, fixed_today: date
) -> None:
    from playwright.sync_api import expect

    _open(page, _map_url(running_app))
    graph = page.frame_locator(FRAME).locator(".js-plotly-plot").first
    expect(graph).to_be_visible(timeout=30_000)
    assert CLI_PARTNER not in _drawn_names(page)

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
    expect(graph).to_be_visible(timeout=30_000)
    assert CLI_PARTNER in _drawn_names(page)
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
        upload_field(page).set_input_files(str(upload))
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


# --- The map on a projector and on a large screen (issue 8) ---------------------------------

#: What the map's frame measures about the drawn map: the drawing area and every name on the
#: map (plotly annotations) with its box, font size and colour, in the frame's pixels.
_MEASURE_FRAME = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  const area = (plot.querySelector('.nsewdrag') || plot).getBoundingClientRect();
  const labels = [...plot.querySelectorAll('.annotation-text')].map(t => {
    const r = t.getBoundingClientRect();
    const s = getComputedStyle(t);
    const lines = [...t.querySelectorAll('.line')].map(l => l.textContent);
    return {text: lines.length ? lines.join(' ') : t.textContent,
            x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
            size: parseFloat(s.fontSize), fill: s.fill};
  });
  return {area: {x0: area.left, y0: area.top, x1: area.right, y1: area.bottom,
                 width: area.width, height: area.height}, labels: labels};
}"""

#: The width of the page's content column (inside its padding) and the window's height.
_MEASURE_PAGE = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const style = getComputedStyle(main);
  const inner = main.getBoundingClientRect().width - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight);
  return {content: inner, viewport: innerHeight};
}"""


def _measure_map(page) -> dict:
    """The drawing area and the names on the map in the page's pixels, the content width and
    the window's height."""
    measured = map_frame(page).evaluate(_MEASURE_FRAME)
    dx, dy = page_point(page, [0.0, 0.0])
    for box in (measured["area"], *measured["labels"]):
        box.update(x0=box["x0"] + dx, x1=box["x1"] + dx, y0=box["y0"] + dy, y1=box["y1"] + dy)
    return {**measured, **page.evaluate(_MEASURE_PAGE)}


#: The pixel position of the middle of one agreement line (an invisible hover point).
_LINE_POINT = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  const layout = plot._fullLayout;
  const trace = plot.data.find(t => t.name === 'afspraak');
  const r = plot.querySelector('.nsewdrag').getBoundingClientRect();
  return [r.left + layout.xaxis.l2p(trace.x[0]), r.top + layout.yaxis.l2p(trace.y[0])];
}"""

#: The opacity of every drawn organisation marker (a faded map has some well below 1); the
#: traces of organisations are those with names (customdata), read from plotly's data binding.
_MARKER_OPACITIES = """() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer .trace')]
  .filter(t => t.__data__ && t.__data__[0] && t.__data__[0].trace.customdata)
  .flatMap(t => [...t.querySelectorAll('path.point')])
  .map(p => parseFloat(getComputedStyle(p).opacity))"""


def _click_and_settle(page, point: list[float]) -> None:
    """A click on the map and the run it starts, to its end: a second click while the first's
    run is still drawing the chart can be lost (as for a user who clicks twice in a hurry)."""
    page.evaluate("() => { window.__ketenkaartRuns = 0; }")
    page.evaluate(_COUNT_RUNS)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.mouse.click(*point)
    with contextlib.suppress(PlaywrightTimeout):  # a click that starts no run: nothing to wait
        page.wait_for_function("() => window.__ketenkaartRuns > 0", timeout=3_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(300)


#: Counts the runs that start (the app's script state turning to "running").
_COUNT_RUNS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__ketenkaartRuns += 1;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def _contrast(fill: str) -> float:
    """WCAG contrast of an ``rgb(...)`` text colour on the white label ground."""
    values = [int(v) for v in fill[fill.index("(") + 1 : fill.index(")")].split(",")[:3]]

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in values)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def _overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            across = a["x0"] + 1 < b["x1"] and b["x0"] + 1 < a["x1"]
            if across and a["y0"] + 1 < b["y1"] and b["y0"] + 1 < a["y1"]:
                out.append((a["text"], b["text"]))
    return out


def _assert_names_read(measured: dict) -> None:
    """The names on the map: 12 px or more, contrast of 4.5 or more, inside the drawing, none on
    another."""
    labels, area = measured["labels"], measured["area"]
    assert all(label["size"] >= 12 for label in labels)
    assert all(_contrast(label["fill"]) >= 4.5 for label in labels), labels
    for label in labels:
        assert area["x0"] - 1 <= label["x0"] and label["x1"] <= area["x1"] + 1, label
        assert area["y0"] - 1 <= label["y0"] and label["y1"] <= area["y1"] + 1, label
    assert _overlaps(labels) == []


@pytest.mark.parametrize(("width", "height"), SCREEN_SIZES)
def test_map_reads_on_a_projector_and_a_large_screen(
    running_app: RunningApp, browser, width: int, height: int
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        _open(page, running_app.url)  # a first visit runs the main page (see above)
        assert "regio=Demoregio+Wolkendal" in page.url  # the default region is in the link
        _open(page, _map_url(running_app, regio="Demoregio Wolkendal"))
        graph = page.frame_locator(FRAME).locator(".js-plotly-plot").first
        expect(graph).to_be_visible(timeout=30_000)
        page.wait_for_timeout(500)
        measured = _measure_map(page)
        area = measured["area"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"ketenkaart-{width}x{height}.png"))

        # the drawing area: at least 60% of the content width, at least 60% of it in view
        assert area["width"] >= 0.6 * measured["content"], measured
        visible = max(0.0, min(area["y1"], measured["viewport"]) - area["y0"])
        assert visible >= 0.6 * area["height"], measured
        if width >= 1920:
            assert area["width"] >= 700
        # the names: 12 px or more, contrast of 4.5 or more, inside the drawing, none on another
        labels = measured["labels"]
        texts = {label["text"] for label in labels}
        # (other tests of this module add organisations, a huisarts among them, so the
        # missing-type label is checked on a fresh server: test_..._fresh_server, AppTest)
        assert {"Veilig Thuis", "Vrouwenopvang Wolkendal"} <= texts, texts
        _assert_names_read(measured)

        # a click on a line leaves the map as it was: nothing fades, nobody is selected
        before = map_frame(page).evaluate(_MARKER_OPACITIES)
        _click_and_settle(page, page_point(page, map_frame(page).evaluate(_LINE_POINT)))
        after = map_frame(page).evaluate(_MARKER_OPACITIES)
        assert min(after) >= min(before) and min(after) > 0.9, after
        assert "organisatie=" not in page.url

        # a click on a shelter selects it (panel, ring, link); "Selectie wissen" undoes it
        page.mouse.click(*node_point(page, "Vrouwenopvang Wolkendal"))
        heading = page.get_by_role("heading", name="Vrouwenopvang Wolkendal")
        expect(heading).to_be_visible(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        assert "organisatie=Vrouwenopvang+Wolkendal" in page.url
        # and it stays chosen (plotly's own selection once cleared it again after a line click)
        page.wait_for_timeout(1_500)
        page.wait_for_selector(IDLE, timeout=60_000)
        expect(heading).to_be_visible()
        assert "organisatie=Vrouwenopvang+Wolkendal" in page.url
        # (plotly's selection may soften every marker alike to 0.7; never the old 14%)
        assert min(map_frame(page).evaluate(_MARKER_OPACITIES)) > 0.9
        selected = _measure_map(page)["labels"]
        assert _overlaps(selected) == []
        page.mouse.move(1, 1)  # the picture without the hover box over the selection
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"ketenkaart-selectie-{width}x{height}.png"))
        page.get_by_role("button", name="Selectie wissen").click()
        expect(heading).to_have_count(0, timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        assert "organisatie=" not in page.url

        # the shortfalls view: each line coloured by its reason, named in the legend
        _open(page, _map_url(running_app, tekort="true"))
        expect(graph).to_be_visible(timeout=30_000)
        page.wait_for_timeout(500)
        expect(graph.locator(".legend")).to_contain_text("Niet schriftelijk")
        assert _overlaps(_measure_map(page)["labels"]) == []
        page.screenshot(path=str(ARTIFACTS / f"ketenkaart-tekort-{width}x{height}.png"))
    finally:
        context.close()


#: Every organisation on the map with its centre (frame pixels) and marker radius.
_NODES = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  const layout = plot._fullLayout;
  const r = plot.querySelector('.nsewdrag').getBoundingClientRect();
  return plot.data.flatMap(t => (t.customdata || []).map((c, i) => [c, i, t]))
    .filter(([c]) => typeof c === 'string')
    .map(([c, i, t]) => ({name: c, x: r.left + layout.xaxis.l2p(t.x[i]),
                          y: r.top + layout.yaxis.l2p(t.y[i])}));
}"""


#: Whether the frame has placed names of its own (zoomed in).
_HAS_ZOOM_NAMES = """() => document.querySelector('.js-plotly-plot').layout.annotations
  .some(a => a.name === 'ketenkaart-zoom')"""

#: The x range the map shows now.
_X_RANGE = "() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range"


@pytest.mark.parametrize(("width", "height"), SCREEN_SIZES)
def test_zoomed_in_every_organisation_in_view_gets_its_name_beside_it(
    running_app: RunningApp, browser, width: int, height: int
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        _open(page, running_app.url)
        _open(page, _map_url(running_app, organisatie="Vrouwenopvang Wolkendal"))
        frame = map_frame(page)
        page.wait_for_timeout(500)
        whole = {label["text"] for label in _measure_map(page)["labels"]}
        whole_range = frame.evaluate(_X_RANGE)
        # the mouse wheel over the shelter, as a person zooms in
        page.mouse.move(*node_point(page, "Vrouwenopvang Wolkendal"))
        for _ in range(6):
            page.mouse.wheel(0, -200)
            page.wait_for_timeout(100)
        page.mouse.move(1, 1)
        frame.wait_for_function(_HAS_ZOOM_NAMES, timeout=30_000)
        page.wait_for_timeout(300)  # (the names drawn)
        measured = _measure_map(page)
        labels = measured["labels"]
        nodes = {n["name"]: n for n in frame.evaluate(_NODES)}
        dx, dy = page_point(page, [0.0, 0.0])
        area = measured["area"]
        named = [label for label in labels if label["text"] in nodes]
        in_view = [
            name
            for name, node in nodes.items()
            if area["x0"] <= node["x"] + dx <= area["x1"]
            and area["y0"] <= node["y"] + dy <= area["y1"]
        ]
        # more of the organisations in view are named than on the whole map, each beside its mark
        assert len(named) >= len([n for n in in_view if n in whole]) + 3, (in_view, named)
        for label in named:
            node = nodes[label["text"]]
            x, y = node["x"] + dx, node["y"] + dy
            nearest_x = min(max(x, label["x0"]), label["x1"])
            nearest_y = min(max(y, label["y0"]), label["y1"])
            assert ((x - nearest_x) ** 2 + (y - nearest_y) ** 2) ** 0.5 <= 30, (label, node)
        _assert_names_read(measured)  # as the whole map's names do
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"ketenkaart-ingezoomd-{width}x{height}.png"))

        # a click while zoomed in keeps the zoom, and the new selection is named beside it
        page.mouse.click(*node_point(page, "GGZ Wolkendal"))
        expect(page.get_by_role("heading", name="GGZ Wolkendal")).to_be_visible(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.mouse.move(1, 1)
        frame.wait_for_function(
            "() => document.querySelector('.js-plotly-plot').layout.annotations"
            ".some(a => a.name === 'ketenkaart-zoom'"
            " && a.text.replace(/<\\/?b>/g, '') === 'GGZ Wolkendal')",
            timeout=30_000,
        )
        page.wait_for_timeout(300)
        after = _measure_map(page)
        assert after["area"]["width"] == pytest.approx(area["width"], abs=2)
        assert "GGZ Wolkendal" in {label["text"] for label in after["labels"]}
        assert _overlaps(after["labels"]) == []

        # "Reset axes" brings back the whole map with the server's names
        frame.locator('.modebar-btn[data-title="Reset axes"]').click()
        # only the server's own names again
        frame.wait_for_function(f"() => !({_HAS_ZOOM_NAMES})()", timeout=30_000)
        page.wait_for_timeout(300)
        reset = {label["text"] for label in _measure_map(page)["labels"]}
        assert "Veilig Thuis" in reset and "GGZ Wolkendal" in reset

        # zoomed in again, another region starts from its whole map
        page.mouse.move(*node_point(page, "GGZ Wolkendal"))
        for _ in range(6):
            page.mouse.wheel(0, -200)
            page.wait_for_timeout(100)
        frame.wait_for_function(_HAS_ZOOM_NAMES, timeout=30_000)
        assert frame.evaluate(_X_RANGE) != pytest.approx(whole_range)
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
        page.get_by_role("option", name="Demoregio Duinrade").click()
        page.wait_for_timeout(300)
        page.wait_for_selector(IDLE, timeout=60_000)
        assert "regio=Demoregio+Duinrade" in page.url
        map_frame(page).wait_for_function(
            "(whole) => { const r = document.querySelector('.js-plotly-plot')._fullLayout"
            ".xaxis.range; return Math.abs(r[0] - whole[0]) + Math.abs(r[1] - whole[1]) < 1e-6; }",
            arg=whole_range,
            timeout=30_000,
        )
    finally:
        context.close()


def test_plotly_js_is_fetched_once_not_at_every_visit(running_app: RunningApp, page) -> None:
    import serve

    _open(page, running_app.url)
    sizes = []
    for _ in range(2):  # two visits of the Ketenkaart, as a person goes back and forth
        _open(page, _map_url(running_app))
        sizes.append(
            map_frame(page).evaluate(
                "() => performance.getEntriesByType('resource')"
                ".filter(e => e.name.endsWith('/plotly.min.js')).map(e => e.transferSize)"
            )
        )
    assert sizes[0] and sizes[0][0] > 1_000_000, sizes  # the first visit fetches it (1.5 MB)
    assert sizes[1] == [0], sizes  # the second takes it from the browser's cache
    url = f"{running_app.url}/component/ui.map_chart.{PLOTLY_COMPONENT}/plotly.min.js"
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["cache-control"] == serve.IMMUTABLE
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_map_that_cannot_load_says_so_in_dutch(running_app: RunningApp, page) -> None:
    from playwright.sync_api import expect

    # plotly.js does not arrive (a proxy that blocks it, a dropped connection)
    page.route(f"**/ui.map_chart.{PLOTLY_COMPONENT}/**", lambda route: route.abort())
    _open(page, running_app.url)
    _open(page, _map_url(running_app))
    message = page.frame_locator(FRAME).get_by_text("De kaart kon niet worden getekend")
    expect(message).to_be_visible(timeout=30_000)
    expect(page.frame_locator(FRAME).locator("#kaart")).to_contain_text("Laad de pagina opnieuw")
    # the rest of the page still works: the panel shows the region's counts
    expect(page.get_by_text("actuele afspraken").first).to_be_visible()


#: Where the first cluster of a clustered map is drawn (frame pixels) and its partner type.
_FIRST_CLUSTER = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  const layout = plot._fullLayout;
  const trace = plot.data.find(t => t.meta === 'clusters');
  const r = plot.querySelector('.nsewdrag').getBoundingClientRect();
  return {point: [r.left + layout.xaxis.l2p(trace.x[0]), r.top + layout.yaxis.l2p(trace.y[0])],
          type: trace.customdata[0][1]};
}"""

_IS_CLUSTERED = """() => document.querySelector('.js-plotly-plot').data
  .some(t => t.meta === 'clusters')"""


def test_a_click_on_a_cluster_opens_its_partner_type(running_app: RunningApp, page) -> None:
    from playwright.sync_api import expect

    from tests.test_network_bounds import LARGE, SHELTERS, large_region_csv

    shelters = {name for name, _ in SHELTERS}
    with store.writing(running_app.db) as con:
        import_file(con, large_region_csv(600), "rood.csv", new_region=True)
    _open(page, running_app.url)
    _open(page, f"{running_app.url}/ketenkaart?{urllib.parse.urlencode({'regio': LARGE})}")
    assert map_frame(page).evaluate(_IS_CLUSTERED)
    cluster = map_frame(page).evaluate(_FIRST_CLUSTER)
    _click_and_settle(page, page_point(page, cluster["point"]))
    # the whole page follows: the filter names the partner type, the map draws each partner
    assert "partnertypes=" in page.url
    expect(page.locator("[data-testid='stMultiSelect']").first).to_contain_text(
        codes.label(cluster["type"], codes.PARTNER_TYPES).split(" (")[0]
    )
    assert not map_frame(page).evaluate(_IS_CLUSTERED)
    # and one of them opens in the panel with a click
    name = sorted(_drawn_names(page) - shelters)[0]
    page.mouse.click(*node_point(page, name))
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible(timeout=30_000)


def test_the_chosen_region_stays_in_the_link_across_pages(running_app: RunningApp, page) -> None:
    from playwright.sync_api import expect

    _open(page, running_app.url)
    assert "regio=Demoregio+Wolkendal" in page.url  # the default region, written into the link
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="Demoregio Duinrade").click()
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert "regio=Demoregio+Duinrade" in page.url
    nav = page.get_by_test_id("stSidebarNavItems")
    for name, path in (("Normenkader", "normenkader"), ("Ketenkaart", "ketenkaart")):
        nav.get_by_role("link", name=name).click()
        page.wait_for_timeout(300)
        page.wait_for_selector(IDLE, timeout=60_000)
        assert f"/{path}?" in page.url and "regio=Demoregio+Duinrade" in page.url, page.url
        expect(page.get_by_text("Demoregio Duinrade").first).to_be_visible()


def test_a_link_to_a_page_as_the_first_visit_of_a_fresh_server(
    demo_db_template: Path, tmp_path: Path, browser, fixed_today: date
) -> None:
    """The first visitor after the server starts may come with a link to a page (a bookmark,
    an invitation to the meeting): that page opens, without Streamlit's "Page not found"."""
    from playwright.sync_api import expect

    db = tmp_path / "vers.duckdb"
    shutil.copyfile(demo_db_template, db)
    env = {"KETENKAART_DB": str(db), "KETENKAART_TODAY": fixed_today.isoformat()}
    with running_server("serve.py", tmp_path / "server.log", env) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        try:
            _open(page, f"{server.url}/ketenkaart?regio=Demoregio+Duinrade")
            expect(
                page.get_by_test_id("stMain").get_by_role("heading", name="Ketenkaart")
            ).to_be_visible()
            page.wait_for_timeout(1000)
            assert "Page not found" not in page.content()
            assert "regio=Demoregio+Duinrade" in page.url
            expect(page.get_by_text("Demoregio Duinrade").first).to_be_visible()
            # Duinrade's shelters reach every required partner type; Wolkendal has no huisarts
            _open(page, f"{server.url}/ketenkaart?regio=Demoregio+Wolkendal")
            plot = page.frame_locator(FRAME).locator(".js-plotly-plot")
            expect(plot.first).to_be_visible(timeout=30_000)
            missing = plot.locator(".annotation-text", has_text="Geen Huisarts")
            expect(missing).to_have_count(1)
        finally:
            context.close()
