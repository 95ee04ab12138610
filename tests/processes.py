"""Helpers for tests that need another real process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Holds the file (read-write, or read-only with "ro"), says "ok", and lets go after the given
# number of seconds (it closes the connection and says "released") or when it is killed.
_HOLD = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'ro')\n"
    "print('ok', flush=True)\n"
    "time.sleep(float(sys.argv[3]))\n"
    "con.close()\n"
    "print('released', flush=True)\n"
    "time.sleep(120)\n"
)


@contextmanager
def database_held_by_other_process(
    path: Path, *, release_after: float = 120.0, read_only: bool = False
) -> Iterator[subprocess.Popen]:
    """Keep a DuckDB file open in a second process for the block, or ``release_after`` seconds.

    Yields the holder process once it holds the file; after the release it prints "released"
    on its stdout (``holder.stdout.readline()`` waits for that).
    """
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path), "ro" if read_only else "rw", str(release_after)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        yield holder
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
