"""Helpers for tests that need another real process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOLD = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('ok', flush=True)\n"
    "time.sleep(120)\n"
)


@contextmanager
def database_held_by_other_process(path: Path) -> Iterator[None]:
    """Keep a DuckDB file open read-write in a second process for the duration of the block."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        yield
    finally:
        holder.kill()
        holder.wait()
