"""The synthetic national data (``ketendata.samples.synth``) and the benchmark's quick smoke run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from analysis import codes
from analysis.report import build_report
from ketendata import store
from ketendata.samples import synth
from ketendata.store import queries

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 5, 20)
SCALES = (0.25, 0.5)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[float, tuple[Path, synth.SynthResult]]:
    """Two regions at each scale, each in its own database file."""
    out = {}
    for scale in SCALES:
        path = tmp_path_factory.mktemp("synth") / f"s{scale}.duckdb"
        con = store.open_database(path)
        try:
            result = synth.load_synthetic(con, regions=2, scale=scale, seed=3, today=TODAY)
        finally:
            con.close()
        out[scale] = (path, result)
    return out


def overview(path: Path):
    con = store.connect(path, read_only=True)
    try:
        return queries.region_overview(con)
    finally:
        con.close()


@pytest.mark.parametrize("scale", SCALES)
def test_each_region_holds_the_promised_size_and_twelve_quarters(loaded, scale) -> None:
    path, result = loaded[scale]
    frame = overview(path)
    assert list(frame["regio"]) == ["Synthregio 01", "Synthregio 02"]
    for _, row in frame.iterrows():
        # 186 organisations and 930 agreement rows per region at scale 1
        assert row["organisaties"] == pytest.approx(186 * scale, rel=0.1)
        assert row["afspraakrijen"] == round(930 * scale)
        assert row["periodes_overdracht"] == 12
        assert row["periodes_stagnatie"] == 12
    assert result.agreement_rows == frame["afspraakrijen"].sum()
    assert result.quarters == 12


def test_the_size_grows_in_proportion_to_the_scale(loaded) -> None:
    small, large = (overview(loaded[s][0]) for s in SCALES)
    for column in ("organisaties", "afspraakrijen"):
        assert large[column].sum() / small[column].sum() == pytest.approx(2, rel=0.12)
    small_result, large_result = loaded[SCALES[0]][1], loaded[SCALES[1]][1]
    assert large_result.handover_rows / small_result.handover_rows == pytest.approx(2, rel=0.12)


def test_the_mix_has_every_partner_type_status_and_multi_party_agreements(loaded) -> None:
    con = store.connect(loaded[0.5][0], read_only=True)
    try:
        for region in queries.list_regions(con):
            agreements = queries.current_agreements(con, region)
            types = set(agreements["partner_type"]) | set(agreements["organisation_type"])
            assert types == set(codes.PARTNER_TYPES)
            assert set(codes.SHELTER_TYPES) <= set(agreements["organisation_type"])
            assert set(agreements["status"]) == set(codes.STATUSES)
            assert set(agreements["level"]) == set(codes.LEVELS)
            assert any(d is not None and d < TODAY for d in agreements["end_date"])
            shared = Counter(
                zip(agreements["organisation"], agreements["agreement_id"], strict=True)
            )
            assert max(shared.values()) >= 4  # a regional covenant: one id, several partners
    finally:
        con.close()


def test_every_region_report_builds_with_the_latest_quarter(loaded) -> None:
    con = store.connect(loaded[0.25][0], read_only=True)
    try:
        for region in queries.list_regions(con):
            frames = queries.region_frames(con, region)
            report = build_report(
                region,
                frames.agreements,
                frames.handovers,
                frames.stagnation,
                frames.matrix,
                TODAY,
            )
            assert report["periods"] == {"handovers": "2026-Q1", "stagnation": "2026-Q1"}
            assert report["network"]["organisations"] > 40
            statuses = {f["status"] for f in report["norms"]["findings"]}
            assert statuses == {"met", "partial", "missing"}
            assert report["stagnation"]
    finally:
        con.close()


def test_loading_again_stores_nothing_new(loaded, tmp_path) -> None:
    path, first = loaded[0.25]
    con = store.open_database(path)
    try:
        before = store.fetch_value(con, "SELECT count(*) FROM imports")
        again = synth.load_synthetic(con, regions=2, scale=0.25, seed=3, today=TODAY)
        assert store.fetch_value(con, "SELECT count(*) FROM imports") == before
    finally:
        con.close()
    assert again.agreement_rows == first.agreement_rows


def test_a_region_is_the_same_whatever_else_is_loaded() -> None:
    one = synth.region_files(2, scale=0.1, seed=5, today=TODAY)
    assert one == synth.region_files(2, scale=0.1, seed=5, today=TODAY)
    assert one != synth.region_files(2, scale=0.1, seed=6, today=TODAY)
    assert [name for name, _ in one] == [
        "synthregio_02_afspraken.csv",
        "synthregio_02_overdrachten.csv",
        "synthregio_02_stagnatie.csv",
    ]


@pytest.mark.parametrize("rows", [1, 250])
def test_inventory_rows_gives_exactly_the_rows_asked(rows) -> None:
    table = synth.inventory_rows(rows, today=TODAY)
    assert len(table) == rows + 1
    assert table[0][0] == "regio"


def test_the_command_line_loads_and_says_so_in_dutch(tmp_path) -> None:
    db = tmp_path / "synth.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "ketendata", "synth", "--regions", "1", "--scale", "0.1"]
        + ["--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Fictieve landelijke gegevens geladen: 1 regio's" in done.stdout
    assert list(overview(db)["regio"]) == ["Synthregio 01"]


def test_the_quick_benchmark_runs_end_to_end(tmp_path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    names = [t["name"] for t in results["timings"]]
    assert any(name.startswith("import ") for name in names)
    assert any(name.startswith("pagina ") for name in names)
    assert {r["name"] for r in results["ratios"]} >= {"regiorapport landelijk / één regio"}
    assert len(results["slopes"]) == 2
    assert all(
        t["median"] > 0 and t["minimum"] <= t["median"] <= t["maximum"] for t in results["timings"]
    )
    assert "| meting |" in done.stdout
