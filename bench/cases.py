"""The benchmark cases. Each returns timings and ratios; :mod:`bench.__main__` prints and saves."""

from __future__ import annotations

import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.compare import RegionInput, compare_regions
from analysis.network import build_network, layout_network
from analysis.report import build_report
from bench.databases import ROOT, TODAY, WORK, national_inventory, synthetic_db
from bench.harness import Ratio, Timing, fit_slope, measure, quartiles, ratio
from ketendata import importers, store
from ketendata.samples import synth
from ketendata.store import queries

#: The region every single-region figure is about.
REGION = synth.region_name(1)


@dataclass(frozen=True)
class Profile:
    """How big and how often: the full suite or the quick smoke run."""

    quick: bool
    import_rows: int
    national_import_rows: int
    process_runs: int
    national_regions: int
    national_scale: float
    network_sizes: tuple[int, ...]
    growth_regions: int
    growth_scales: tuple[float, ...]
    budget: float
    min_runs: int
    pages: tuple[str, ...]


FULL = Profile(
    quick=False,
    import_rows=10_000,
    national_import_rows=40_000,
    process_runs=9,
    national_regions=43,
    national_scale=1.0,
    network_sizes=(300, 1000),
    growth_regions=4,
    growth_scales=(1.0, 4.0, 16.0),
    budget=4.0,
    min_runs=3,
    pages=(
        "pages/overview.py",
        "pages/network_map.py",
        "pages/norms.py",
        "pages/handovers.py",
        "pages/stagnation.py",
        "pages/comparison.py",
        "pages/data.py",
    ),
)

QUICK = Profile(
    quick=True,
    import_rows=500,
    national_import_rows=2_000,
    process_runs=2,
    national_regions=3,
    national_scale=0.2,
    network_sizes=(50, 100),
    growth_regions=1,
    growth_scales=(0.1, 0.2, 0.4),
    budget=0.3,
    min_runs=2,
    pages=("pages/overview.py",),
)


@dataclass
class Results:
    """Everything measured, in the order measured."""

    timings: list[Timing] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    slopes: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, timing: Timing) -> Timing:
        self.timings.append(timing)
        return timing


def _timed(profile: Profile, name: str, run: Callable[[], object], **kwargs) -> Timing:
    return measure(name, run, budget_seconds=profile.budget, min_runs=profile.min_runs, **kwargs)


# --- Import -----------------------------------------------------------------------------------


def bench_import(profile: Profile, results: Results) -> None:
    """Import of an inventory (.csv and .xlsx) against the bare pandas parse of the same file."""
    rows = synth.inventory_rows(profile.import_rows, today=TODAY)
    n = profile.import_rows
    files = {"csv": synth.csv_bytes(rows), "xlsx": synth.xlsx_bytes(rows, "afspraken")}
    parse = {
        "csv": lambda data: pd.read_csv(io.BytesIO(data), sep=";", dtype=str, encoding="utf-8-sig"),
        "xlsx": lambda data: pd.read_excel(io.BytesIO(data), sheet_name="Afspraken", dtype=str),
    }
    WORK.mkdir(parents=True, exist_ok=True)  # a clean clone has no bench/work yet
    tmp = Path(tempfile.mkdtemp(dir=WORK))
    for ext, data in files.items():
        state: dict[str, object] = {}

        def fresh(ext: str = ext, state: dict = state) -> None:
            if "con" in state:
                state["con"].close()
            path = tmp / f"import_{ext}_{len(state.get('paths', []))}.duckdb"
            state.setdefault("paths", []).append(path)
            state["con"] = store.open_database(path)

        def run(ext: str = ext, data: bytes = data, state: dict = state) -> None:
            importers.import_file(state["con"], data, f"inventaris.{ext}", new_region=True)

        imported = results.add(_timed(profile, f"import {n} rijen .{ext}", run, setup=fresh))
        state["con"].close()
        parsed = results.add(
            _timed(profile, f"pandas-parse {n} rijen .{ext}", lambda d=data, e=ext: parse[e](d))
        )
        results.ratios.append(ratio(f"import .{ext} / pandas", imported, parsed, target=3.0))
    national = national_inventory(profile.national_import_rows, profile.national_regions)
    whole = {
        f"{profile.national_import_rows} rijen, {profile.national_regions} regio's": national,
        f"{n} rijen, 1 regio": rows,
    }
    for number, (label, table) in enumerate(whole.items()):
        if profile.quick and number > 0:
            break  # the smoke run (also in the test suite) starts each kind of process once
        data = synth.csv_bytes(table)
        _bench_import_processes(profile, results, tmp, label, data, start_up=number == 0)
    for path in tmp.iterdir():
        path.unlink()
    tmp.rmdir()


#: The bare parse the import is compared with, in a process of its own.
_PANDAS_PARSE = (
    "import sys; import pandas as pd; "
    "pd.read_csv(sys.argv[1], sep=';', dtype=str, encoding='utf-8-sig')"
)


