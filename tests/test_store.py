"""The DuckDB store: schema creation, migrations, locking, offline connection options."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from ketendata import store
from tests.processes import database_held_by_other_process

ROOT = Path(__file__).resolve().parents[1]


def test_open_database_creates_every_table_and_is_idempotent(tmp_path):
    path = tmp_path / "sub" / "k.duckdb"
    con = store.open_database(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION
    tables = {
        t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert set(store.CONTENT_TABLES) | {"schema_version"} <= tables
    assert store.migrate(con) == store.SCHEMA_VERSION  # nothing left to do
    assert (
        con.execute("SELECT count(*) FROM schema_version").fetchall()[0][0] == store.SCHEMA_VERSION
    )
    con.close()


def test_a_database_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "k.duckdb"
    con = store.open_database(path)
    con.execute(
        "INSERT INTO schema_version VALUES (?, current_timestamp)", [store.SCHEMA_VERSION + 1]
    )
    con.close()
    with pytest.raises(store.DatabaseError, match="Werk Ketenkaart bij"):
        store.open_database(path)


def test_connections_never_autoload_extensions(tmp_path):
    con = store.connect(tmp_path / "k.duckdb")
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name LIKE 'auto%extensions'"
        ).fetchall()
    )
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
    }
    con.close()


def test_a_file_held_by_another_process_gives_a_dutch_error_quickly(tmp_path):
    path = tmp_path / "k.duckdb"
    store.open_database(path).close()
    with database_held_by_other_process(path):
        start = time.monotonic()
        with pytest.raises(store.DatabaseBusyError, match="in gebruik door een ander programma"):
            store.connect(path, wait_seconds=0.5)
        assert time.monotonic() - start < 10
    store.connect(path).close()  # free again once the holder is gone


def test_transaction_rolls_back_on_error(tmp_path):
    con = store.open_database(tmp_path / "k.duckdb")
    with pytest.raises(ZeroDivisionError), store.transaction(con):
        con.execute("INSERT INTO regions VALUES (1, 'R', 'r', current_timestamp)")
        1 / 0  # noqa: B018
    assert con.execute("SELECT count(*) FROM regions").fetchall()[0][0] == 0
    con.close()


def test_a_file_that_is_not_a_database_gives_a_clean_error(tmp_path):
    path = tmp_path / "k.duckdb"
    path.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(store.DatabaseError):
        store.open_database(path)
    assert isinstance(duckdb.__version__, str)


def test_an_older_database_is_migrated_in_place_keeping_its_content(tmp_path):
    path = tmp_path / "oud.duckdb"
    con = store.connect(path)
    store.migrate(con, target=1)  # a file as the first release wrote it
    con.execute("INSERT INTO regions VALUES (1, 'Regio Oud', 'regio oud', current_timestamp)")
    con.close()
    con = store.open_database(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION > 1
    assert con.execute("SELECT name FROM regions").fetchall() == [("Regio Oud",)]
    assert con.execute("SELECT count(*) FROM matrix_versions").fetchall()[0][0] == 0
    con.close()
