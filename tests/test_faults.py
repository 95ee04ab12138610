"""Faults with guidance: a damaged or truncated database file and a full disk give a Dutch
message that says what happened and what to do, in the command line and on every page; never
a traceback, and a full disk leaves the data that was there intact."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ketendata import store
from ketendata.store.connection import DatabaseDamagedError, DiskFullError
from ketendata.store.schema import dump_content
from tests.conftest import TODAY, app_on

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
REGION = "Demoregio Wolkendal"
PAGES = [
    "pages/overview.py",
    "pages/network_map.py",
    "pages/norms.py",
    "pages/handovers.py",
    "pages/stagnation.py",
    "pages/comparison.py",
    "pages/data.py",
]
DAMAGED = "beschadigd of onvolledig"
FULL = "is vol"


def _truncated(good: bytes) -> bytes:
    # an interrupted copy: the header and the first blocks only
    return good[:100_000]


def _overwritten_blocks(good: bytes) -> bytes:
    # zeroes over part of every data block after the header: what a failing disk leaves
    damaged = bytearray(good)
    for start in range(300_000, len(damaged), 4096):
        damaged[start : start + 64] = bytes(64)
    return bytes(damaged)


def _not_a_database(good: bytes) -> bytes:
    return b"Dit is geen database, maar een tekst die iemand per ongeluk zo noemde.\n" * 60


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "afgekapt": _truncated,
    "blokken overschreven": _overwritten_blocks,
    "geen database": _not_a_database,
}


@pytest.fixture(params=sorted(DAMAGES))
def damaged_db(request, demo_db_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "beschadigd.duckdb"
    path.write_bytes(DAMAGES[request.param](demo_db_template.read_bytes()))
    return path


def _run(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, KETENKAART_TODAY=TODAY.isoformat()),
        timeout=120,
    )


def _inventory(region: str = REGION, rows: int = 1) -> bytes:
    lines = ["regio;organisatie;organisatietype;partner;partnertype;afspraaktypes;status"]
    lines += [
        f"{region};Vrouwenopvang Wolkendal;vrouwenopvang;Huisarts {i};huisarts;"
        "informatie_uitwisseling;schriftelijk"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_the_store_names_a_damaged_file(damaged_db: Path) -> None:
    with pytest.raises(DatabaseDamagedError) as raised, store.reading(damaged_db) as con:
        dump_content(con)
    assert "make restore" in str(raised.value)


@pytest.mark.parametrize(
    "command",
    [
        ("ketendata", "history"),
        ("analysis", "report", "--region", REGION),
        ("ketendata", "undo", "1"),
    ],
    ids=lambda command: command[1],
)
def test_the_command_line_explains_a_damaged_file(damaged_db: Path, command) -> None:
    before = damaged_db.read_bytes()
    done = _run(*command, db=damaged_db)
    assert done.returncode == 1
    assert DAMAGED in done.stderr and "reservekopie" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert damaged_db.read_bytes() == before  # nothing written to it


@pytest.fixture
def damaged_app(damaged_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    with app_on(damaged_db, monkeypatch) as path:
        yield path


@pytest.mark.parametrize("page", PAGES)
def test_every_page_explains_a_damaged_file(damaged_app: Path, page: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["regio"] = REGION
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any(DAMAGED in e and "make restore" in e for e in errors), errors


# --- A full disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of its own (the machine must allow mounting; CI runs as root)."""
    folder = tmp_path / f"schijf-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"kan hier geen tmpfs aankoppelen: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the disk until about ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free
    with (folder / "vulling.bin").open("wb") as out:
        out.write(bytes(max(free - leave, 0)))


@pytest.fixture
def full_db(small_disk: Path, demo_db_template: Path) -> Path:
    path = small_disk / "ketenkaart.duckdb"
    shutil.copyfile(demo_db_template, path)
    _fill(small_disk, leave=64 * 1024)
    return path


def _content(path: Path) -> dict:
    with store.reading(path) as con:
        return dump_content(con)


def test_an_import_on_a_full_disk_is_explained_and_keeps_the_data(
    full_db: Path, tmp_path: Path
) -> None:
    before = _content(full_db)
    upload = tmp_path / "groot.csv"
    upload.write_bytes(_inventory(rows=20_000))
    done = _run("ketendata", "import", str(upload), db=full_db)
    assert done.returncode == 1
    assert FULL in done.stderr and "ruimte vrij" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    (full_db.parent / "vulling.bin").unlink()  # space again: the data is as it was
    assert _content(full_db) == before


def test_the_store_names_a_full_disk(full_db: Path) -> None:
    with pytest.raises(DiskFullError), store.writing(full_db) as con:
        con.execute(
            "CREATE TABLE vol AS SELECT range AS n, repeat('x', 200) AS t FROM range(500000)"
        )
        con.execute("CHECKPOINT")


@pytest.fixture
def full_app(full_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    with app_on(full_db, monkeypatch) as path:
        yield path


def test_the_gegevens_page_explains_a_full_disk(full_app: Path) -> None:
    full_db = full_app
    before = _content(full_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["regio"] = REGION
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="upload").set_value(
        ("groot.csv", _inventory(rows=20_000), "text/csv")
    ).run()
    at.button(key="importeren").click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any(FULL in e and "ruimte vrij" in e for e in errors), errors
    st.cache_data.clear()
    (full_db.parent / "vulling.bin").unlink()
    assert _content(full_db) == before