def _bench_import_processes(
    profile: Profile,
    results: Results,
    tmp: Path,
    label: str,
    data: bytes,
    *,
    start_up: bool = False,
) -> None:
    """The import as a user runs it, ``python -m ketendata import FILE --new-region --db NEW``,
    against ``python -c 'pd.read_csv(FILE, ...)'``: whole processes (interpreter, imports,
    reading, validation, storing, closing the file), run in turn so both see the same machine.

    With ``start_up``, also the processes that only start (``import ketendata.importers`` and
    ``import pandas``): how much of each is start-up.
    """
    source = tmp / "landelijk.csv"
    source.write_bytes(data)
    database = tmp / "proces.duckdb"

    def fresh_database() -> None:
        for path in (database, Path(f"{database}.wal")):
            path.unlink(missing_ok=True)

    python = sys.executable
    cases = {
        f"import {label}, heel proces": (
            [
                python,
                "-m",
                "ketendata",
                "import",
                str(source),
                "--new-region",
                "--db",
                str(database),
            ]
        ),
        f"pandas-parse {label}, heel proces": [python, "-c", _PANDAS_PARSE, str(source)],
    }
    if start_up:
        cases["  opstart: import ketendata.cli, ketendata.importers"] = [
            python,
            "-c",
            "import ketendata.cli, ketendata.importers",
        ]
        cases["  opstart: import pandas"] = [python, "-c", "import pandas"]
    timings, cpu = _time_processes(cases, profile.process_runs, before=fresh_database)
    for timing in timings.values():
        results.add(timing)
    imported, parsed = (timings[name] for name in list(cases)[:2])
    results.ratios.append(
        ratio(f"import / pandas-parse, hele processen, {label}", imported, parsed, target=3.0)
    )
    import_cpu, parse_cpu = (cpu[name] for name in list(cases)[:2])
    results.notes.append(
        f"Hele processen, {label}: CPU-tijd (user + sys, mediaan) import {import_cpu:.2f} s, "
        f"pandas-parse {parse_cpu:.2f} s ({import_cpu / parse_cpu:.2f}×); op een drukke machine "
        "wacht een proces ook, de CPU-tijd telt alleen wat het zelf rekent."
    )
    fresh_database()
    source.unlink()


def _time_processes(
    cases: dict[str, list[str]], runs: int, *, before: Callable[[], None], warmup: int = 1
) -> tuple[dict[str, Timing], dict[str, float]]:
    """Wall time of each command as a fresh process, the commands taking turns run after run
    (so a busy moment of the machine falls on all of them), and each one's median CPU time
    (user + sys); ``before`` runs untimed before each.

    Raises:
        RuntimeError: a command failed (its Dutch message or traceback is included).
    """
    seconds: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_number in range(warmup + runs):
        for name, argv in cases.items():
            before()
            used = _children_cpu()
            started = time.perf_counter()
            done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            if done.returncode != 0:
                raise RuntimeError(f"{name}: exit {done.returncode}: {done.stderr[-2000:]}")
            if round_number >= warmup:
                seconds[name].append(elapsed)
                cpu[name].append(_children_cpu() - used)
    timings = {}
    for name, values in seconds.items():
        q1, q3 = quartiles(values)
        timings[name] = Timing(
            name, len(values), statistics.median(values), min(values), max(values), q1, q3
        )
    return timings, {name: statistics.median(values) for name, values in cpu.items()}


def _children_cpu() -> float:
    """CPU seconds (user + sys) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- Report and comparison --------------------------------------------------------------------


def _report(con, region: str) -> dict:
    frames = queries.region_frames(con, region)
    return build_report(
        region, frames.agreements, frames.handovers, frames.stagnation, frames.matrix, TODAY
    )


def _compare(con) -> pd.DataFrame:
    per_region = {
        name: RegionInput(f.agreements, f.handovers, f.stagnation, f.matrix)
        for name, f in queries.all_region_frames(con).items()
    }
    return compare_regions(per_region, TODAY)


def bench_report(profile: Profile, results: Results, national: Path, single: Path) -> None:
    """One region's report in the national database against a database with only that region."""
    label = f"{profile.national_regions}×{profile.national_scale:g}"
    timings = {}
    for name, path in (("landelijk " + label, national), ("alleen deze regio", single)):
        con = store.connect(path, read_only=True)
        try:
            timings[name] = results.add(
                _timed(profile, f"regiorapport, database {name}", lambda c=con: _report(c, REGION))
            )
            results.add(
                _timed(
                    profile,
                    f"  waarvan queries (region_frames), database {name}",
                    lambda c=con: queries.region_frames(c, REGION),
                )
            )
        finally:
            con.close()
    top, bottom = timings.values()
    results.ratios.append(ratio("regiorapport landelijk / één regio", top, bottom, target=1.5))

    con = store.connect(national, read_only=True)
    try:
        results.add(
            _timed(profile, f"alle regio's vergelijken, landelijk {label}", lambda: _compare(con))
        )
        results.add(
            _timed(
                profile,
                f"  waarvan queries (all_region_frames), landelijk {label}",
                lambda: queries.all_region_frames(con),
            )
        )
    finally:
        con.close()


