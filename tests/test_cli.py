"""The command line as a user runs it: real processes, real files, exit codes and Dutch output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import csv_bytes
from tests.processes import database_held_by_other_process

ROOT = Path(__file__).resolve().parents[1]

HEADER = ["regio", "organisatie", "partner", "partnertype", "afspraaktypes", "status"]
POLICE_ROW = [
    "Regio Noord",
    "Opvang Noord",
    "Politie Noord",
    "politie",
    "veiligheid",
    "schriftelijk",
]


def run(*args: str, db: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("KETENKAART_DB", None)
    if env and "KETENKAART_DB" in env:
        full_env["KETENKAART_DB"] = env["KETENKAART_DB"]
    command = [sys.executable, "-m", *args]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=full_env, timeout=120
    )


def test_init_is_idempotent(tmp_path):
    db = tmp_path / "k.duckdb"
    first = run("ketendata", "init", db=db)
    second = run("ketendata", "init", db=db)
    assert first.returncode == second.returncode == 0
    assert "aangemaakt" in first.stdout and "bestond al" in second.stdout


def test_database_path_from_environment(tmp_path):
    db = tmp_path / "env.duckdb"
    result = run("ketendata", "init", db=None, env={"KETENKAART_DB": str(db)})
    assert result.returncode == 0 and db.exists()


def test_import_ok_prints_one_summary_line(tmp_path):
    db = tmp_path / "k.duckdb"
    file = tmp_path / "noord.csv"
    file.write_bytes(csv_bytes([HEADER, POLICE_ROW]))
    result = run("ketendata", "import", str(file), "--new-region", db=db)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    assert "geïmporteerd als import 1" in result.stdout
    again = run("ketendata", "import", str(file), db=db)
    assert again.returncode == 0 and "niets nieuws" in again.stdout
    history = run("ketendata", "history", db=db)
    assert "noord.csv" in history.stdout
    undo = run("ketendata", "undo", "1", db=db)
    assert undo.returncode == 0 and "ongedaan" in undo.stdout
    undo_again = run("ketendata", "undo", "1", db=db)
    assert undo_again.returncode == 1 and "al ongedaan" in undo_again.stderr


def test_rejected_file_lists_every_problem_and_exits_1(tmp_path):
    db = tmp_path / "k.duckdb"
    file = tmp_path / "fout.csv"
    file.write_bytes(
        csv_bytes(
            [
                HEADER,
                [
                    "Regio Noord",
                    "Opvang Noord",
                    "Politie Noord",
                    "ruimteschip",
                    "veiligheid",
                    "schriftelijk",
                ],
                [
                    "Regio Noord",
                    "Opvang Noord",
                    "Politie Noord",
                    "politie",
                    "veiligheid",
                    "misschien",
                ],
            ]
        )
    )
    result = run("ketendata", "import", str(file), "--new-region", db=db)
    assert result.returncode == 1
    assert "rij 2, kolom 'partnertype'" in result.stderr
    assert "rij 3, kolom 'status'" in result.stderr
    assert "Traceback" not in result.stderr
    assert "niets opgeslagen" in result.stderr


def test_bad_cells_and_an_unknown_region_are_named_in_one_run(tmp_path):
    db = tmp_path / "k.duckdb"
    known = tmp_path / "noord.csv"
    known.write_bytes(csv_bytes([HEADER, POLICE_ROW]))
    assert run("ketendata", "import", str(known), "--new-region", db=db).returncode == 0
    before = run("ketendata", "history", db=db).stdout
    file = tmp_path / "fout.csv"
    bad_status = ["Regio Nord", *POLICE_ROW[1:5], "misschien"]
    file.write_bytes(csv_bytes([HEADER, bad_status]))
    result = run("ketendata", "import", str(file), db=db)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "'fout.csv' is niet geïmporteerd: 2 problemen."
    assert lines[1].startswith("- rij 2, kolom 'status': onbekende status (waarde 'misschien')")
    assert lines[2].startswith(
        "- rij 2, kolom 'regio': onbekende regio (waarde 'Regio Nord'); bedoelt u 'Regio Noord'?"
    )
    assert "niets opgeslagen" in lines[-1] and "Traceback" not in result.stderr
    assert run("ketendata", "history", db=db).stdout == before


def test_one_problem_is_counted_in_the_singular(tmp_path):
    file = tmp_path / "fout.csv"
    file.write_bytes(csv_bytes([HEADER, [*POLICE_ROW[:5], "misschien"]]))
    result = run("ketendata", "import", str(file), "--new-region", db=tmp_path / "k.duckdb")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "'fout.csv' is niet geïmporteerd: 1 probleem."


def test_unknown_region_without_new_region_exits_1(tmp_path):
    db = tmp_path / "k.duckdb"
    file = tmp_path / "a.csv"
    file.write_bytes(csv_bytes([HEADER, POLICE_ROW]))
    result = run("ketendata", "import", str(file), db=db)
    assert result.returncode == 1 and "onbekende regio" in result.stderr


@pytest.mark.parametrize(
    "args, expected",
    [
        (("import", "bestaat-niet.csv"), "niet gevonden"),
        (("undo", "12"), "bestaat niet"),
    ],
)
def test_user_errors_are_dutch_without_traceback(tmp_path, args, expected):
    result = run("ketendata", *args, db=tmp_path / "k.duckdb")
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_busy_database_exits_nonzero_in_dutch(tmp_path):
    db = tmp_path / "k.duckdb"
    run("ketendata", "init", db=db)
    with database_held_by_other_process(db):
        result = run("ketendata", "init", db=db)
    assert result.returncode == 1
    assert "in gebruik" in result.stderr and "Traceback" not in result.stderr


def test_template_writes_an_xlsx(tmp_path):
    out = tmp_path / "sjabloon.xlsx"
    result = run("ketendata", "template", "afspraken", "--out", str(out), db=None)
    assert result.returncode == 0 and out.read_bytes()[:2] == b"PK"


def test_matrix_command_sets_and_resets_a_region_matrix(tmp_path):
    db = tmp_path / "k.duckdb"
    inventory = tmp_path / "a.csv"
    inventory.write_bytes(csv_bytes([HEADER, POLICE_ROW]))
    assert run("ketendata", "import", str(inventory), "--new-region", db=db).returncode == 0
    matrix = tmp_path / "matrix.csv"
    matrix.write_bytes(
        csv_bytes(
            [
                ["partnertype", "afspraaktype", "norm", "kind"],
                ["politie", "veiligheid", "4.2b", "nee"],
            ]
        )
    )
    own = run("ketendata", "matrix", str(matrix), "--region", "Regio Noord", db=db)
    assert own.returncode == 0 and "met 1 eis." in own.stdout
    reset = run("ketendata", "matrix", "--region", "Regio Noord", "--default", db=db)
    assert reset.returncode == 0 and "standaard" in reset.stdout
    neither = run("ketendata", "matrix", "--region", "Regio Noord", db=db)
    assert neither.returncode == 1 and "Traceback" not in neither.stderr
