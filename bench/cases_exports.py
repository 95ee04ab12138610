"""The exports of meeting.md for a region of about 300 organisations: the one-page PDF and the
16:9 deck (target: "a few seconds"; here ≤ 5 s).

Two ways, both with median and spread: in one warm process (:func:`export_meeting`: read the
database, build the summary and the map picture, lay out the file), and the whole command as a
secretary runs it, ``python -m analysis report --format pdf|pptx --output FILE``, in a fresh
process each time (Python start and imports included).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import ROOT, TODAY, synthetic_db
from bench.harness import Timing, measure, quartiles
from ketendata import store
from ketendata.files.meeting import export_meeting
from ketendata.store import queries

__all__ = ["EXPORT_SCALE", "TARGET_SECONDS", "bench_exports"]

#: The synthetic scale that gives one region of about 300 organisations (8 shelters and their
#: partners at scale 1 are 186).
EXPORT_SCALE = 1.62

#: An export is ready within this many seconds (meeting.md: "a few seconds").
TARGET_SECONDS = 5.0

#: Fresh processes per format for the command line.
COMMAND_RUNS = 5


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command_timing(
    name: str, db: Path, region: str, output: str, runs: int
) -> tuple[Timing, float]:
    """Wall-clock timing of the command in fresh processes, and the median CPU seconds of one
    run (which another load on the machine does not inflate)."""
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"verslag.{output}"
        for _ in range(runs):
            cpu_before = _children_cpu()
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "analysis", "report", "--region", region]
                + ["--format", output, "--output", str(target), "--db", str(db)]
                + ["--today", TODAY.isoformat()],
                cwd=ROOT,
                check=True,
                capture_output=True,
                timeout=300,
            )
            times.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - cpu_before)
    q1, q3 = quartiles(times)
    timing = Timing(name, len(times), statistics.median(times), min(times), max(times), q1, q3)
    return timing, statistics.median(cpu)


def bench_exports(profile, results, log=print) -> list[dict]:
    """Time the PDF and the PPTX export of one synthetic region; returns the target rows."""
    scale = 0.5 if profile.quick else EXPORT_SCALE
    db = synthetic_db(1, scale, log=log)
    with store.reading(db) as con:
        region = queries.list_regions(con)[0]
        frames = queries.region_frames(con, region)
    organisations = len(
        {" ".join(str(n).split()).casefold() for n in frames.agreements["organisation"]}
        | {" ".join(str(n).split()).casefold() for n in frames.agreements["partner"]}
    )
    targets = []
    for output, label in (("pdf", "PDF"), ("pptx", "PPTX")):
        warm = results.add(
            measure(
                f"export {label}, {organisations} organisaties (warm proces)",
                lambda output=output: export_meeting(db, region, output, TODAY),
                budget_seconds=profile.budget,
                min_runs=profile.min_runs,
                max_runs=9,
            )
        )
        runs = 1 if profile.quick else COMMAND_RUNS
        command, cpu = _command_timing(
            f"export {label}, {organisations} organisaties (python -m analysis report, "
            "nieuw proces)",
            db,
            region,
            output,
            runs,
        )
        results.add(command)
        results.notes.append(
            f"export {label} op de opdrachtregel: mediaan {cpu:.2f} s CPU-tijd per run "
            f"(belasting van de machine bij de meting: {os.getloadavg()[0]:.1f} op "
            f"{os.cpu_count()} cores)"
        )
        for timing in (warm, command):
            targets.append(
                {
                    **timing.as_dict(),
                    "organisations": organisations,
                    "target": TARGET_SECONDS,
                    "met": timing.median <= TARGET_SECONDS,
                }
            )
    return targets
