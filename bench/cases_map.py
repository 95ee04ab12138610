"""The cost of one large region: its Ketenkaart and Overzicht for the first visitor.

A region of 5,000 partners is a 419 KB upload (the attack of issue 14: a new region named
"AAA Rood" sorts first, so it is every visitor's landing page). Each measurement runs in a fresh
Python process (``python -m bench.cases_map PAGE DB``), so the cache is cold as for the first
visitor and the process's memory belongs to that one page: the time from the region's choice to
the page drawn (AppTest), and the growth of the resident set (``/proc/self/status``: the peak
``VmHWM`` after the page against ``VmRSS`` before it, the peak reset just before the page) and
what stays (``VmRSS`` after). Targets: page ready ≤ 5 s, RSS growth ≤ 500 MB.
"""

from __future__ import annotations

import csv
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from analysis import codes
from bench.databases import ROOT, TODAY, cached_database
from bench.harness import Timing, quartiles

__all__ = [
    "MAP_REGION",
    "PAGES",
    "TARGET_RSS_MB",
    "TARGET_SECONDS",
    "bench_map",
    "large_region_csv",
    "map_db",
]

#: The large region: its name sorts before every demo region, as in the attack.
MAP_REGION = "AAA Rood"

#: The pages measured: the landing page and the map.
PAGES = ("pages/overview.py", "pages/network_map.py")

#: A page of the large region is ready within this many seconds for the first visitor.
TARGET_SECONDS = 5.0

#: ... and the server process grows by at most this many MB while drawing it.
TARGET_RSS_MB = 500.0

#: The small region the measuring process opens first (imports, caches of the code itself).
WARM_REGION = "Demoregio Wolkendal"

_PARTNER_TYPES = tuple(c for c in codes.PARTNER_TYPES if c not in codes.SHELTER_TYPES)

#: A child that takes longer than this is stopped and reported as failed.
CHILD_TIMEOUT = 1200


def large_region_csv(partners: int, region: str = MAP_REGION) -> bytes:
    """An inventory of ``partners`` partners, one written agreement each, dealt over two
    shelters and every partner type in turn: only the required columns, as the attack's file.

    >>> data = large_region_csv(3)
    >>> data.splitlines()[1].decode("utf-8-sig")
    'AAA Rood;Opvang Rood;vrouwenopvang;Partner 00001 Rood;veilig_thuis;meldcode;schriftelijk'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["regio", "organisatie", "organisatietype", "partner", "partnertype"]
        + ["afspraaktypes", "status"]
    )
    shelters = (("Opvang Rood", "vrouwenopvang"), ("Gezinsopvang Rood", "maatschappelijke_opvang"))
    for i in range(partners):
        holder, holder_type = shelters[i % 2]
        kind = _PARTNER_TYPES[i % len(_PARTNER_TYPES)]
        agreement = "meldcode" if kind == "veilig_thuis" else "informatie_uitwisseling"
        writer.writerow(
            [region, holder, holder_type, f"Partner {i + 1:05d} Rood", kind, agreement]
            + ["schriftelijk"]
        )
    return buffer.getvalue().encode("utf-8-sig")


def map_db(partners: int, log=print) -> Path:
    """A database with the demo regions and the large region, built once under ``bench/work``."""
    from ketendata import importers
    from ketendata.samples.demo import load_demo

    def build(con) -> None:
        data = large_region_csv(partners)
        log(
            f"  database opbouwen: demoregio's en {MAP_REGION} ({partners} partners, "
            f"{len(data) / 1024:.0f} KB) ..."
        )
        load_demo(con, TODAY)
        importers.import_file(con, data, "aaa_rood.csv", kind="afspraken", new_region=True)

    return cached_database(f"kaart_p{partners}", build)


def _memory_kb() -> dict[str, int]:
    """The process's resident set now (``VmRSS``) and its peak (``VmHWM``), in kB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
    return values


