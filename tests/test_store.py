"""The DuckDB store: schema creation, migrations, locking, offline connection options."""

from __future__ import annotations

import threading
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


# --- Short sessions: reading / writing --------------------------------------------------------


def _regions(path: Path) -> list[str]:
    with store.reading(path) as con:
        return [name for (name,) in con.execute("SELECT name FROM regions").fetchall()]


def _add_region(path: Path, name: str) -> None:
    with store.writing(path) as con:
        new_id = store.next_id(con, "regions")
        con.execute(
            "INSERT INTO regions VALUES (?, ?, ?, current_timestamp)", [new_id, name, name.lower()]
        )


def test_reading_a_fresh_path_creates_the_database_and_reads_read_only(tmp_path):
    path = tmp_path / "nieuw" / "k.duckdb"
    with store.reading(path) as con:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("INSERT INTO regions VALUES (1, 'R', 'r', current_timestamp)")
    assert path.is_file()


def test_reading_migrates_an_older_file_first(tmp_path):
    path = tmp_path / "oud.duckdb"
    con = store.connect(path)
    store.migrate(con, target=1)
    con.execute("INSERT INTO regions VALUES (1, 'Regio Oud', 'regio oud', current_timestamp)")
    con.close()
    with store.reading(path) as con:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM matrix_versions").fetchall() == [(0,)]
    assert _regions(path) == ["Regio Oud"]


def test_reading_refuses_a_database_from_a_newer_release(tmp_path):
    path = tmp_path / "k.duckdb"
    _add_region(path, "Regio A")
    con = store.connect(path)
    con.execute(
        "INSERT INTO schema_version VALUES (?, current_timestamp)", [store.SCHEMA_VERSION + 1]
    )
    con.close()
    with pytest.raises(store.DatabaseError, match="Werk Ketenkaart bij"):
        _regions(path)


def test_a_session_lets_go_of_the_file_when_it_ends(tmp_path):
    path = tmp_path / "k.duckdb"
    _add_region(path, "Regio A")
    assert _regions(path) == ["Regio A"]
    # Another process can take the file read-write at once: neither session kept it.
    with database_held_by_other_process(path) as holder:
        assert holder.poll() is None


def test_readers_in_other_processes_share_the_file_but_keep_writers_out(tmp_path):
    path = tmp_path / "k.duckdb"
    _add_region(path, "Regio A")
    with database_held_by_other_process(path, read_only=True):
        assert _regions(path) == ["Regio A"]  # no waiting: read-only openings share the file
        with pytest.raises(store.DatabaseBusyError):
            _add_region(path, "Regio B")


def test_a_read_waits_for_another_process_and_succeeds_once_it_lets_go(tmp_path):
    path = tmp_path / "k.duckdb"
    _add_region(path, "Regio A")
    with database_held_by_other_process(path, release_after=1.0) as holder:
        with store.reading(path, wait_seconds=60) as con:
            regions = con.execute("SELECT name FROM regions").fetchall()
        # The read began while the file was held, so it can only have succeeded after this:
        assert holder.stdout.readline().strip() == "released"
    assert regions == [("Regio A",)]


def test_a_read_held_up_too_long_gives_a_dutch_busy_error_in_bounded_time(tmp_path):
    path = tmp_path / "k.duckdb"
    _add_region(path, "Regio A")
    with database_held_by_other_process(path):
        start = time.monotonic()
        with pytest.raises(store.DatabaseBusyError) as caught:
            _regions_waiting(path, 0.5)
        elapsed = time.monotonic() - start
    message = str(caught.value)
    assert "in gebruik door een ander programma" in message
    assert "Wacht even en probeer het opnieuw" in message
    assert elapsed < 10  # bounded: it gives up instead of hanging


def _regions_waiting(path: Path, seconds: float) -> list[tuple]:
    with store.reading(path, wait_seconds=seconds) as con:
        return con.execute("SELECT name FROM regions").fetchall()


def test_in_one_process_a_write_waits_for_a_read_in_another_thread(tmp_path):
    path = tmp_path / "k.duckdb"
    _add_region(path, "Regio A")
    reading_started, events = threading.Event(), []

    def read_for_a_moment() -> None:
        with store.reading(path) as con:
            reading_started.set()
            time.sleep(0.3)
            events.append(("gelezen", con.execute("SELECT count(*) FROM regions").fetchall()))

    reader = threading.Thread(target=read_for_a_moment)
    reader.start()
    reading_started.wait(10)
    # DuckDB refuses a read-write connection beside a read-only one in the same process; the
    # write queues behind the read instead of failing.
    _add_region(path, "Regio B")
    events.append(("geschreven", None))
    reader.join()
    assert events == [("gelezen", [(1,)]), ("geschreven", None)]
    assert _regions(path) == ["Regio A", "Regio B"]


def test_writes_from_several_threads_of_one_process_take_turns(tmp_path):
    path = tmp_path / "k.duckdb"
    _add_region(path, "Regio 0")
    errors: list[Exception] = []

    def add(number: int) -> None:
        try:
            _add_region(path, f"Regio {number}")
        except Exception as error:  # collected: the assertion below names it
            errors.append(error)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(1, 6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(_regions(path)) == [f"Regio {n}" for n in range(6)]