# --- Network ----------------------------------------------------------------------------------


def bench_network(profile: Profile, results: Results) -> None:
    """Building and laying out the network of one region with about N organisations."""
    for size in profile.network_sizes:
        scale = round(size / (synth.SHELTERS_PER_REGION + synth.PARTNERS_PER_REGION), 3)
        path = synthetic_db(1, scale)
        con = store.connect(path, read_only=True)
        try:
            agreements = queries.current_agreements(con, REGION)
        finally:
            con.close()
        nodes = build_network(agreements, TODAY).number_of_nodes()
        results.add(
            _timed(
                profile,
                f"netwerk bouwen, {nodes} organisaties",
                lambda a=agreements: build_network(a, TODAY),
            )
        )
        graph = build_network(agreements, TODAY)
        results.add(
            _timed(
                profile,
                f"netwerk opmaken (layout), {nodes} organisaties",
                lambda g=graph: layout_network(g, seed=7),
            )
        )


# --- Growth -----------------------------------------------------------------------------------


def bench_growth(profile: Profile, results: Results) -> None:
    """The report and the comparison at growing scale; the slope of log(time) to log(size)."""
    report_times, compare_times, sizes = [], [], []
    for scale in profile.growth_scales:
        path = synthetic_db(profile.growth_regions, scale)
        con = store.connect(path, read_only=True)
        try:
            rows = len(queries.current_agreements(con, REGION))
            sizes.append(rows)
            label = (
                f"{profile.growth_regions} regio's × schaal {scale:g} ({rows} afspraakrijen/regio)"
            )
            report_times.append(
                results.add(
                    _timed(
                        profile, f"groei: regiorapport, {label}", lambda c=con: _report(c, REGION)
                    )
                )
            )
            compare_times.append(
                results.add(
                    _timed(profile, f"groei: vergelijken, {label}", lambda c=con: _compare(c))
                )
            )
        finally:
            con.close()
    for name, timings in (("regiorapport", report_times), ("vergelijken", compare_times)):
        slope = fit_slope(sizes, [t.median for t in timings])
        results.slopes.append(
            {
                "name": f"groei {name}",
                "sizes": sizes,
                "medians": [t.median for t in timings],
                "slope": slope,
                "target": 1.1,
                "met": slope <= 1.1,
            }
        )
    if profile.growth_regions != 43:
        results.notes.append(
            f"Groei gemeten met {profile.growth_regions} regio's per schaal (niet 43), zodat de "
            "databases op schaal 16 binnen de tijd van de benchmark te maken zijn; de omvang per "
            "regio groeit wel met de volle factor."
        )


# --- Pages ------------------------------------------------------------------------------------


def bench_pages(profile: Profile, results: Results, national: Path) -> None:
    """Every dashboard page through AppTest on the national database: cold and warm cache."""
    try:
        import streamlit as st
        from streamlit.testing.v1 import AppTest
    except ImportError as error:  # pragma: no cover - streamlit is a runtime dependency
        results.notes.append(f"Pagina's overgeslagen: {error}")
        return
    app = ROOT / "app.py"
    if not app.exists():
        results.notes.append("Pagina's overgeslagen: app.py ontbreekt nog.")
        return
    os.environ["KETENKAART_DB"] = str(national)
    os.environ["KETENKAART_TODAY"] = TODAY.isoformat()
    holder: dict[str, AppTest] = {}

    def opened(clear: bool) -> None:
        at = AppTest.from_file(str(app), default_timeout=120)
        at.query_params["regio"] = REGION
        at.run()
        if clear:
            st.cache_data.clear()
        holder["at"] = at

    for page in profile.pages:
        if not (ROOT / page).exists():
            results.notes.append(f"Pagina {page} overgeslagen: het bestand ontbreekt.")
            continue

        def show(page: str = page) -> None:
            at = holder["at"].switch_page(page).run()
            if at.exception:
                raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")

        for clear, word in ((True, "koud"), (False, "warm")):
            try:
                timing = measure(
                    f"pagina {page} ({word}), landelijk",
                    show,
                    setup=lambda c=clear: opened(c),
                    min_runs=profile.min_runs,
                    max_runs=7,
                    budget_seconds=profile.budget,
                )
            except Exception as error:  # a page that fails is reported, not measured
                results.notes.append(
                    f"Pagina {page} overgeslagen: de pagina gaf een fout ({error})."
                )
                break
            results.add(timing)
