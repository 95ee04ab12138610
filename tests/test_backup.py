"""A backup of the database and putting it back, through the command line as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ketendata import store
from tests.builders import csv_bytes
from tests.processes import database_held_by_other_process

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETENKAART_")}
    return subprocess.run(
        [sys.executable, "-m", "ketendata", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def content(path: Path) -> dict:
    con = store.connect(path, read_only=True)
    try:
        return store.dump_content(con)
    finally:
        con.close()


def test_backup_then_restore_brings_back_exactly_what_was_there(
    demo_db: Path, tmp_path: Path
) -> None:
    before = content(demo_db)
    made = run("backup", "--db", str(demo_db), "--out", str(tmp_path / "kopie"))
    assert made.returncode == 0, made.stderr
    (backup,) = (tmp_path / "kopie").glob("ketenkaart-*.duckdb")
    assert f"Reservekopie gemaakt: {backup}" in made.stdout

    extra = tmp_path / "extra.csv"
    extra.write_bytes(
        csv_bytes(
            [
                ["regio", "organisatie", "partner", "partnertype", "afspraaktypes", "status"],
                [
                    "Demoregio Duinrade",
                    "Opvang X",
                    "Politie X",
                    "politie",
                    "veiligheid",
                    "mondeling",
                ],
            ]
        )
    )
    assert run("import", str(extra), "--db", str(demo_db)).returncode == 0
    assert content(demo_db) != before

    restored = run("restore", str(backup), "--db", str(demo_db))
    assert restored.returncode == 0, restored.stderr
    assert content(demo_db) == before
    kept = list(tmp_path.glob("ketenkaart.voor-herstel-*.duckdb"))
    assert len(kept) == 1 and content(kept[0]) != before  # the replaced file is kept, not lost


def test_restore_refuses_a_damaged_backup_and_leaves_the_database(
    demo_db: Path, tmp_path: Path
) -> None:
    before = content(demo_db)
    damaged = tmp_path / "kapot.duckdb"
    damaged.write_bytes(demo_db.read_bytes()[:5000])
    result = run("restore", str(damaged), "--db", str(demo_db))
    assert result.returncode == 1
    assert "is beschadigd of geen database van Ketenkaart" in result.stderr
    assert "Traceback" not in result.stderr
    assert content(demo_db) == before


def test_restore_waits_for_and_then_refuses_a_database_in_use(
    demo_db: Path, tmp_path: Path
) -> None:
    made = run("backup", "--db", str(demo_db), "--out", str(tmp_path / "kopie"))
    (backup,) = (tmp_path / "kopie").glob("*.duckdb")
    assert made.returncode == 0
    with database_held_by_other_process(demo_db):
        result = run("restore", str(backup), "--db", str(demo_db))
    assert result.returncode == 1
    assert "in gebruik" in result.stderr
    assert not list(tmp_path.glob("*.voor-herstel-*"))
