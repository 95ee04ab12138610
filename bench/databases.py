"""Synthetic databases for the benchmark, built once and cached under ``bench/work``.

A cached file is keyed by (regions, scale, seed, code version): the code version is a hash of
the generator, the importer and the schema, so a change there builds the database anew.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ketendata import store
from ketendata.samples import synth

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(__file__).resolve().parent / "work"

#: The fixed "today" of every benchmark database and report.
TODAY = date(2026, 10, 1)

SEED = 1

_CODE_FILES = (
    "ketendata/samples/synth.py",
    "ketendata/importers.py",
    "ketendata/store/writes.py",
    "ketendata/intake/validation.py",
    "ketendata/intake/parsers.py",
)


def code_version() -> str:
    """A short hash of the code that decides a synthetic database's content."""
    digest = hashlib.sha256(str(store.SCHEMA_VERSION).encode())
    for name in _CODE_FILES:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:10]


def cached_database(name: str, build: Callable[[object], object]) -> Path:
    """``bench/work/NAME_<code version>.duckdb``, made by ``build(con)`` when it is missing.

    It is built under another name and renamed when complete, so an interrupted build never
    passes for a finished database (its leftovers are removed on the next try).
    """
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"{name}_{code_version()}.duckdb"
    if path.exists():
        return path
    partial = path.with_suffix(".building")
    for leftover in (partial, Path(str(partial) + ".wal")):
        if leftover.exists():
            leftover.unlink()
    con = store.open_database(partial)
    try:
        build(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(partial, path)
    return path


def synthetic_db(regions: int, scale: float, *, seed: int = SEED, log=print) -> Path:
    """The path of a database with ``regions`` synthetic regions at ``scale``, built if needed."""

    def build(con) -> None:
        log(f"  database opbouwen: {regions} regio's, schaal {scale:g} ...")
        result = synth.load_synthetic(con, regions=regions, scale=scale, seed=seed, today=TODAY)
        log(f"  {result.message}")

    return cached_database(f"synth_r{regions}_s{scale:g}_seed{seed}", build)


def national_inventory(
    rows: int = 40_000, regions: int = 43, *, seed: int = SEED
) -> list[list[object]]:
    """A header and exactly ``rows`` agreement rows spread evenly over ``regions`` synthetic
    regions: one inventory file for the whole country, as a national body would upload it.

    The regions write their dates as they do in :mod:`ketendata.samples.synth` (ISO or Dutch).
    """
    share = -(-rows // regions)  # rows per region, rounded up
    scale = share / synth.AGREEMENT_ROWS_PER_REGION * 1.05
    table: list[list[object]] = []
    for number in range(1, regions + 1):
        agreements = synth.region_tables(number, scale, seed, TODAY).afspraken
        wanted = rows // regions + (1 if number <= rows % regions else 0)
        if len(agreements) - 1 < wanted:
            raise ValueError(f"region {number} has {len(agreements) - 1} rows, {wanted} wanted")
        table += (agreements[:1] if number == 1 else []) + agreements[1 : wanted + 1]
    return table
