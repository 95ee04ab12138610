"""The click on the Ketenkaart in a real browser: a node clicked → the detail panel updated.

The app runs as ``make run`` starts it (``streamlit run serve.py``, :mod:`tests.servers`) on a
copy of a database with one synthetic region (:func:`bench.cases_map.map_db`: two shelters and
their partners), and Debian's headless Chromium opens its map through Playwright. One click is
timed from the mouse click until the detail panel shows the clicked organisation's name as a
heading and the app is idle again (the script has finished its run). Every click changes the
panel: the clicks alternate between two organisations, after warm-up clicks that fill the
caches of both. The target (issue 8): median ≤ 0.5 s at 300 organisations, ≤ 1 s at 1,000.

At 300 organisations the map draws every organisation, and a partner and a shelter are clicked
in turn; at 1,000 the partners are drawn as clusters per partner type, so the two shelters
(drawn one by one) are clicked in turn. The time includes Playwright's round trip to the
browser (a few milliseconds). Other work on the machine slows the server and the browser alike,
so every size also records the load average and, per click, the time until the heading showed
and the CPU seconds of the server process and of the page's renderer process. Without Chromium
(or Playwright) the section is skipped with a note.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.cases_map import MAP_REGION, map_db
from bench.databases import ROOT, TODAY, WORK
from bench.harness import Timing, quartiles
from tests.mapframe import map_frame, node_point
from tests.servers import CHROMIUM, CHROMIUM_ARGS, IDLE, running_server

__all__ = ["SHELTERS", "TARGETS", "bench_clicks", "skip_reason"]

#: Organisations in the region → the target median in seconds (issue 8).
TARGETS = {300: 0.5, 1_000: 1.0}

#: The two shelters of :func:`bench.cases_map.large_region_csv` (every other partner is theirs).
SHELTERS = ("Opvang Rood", "Gezinsopvang Rood")

#: The partner clicked at 300 organisations: the one drawn farthest from the shelters (on the
#: outer edge of its sector, where no other point is near). Near the middle a partner sits among
#: the invisible hover points of the lines, and there plotly may pick a line's point instead.
OUTER_PARTNER = """(shelters) => {
  const plot = document.querySelector('.js-plotly-plot');
  const points = plot.data.filter(t => t.meta !== 'clusters').flatMap(t =>
    (t.customdata || []).map((c, i) => [c, t.x[i], t.y[i]]).filter(p => typeof p[0] === 'string'));
  const middle = points.filter(p => shelters.includes(p[0]));
  const mx = middle.reduce((s, p) => s + p[1], 0) / middle.length;
  const my = middle.reduce((s, p) => s + p[2], 0) / middle.length;
  let best = null, far = -1;
  for (const [name, x, y] of points) {
    const d = Math.hypot(x - mx, y - my);
    if (!shelters.includes(name) && d > far) { best = name; far = d; }
  }
  return best;
}"""

#: The browser window: the size of the browser tests' default page.
VIEWPORT = {"width": 1500, "height": 1000}

#: Milliseconds to wait for a page, a heading or the idle app before the run is given up.
WAIT_MS = 60_000

#: The screenshot of a click that did not get its heading (overwritten by the next failure).
FAILED_SHOT = WORK / "klik-mislukt.png"

#: Whether the open map draws its partners as clusters (a trace with ``meta`` "clusters").
IS_CLUSTERED = """() => document.querySelector('.js-plotly-plot').data
  .some(t => t.meta === 'clusters')"""


def skip_reason() -> str | None:
    """Why the section cannot run on this machine (in Dutch), or None when it can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} ontbreekt (installeer met apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright ontbreekt (pip install -r requirements-dev.txt)"
    return None


def _load() -> float:
    """The machine's load average over the last minute."""
    return os.getloadavg()[0]


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far (``/proc/PID/stat``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Click:
    """One timed click: seconds until the heading showed, until the app was idle, and the CPU
    seconds the server and the browser's page (its renderer process) spent meanwhile, which
    other load on the machine does not inflate as it does the wall clock."""

    heading: float
    idle: float
    server_cpu: float
    browser_cpu: float


def _renderer_cpu(cdp) -> float:
    """CPU seconds of the page's renderer process so far (Chromium's ``ProcessTime``)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ProcessTime")


def _click(page, cdp, name: str, server_pid: int) -> Click:
    """Click ``name`` on the open map and wait until its heading shows and the app is idle."""
    point = node_point(page, name)
    if point is None:
        raise RuntimeError(f"{name} staat niet op de kaart")
    heading = page.get_by_role("heading", name=name, exact=True)
    cpu, renderer = _cpu_seconds(server_pid), _renderer_cpu(cdp)
    started = time.perf_counter()
    page.mouse.click(*point)
    heading.wait_for(state="visible", timeout=WAIT_MS)
    shown = time.perf_counter() - started
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    idle = time.perf_counter() - started
    click = Click(shown, idle, _cpu_seconds(server_pid) - cpu, _renderer_cpu(cdp) - renderer)
    page.wait_for_timeout(300)  # untimed: let plotly finish redrawing before the next click
    return click


#: Starts listening for what plotly points at next (the name in ``customdata``, or the trace),
#: as a promise in ``window.__pointedAt`` (null after 5 s without a hover).
LISTEN_HOVER = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  window.__pointedAt = new Promise(resolve => {
    const hover = (e) => {
      plot.removeListener('plotly_hover', hover);
      const q = e.points[0];
      resolve(typeof q.customdata === 'string' ? q.customdata : 'een punt van ' + q.data.name);
    };
    plot.on('plotly_hover', hover);
    setTimeout(() => { plot.removeListener('plotly_hover', hover); resolve(null); }, 5000);
  });
}"""


def _pointed_at(page, name: str) -> str | None:
    """What plotly points at with the mouse on the middle of ``name``'s node (untimed)."""
    point = node_point(page, name)
    if point is None:
        raise RuntimeError(f"{name} staat niet op de kaart")
    page.mouse.move(1, 1)
    frame = map_frame(page)
    frame.evaluate(LISTEN_HOVER)
    page.mouse.move(*point, steps=2)
    value = frame.evaluate("() => window.__pointedAt")
    page.mouse.move(1, 1)
    page.wait_for_timeout(100)
    return value


def _clear(page, name: str) -> None:
    """'Selectie wissen' (untimed): the panel shows the region again."""
    page.get_by_role("button", name="Selectie wissen").click()
    page.get_by_role("heading", name=name, exact=True).wait_for(state="detached", timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_timeout(300)


@dataclass(frozen=True)
class Session:
    """The clicks of one region, whom they clicked, and what the map showed."""

    clicks: list[Click]
    clicked: tuple[str, ...]
    clustered: bool
    #: organisations the mouse on their node does not point at, with what it points at instead
    missed: dict[str, str]


def _session(
    browser,
    url: str,
    server_pid: int,
    organisations: tuple[str | None, str],
    warmup: int,
    runs: int,
) -> Session:
    """Open the map of the region in a fresh tab, click ``warmup`` times untimed and ``runs``
    times timed, alternating between the two organisations (None: :data:`OUTER_PARTNER`).

    An organisation whose node plotly does not point at (a line's hover point lies on it) cannot
    be clicked: then the other one is clicked every time, with 'Selectie wissen' (untimed) in
    between, so every click still changes the panel.
    """
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        # the main page first: a server that has not run the app yet does not know its pages
        page.goto(url, timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        query = urllib.parse.urlencode({"regio": MAP_REGION})
        page.goto(f"{url}/ketenkaart?{query}", timeout=WAIT_MS)
        frame = map_frame(page, timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        page.wait_for_timeout(500)
        clustered = bool(frame.evaluate(IS_CLUSTERED))
        if None in organisations:  # the partner: the outermost one on this map
            partner = frame.evaluate(OUTER_PARTNER, list(SHELTERS))
            organisations = tuple(partner if name is None else name for name in organisations)
        pointed = {name: _pointed_at(page, name) for name in organisations}
        missed = {name: str(hit) for name, hit in pointed.items() if hit != name}
        clickable = tuple(name for name in organisations if name not in missed)
        if not clickable:
            raise RuntimeError(f"geen van {', '.join(organisations)} is aan te klikken: {missed}")
        try:
            clicks = []
            for i in range(warmup + runs):
                name = clickable[i % len(clickable)]
                click = _click(page, cdp, name, server_pid)
                if i >= warmup:
                    clicks.append(click)
                if len(clickable) == 1:
                    _clear(page, name)
        except Exception:
            page.screenshot(path=str(FAILED_SHOT))  # what the page showed when it gave up
            raise
        return Session(clicks, clickable, clustered, missed)
    finally:
        context.close()


def _timing(name: str, values: list[float]) -> Timing:
    q1, q3 = quartiles(values)
    return Timing(name, len(values), statistics.median(values), min(values), max(values), q1, q3)


def bench_clicks(profile, results, log=print) -> list[dict[str, object]]:
    """Time the click at every size of :data:`TARGETS`; add the timings to ``results`` and
    return the rows against the targets (none when the browser is missing)."""
    reason = skip_reason()
    if reason is not None:
        note = f"klik: overgeslagen, {reason}"
        results.notes.append(note)
        log(f"  {note}")
        return []
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    # the quick smoke run (also in the test suite) only shows that the section works
    sizes = (300,) if profile.quick else tuple(TARGETS)
    warmup, runs = (1, 2) if profile.quick else (4, 9)
    rows: list[dict[str, object]] = []
    WORK.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for organisations in sizes:
                wanted = (None, SHELTERS[0]) if organisations <= 500 else SHELTERS
                label = f"klik: knoop → detailpaneel, {organisations} organisaties"
                database = map_db(organisations - len(SHELTERS), log=log)
                load_before = _load()
                with tempfile.TemporaryDirectory(dir=WORK) as folder:
                    copy = Path(folder) / "klik.duckdb"
                    shutil.copyfile(database, copy)  # the app never touches the cached file
                    env = {"KETENKAART_DB": str(copy), "KETENKAART_TODAY": TODAY.isoformat()}
                    try:
                        with running_server("serve.py", Path(folder) / "server.log", env) as app:
                            session = _session(
                                browser, app.url, app.process.pid, wanted, warmup, runs
                            )
                    except (PlaywrightError, RuntimeError, TimeoutError) as error:
                        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
                        results.notes.append(
                            f"{label}: meting afgebroken ({first or error!r}; schermafdruk in "
                            f"{FAILED_SHOT.relative_to(ROOT)})"
                        )
                        log(f"  {label}: afgebroken ({first})")
                        continue
                clicks, clicked = session.clicks, session.clicked
                for name, hit in session.missed.items():
                    note = (
                        f"klik, {organisations} organisaties: {name} is niet aan te klikken; de "
                        f"muis op het midden van de knoop wijst {hit} aan"
                    )
                    results.notes.append(note)
                    log(f"  {note}")
                if len(clicked) == 2:
                    label += f" ({' en '.join(clicked)} om en om)"
                else:
                    label += f" (steeds {clicked[0]}, tussendoor Selectie wissen)"
                times = [c.idle for c in clicks]
                timing = results.add(_timing(label, times))
                shown = _timing("kop", [c.heading for c in clicks])
                cpu = _timing("cpu", [c.server_cpu for c in clicks])
                browser_cpu = _timing("cpu", [c.browser_cpu for c in clicks])
                target = TARGETS[organisations]
                # the timed clicks alternate from the first organisation after an even warm-up
                each = {
                    name: statistics.median(times[i :: len(clicked)])
                    for i, name in enumerate(clicked)
                }
                rows.append(
                    {
                        **timing.as_dict(),
                        "organisations": organisations,
                        "clicked": list(clicked),
                        "not_clickable": session.missed,
                        "warmup": warmup,
                        "clustered": session.clustered,
                        "times": times,
                        "median_per_organisation": each,
                        "heading": shown.as_dict(),
                        "server_cpu": cpu.as_dict(),
                        "browser_cpu": browser_cpu.as_dict(),
                        "load_average": [round(load_before, 2), round(_load(), 2)],
                        "target": target,
                        "met": timing.median <= target,
                    }
                )
                log(
                    f"  {label}: mediaan {timing.median:.2f} s "
                    f"({timing.minimum:.2f}–{timing.maximum:.2f} s, IQR {timing.iqr:.2f} s, "
                    f"{timing.runs} klikken{', geclusterd' if session.clustered else ''}); kop na "
                    f"{shown.median:.2f} s, CPU per klik: server {cpu.median:.2f} s, "
                    f"browser {browser_cpu.median:.2f} s"
                )
                if len(clicked) == 2:
                    log(
                        "  mediaan per organisatie: "
                        + ", ".join(f"{n} {t:.2f} s" for n, t in each.items())
                    )
        finally:
            browser.close()
    return rows
