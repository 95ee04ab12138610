"""Every migration upgrades a database file made by the previous release, in place, keeping its
content.

``tests/data/release-4.duckdb.gz`` was written by the release with schema version 4 (commit
c2bb2f9): ``python -m ketendata demo`` with KETENKAART_TODAY=2026-11-30, then an own matrix for
Demoregio Duinrade (two requirements) and ``undo 27``. ``release-5.duckdb.gz`` is the same
made by the schema-5 release (commit a8cfd5d), plus ``meeting --region "Demoregio Meerhaven"
--at 2026-11-17T13:30``. Keep each release's file: every later migration is tested on all.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from ketendata import store

RELEASES = Path(__file__).parent / "data"

#: The content tables of the schema-4 release.
RELEASE_4_TABLES = (
    "regions",
    "organisations",
    "imports",
    "undos",
    "versions",
    "agreement_rows",
    "handover_rows",
    "stagnation_rows",
    "matrix_versions",
    "matrix_rows",
    "redactions",
)


#: The content tables of each release's file.
RELEASE_TABLES = {
    4: RELEASE_4_TABLES,
    5: (*RELEASE_4_TABLES, "actions", "action_versions", "meetings"),
}


def _unpack(tmp_path: Path, release: int) -> Path:
    path = tmp_path / "ketenkaart.duckdb"
    with gzip.open(RELEASES / f"release-{release}.duckdb.gz") as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


@pytest.fixture
def release_4_file(tmp_path: Path) -> Path:
    return _unpack(tmp_path, 4)


@pytest.mark.parametrize("release", sorted(RELEASE_TABLES))
def test_every_release_file_is_migrated_keeping_every_row(tmp_path: Path, release: int) -> None:
    path = _unpack(tmp_path, release)
    tables = RELEASE_TABLES[release]
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (release,)
        before = _content(con, tables)
    finally:
        con.close()
    con = store.open_database(path)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert _content(con, tables) == before
    finally:
        con.close()
    if release >= 5:
        assert len(before["meetings"]) == 1


def _content(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> dict[str, list]:
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def test_the_release_4_file_is_what_it_says(release_4_file: Path) -> None:
    con = duckdb.connect(str(release_4_file), read_only=True)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (4,)
        assert con.execute("SELECT count(*) FROM imports").fetchone() == (27,)
        assert con.execute("SELECT import_id FROM undos").fetchall() == [(27,)]
    finally:
        con.close()


def test_migrating_the_release_4_file_keeps_every_row(release_4_file: Path) -> None:
    con = duckdb.connect(str(release_4_file), read_only=True)
    before = _content(con, RELEASE_4_TABLES)
    con.close()
    con = store.open_database(release_4_file)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert _content(con, RELEASE_4_TABLES) == before
        for table in set(store.CONTENT_TABLES) - set(RELEASE_4_TABLES):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
        assert store.migrate(con) == store.SCHEMA_VERSION  # nothing left to do
    finally:
        con.close()


def test_the_migrated_file_is_read_as_before(release_4_file: Path) -> None:
    from ketendata.store import queries

    con = duckdb.connect(str(release_4_file), read_only=True)
    try:
        old = {r: queries.region_frames(con, r) for r in queries.list_regions(con)}
    finally:
        con.close()
    with store.reading(release_4_file) as con:  # migrates first
        assert store.schema_version(con) == store.SCHEMA_VERSION
        for region, frames in old.items():
            new = queries.region_frames(con, region)
            assert new.agreements.equals(frames.agreements)
            assert new.handovers.equals(frames.handovers)
            assert new.stagnation.equals(frames.stagnation)
            assert new.matrix.equals(frames.matrix)
    assert len(old["Demoregio Duinrade"].matrix) == 2