def _reset_peak() -> bool:
    """Reset ``VmHWM`` to the current resident set (Linux 4.0+); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def measure_page(page: str, database: Path) -> dict[str, object]:
    """One first visit of ``page`` for the large region, in this process (the child's work)."""
    from streamlit.testing.v1 import AppTest

    os.environ["KETENKAART_DB"] = str(database)
    os.environ["KETENKAART_TODAY"] = TODAY.isoformat()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=CHILD_TIMEOUT)
    at.query_params["regio"] = WARM_REGION
    at.run()
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    peak_reset = _reset_peak()
    before = _memory_kb()
    at.selectbox(key="regio").set_value(MAP_REGION)
    started = time.perf_counter()
    at.switch_page(page).run()
    cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    after = _memory_kb()
    started = time.perf_counter()
    at.run()  # the next visitor: the region's analysis is cached
    warm = time.perf_counter() - started
    texts = [c.value for c in at.caption] + [i.value for i in at.info]
    return {
        "page": page,
        "seconds": cold,
        "warm_seconds": warm,
        "rss_before_mb": before["VmRSS"] / 1024,
        "peak_growth_mb": (after["VmHWM"] - before["VmRSS"]) / 1024,
        "kept_growth_mb": (after["VmRSS"] - before["VmRSS"]) / 1024,
        "peak_reset": peak_reset,
        "clustered": any("geclusterd" in text for text in texts),
    }


def _child(page: str, database: Path) -> dict[str, object]:
    """Run :func:`measure_page` in a fresh process and read its JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.cases_map", page, str(database)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(" / ".join(tail) or f"exit {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _timing(name: str, values: list[float]) -> Timing:
    q1, q3 = quartiles(values)
    return Timing(name, len(values), statistics.median(values), min(values), max(values), q1, q3)


def bench_map(profile, results, log=print) -> list[dict[str, object]]:
    """Measure every page of :data:`PAGES` for each large-region size; add the timings to
    ``results`` and return the rows against the targets (time and memory)."""
    # The quick smoke run (also run by the test suite, on a clean clone without cached
    # databases) only shows that the section works: a region just above the clustering limit.
    sizes = (1_200,) if profile.quick else (5_000, 20_000)
    runs = 1 if profile.quick else 5
    targets: list[dict[str, object]] = []
    for partners in sizes:
        database = map_db(partners, log=log)
        for page in PAGES:
            label = f"kaart: {page} van {MAP_REGION}, {partners} partners (eerste bezoeker)"
            samples = []
            try:
                for _ in range(runs):
                    samples.append(_child(page, database))
            except (RuntimeError, subprocess.TimeoutExpired, ValueError) as error:
                results.notes.append(f"{label}: meting afgebroken na {len(samples)} runs ({error})")
                if not samples:
                    continue
            cold = results.add(_timing(label, [s["seconds"] for s in samples]))
            results.add(
                _timing(
                    f"  dezelfde pagina, volgende bezoeker (cache), {partners} partners",
                    [s["warm_seconds"] for s in samples],
                )
            )
            peak = _timing("rss", [s["peak_growth_mb"] for s in samples])
            kept = _timing("rss", [s["kept_growth_mb"] for s in samples])
            targets.append(
                {
                    "name": label,
                    "page": page,
                    "partners": partners,
                    "runs": len(samples),
                    "seconds": cold.as_dict(),
                    "peak_growth_mb": peak.as_dict(),
                    "kept_growth_mb": kept.as_dict(),
                    "rss_before_mb": statistics.median(s["rss_before_mb"] for s in samples),
                    "clustered": all(s["clustered"] for s in samples),
                    "target_seconds": TARGET_SECONDS,
                    "target_rss_mb": TARGET_RSS_MB,
                    "met": cold.median <= TARGET_SECONDS and peak.median <= TARGET_RSS_MB,
                }
            )
            log(
                f"  {label}: {cold.median:.2f} s (IQR {cold.iqr:.2f} s), "
                f"RSS +{peak.median:.0f} MB piek, +{kept.median:.0f} MB blijft"
            )
    return targets


if __name__ == "__main__":
    print(json.dumps(measure_page(sys.argv[1], Path(sys.argv[2]))))
