"""The state of a region at a moment T (changes.md): imports up to T, undos up to T, the matrix
of T; the current data is that state at "now". Real imports into a real DuckDB file, with the
clock given through the importers' ``now``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ketendata import importers, store
from ketendata.store import queries
from tests.builders import csv_bytes, valid_rows

REGION = "Regio Noord"
T1 = datetime(2026, 9, 1, 10, 0)
T2 = datetime(2026, 10, 1, 10, 0)
T3 = datetime(2026, 11, 1, 10, 0)


def _inventory(*partners: str) -> bytes:
    header, first = valid_rows("afspraken")[:2]
    partner = header.index("partner")
    rows = [header]
    for name in partners:
        row = list(first)
        row[partner] = name
        rows.append(row)
    return csv_bytes(rows)


def _partners(con, at: datetime | None) -> list[str]:
    return sorted(queries.region_frames(con, REGION, at).agreements["partner"])


@pytest.fixture
def two_moments(tmp_path: Path) -> Path:
    """An inventory at T1, replaced at T2 (one partner more), the T2 import undone at T3."""
    path = tmp_path / "ketenkaart.duckdb"
    with store.writing(path) as con:
        importers.import_file(
            con, _inventory("Veilig Thuis Noord"), "a.csv", new_region=True, now=T1
        )
        second = importers.import_file(
            con, _inventory("Veilig Thuis Noord", "GGZ Noord"), "b.csv", now=T2
        )
        importers.undo_import(con, second.import_id, now=T3)
    return path


def test_each_moment_sees_the_imports_and_undos_up_to_it(two_moments: Path) -> None:
    with store.reading(two_moments) as con:
        assert _partners(con, datetime(2026, 8, 31)) == []  # before anything
        assert _partners(con, T1) == ["Veilig Thuis Noord"]  # imported_at <= T counts
        assert _partners(con, T2) == ["GGZ Noord", "Veilig Thuis Noord"]
        # undone after this moment: still counts at it
        assert _partners(con, datetime(2026, 10, 31)) == ["GGZ Noord", "Veilig Thuis Noord"]
        assert _partners(con, T3) == ["Veilig Thuis Noord"]  # undone at T: no longer
        now = queries.region_frames(con, REGION)
        assert now.agreements.equals(queries.region_frames(con, REGION, T3).agreements)


def test_the_matrix_of_a_moment(two_moments: Path) -> None:
    matrix = csv_bytes(
        [
            ["partnertype", "afspraaktype", "norm", "kindspecifiek_vereist"],
            ["veilig_thuis", "meldcode", "4.3", "ja"],
        ]
    )
    with store.writing(two_moments) as con:
        importers.import_matrix(con, matrix, "matrix.csv", REGION, now=T2)
        importers.use_default_matrix(con, REGION, now=T3)
    with store.reading(two_moments) as con:
        default = queries.region_matrix(con, REGION, T1)
        assert len(default) > 1
        assert list(queries.region_matrix(con, REGION, T2)["agreement_type"]) == ["meldcode"]
        assert queries.region_matrix(con, REGION, T3).equals(default)
        assert queries.region_matrix(con, REGION).equals(default)
