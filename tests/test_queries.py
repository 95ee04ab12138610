"""Reading current data back: one region at a time and all regions at once give the same frames."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ketendata import store
from ketendata.importers import import_matrix
from ketendata.samples.demo import DEMO_REGIONS, load_demo
from ketendata.store import queries
from tests.builders import csv_bytes


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = store.open_database(tmp_path_factory.mktemp("q") / "k.duckdb")
    load_demo(connection, today=date(2026, 11, 24))
    matrix = csv_bytes(
        [["partnertype", "afspraaktype", "norm", "kind"], ["politie", "veiligheid", "4.2b", "nee"]]
    )
    import_matrix(connection, matrix, "matrix.csv", DEMO_REGIONS[1])
    yield connection
    connection.close()


def test_all_regions_at_once_equal_each_region_on_its_own(con):
    together = queries.all_region_frames(con)
    assert list(together) == queries.list_regions(con) == sorted(DEMO_REGIONS)
    for name, frames in together.items():
        alone = queries.region_frames(con, name)
        for part in ("agreements", "handovers", "stagnation", "matrix"):
            pd.testing.assert_frame_equal(getattr(frames, part), getattr(alone, part))
    assert len(together[DEMO_REGIONS[1]].matrix) == 1  # its own matrix
    assert len(together[DEMO_REGIONS[0]].matrix) == 29  # the default


def test_region_names_match_like_organisation_names(con):
    assert queries.find_region(con, "  demoregio   WOLKENDAL ") == "Demoregio Wolkendal"
    assert queries.find_region(con, "Demoregio Nergens") is None


def test_region_overview_counts_each_demo_region(con):
    overview = queries.region_overview(con).set_index("regio")
    assert set(overview.index) == set(DEMO_REGIONS)
    assert (overview["periodes_overdracht"] == 4).all()
    assert (overview["periodes_stagnatie"] == 4).all()
    assert (overview["organisaties"] >= 27).all()


def test_unknown_region_gives_empty_frames_and_the_default_matrix(con):
    frames = queries.region_frames(con, "Regio Onbekend")
    assert frames.agreements.empty and frames.handovers.empty and frames.stagnation.empty
    assert len(frames.matrix) == 29
