"""The command lines under the ways people really run them: piped into `head`, and with the one
rule for "today" (``--today``, else ``KETENKAART_TODAY``, else the machine's date)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ketendata import store
from ketendata.samples.demo import demo_periods
from ketendata.settings import TodayError, resolve_today

ROOT = Path(__file__).resolve().parents[1]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETENKAART_")}
    return {**env, **extra}


def test_history_piped_into_head_ends_quietly(demo_db: Path) -> None:
    # `python -m ketendata history | head`, with a reader that is gone before the first line is
    # written (`true` reads nothing), so the write always meets a closed pipe.
    command = (
        f"{sys.executable} -m ketendata history --db {demo_db} | true; "
        'echo "status=${PIPESTATUS[0]}"'
    )
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment(),
        timeout=120,
    )
    assert result.stdout.splitlines() == ["status=0"]
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


def test_today_comes_from_the_option_then_the_environment_then_the_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KETENKAART_TODAY", raising=False)
    assert resolve_today() == date.today()
    monkeypatch.setenv("KETENKAART_TODAY", "2026-03-31")
    assert resolve_today() == date(2026, 3, 31)
    assert resolve_today("2025-01-15") == date(2025, 1, 15)
    monkeypatch.setenv("KETENKAART_TODAY", "31-03-2026")
    with pytest.raises(TodayError, match="KETENKAART_TODAY '31-03-2026' is geen datum"):
        resolve_today()


def stored_periods(path: Path) -> set[str]:
    con = store.connect(path, read_only=True)
    try:
        rows = con.execute("SELECT DISTINCT period FROM versions WHERE period IS NOT NULL")
        return {period for (period,) in rows.fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize(
    ("args", "env", "today"),
    [
        (["--today", "2025-06-30"], {}, date(2025, 6, 30)),
        ([], {"KETENKAART_TODAY": "2024-02-10"}, date(2024, 2, 10)),
        (["--today", "2025-06-30"], {"KETENKAART_TODAY": "2024-02-10"}, date(2025, 6, 30)),
    ],
)
def test_the_demo_follows_the_same_rule(
    tmp_path: Path, args: list[str], env: dict[str, str], today: date
) -> None:
    path = tmp_path / "demo.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "ketendata", "demo", "--db", str(path), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment(**env),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert stored_periods(path) == set(demo_periods(today))


def report(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--region", "Demoregio Duinrade"]
        + ["--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment(**env),
        timeout=120,
    )


def test_the_report_takes_today_from_the_environment_unless_given(
    demo_db_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "k.duckdb"
    shutil.copyfile(demo_db_template, db)
    from_env = report(db, KETENKAART_TODAY="2031-01-01")
    from_option = report(db, "--today", "2031-01-01", KETENKAART_TODAY="2026-11-24")
    today = report(db, "--today", "2026-11-24")
    assert from_env.returncode == from_option.returncode == today.returncode == 0
    assert from_env.stdout == from_option.stdout
    # Five years on, every agreement is past its evaluation window: the judgement changes.
    assert json.loads(from_env.stdout)["norms"] != json.loads(today.stdout)["norms"]


def test_a_wrong_today_is_a_dutch_message_not_a_traceback(demo_db: Path) -> None:
    bad_env = report(demo_db, KETENKAART_TODAY="morgen")
    assert bad_env.returncode == 1
    assert "KETENKAART_TODAY 'morgen' is geen datum" in bad_env.stderr
    bad_option = report(demo_db, "--today", "31-12-2026")
    assert bad_option.returncode == 2
    assert "'31-12-2026' is geen datum" in bad_option.stderr
    assert "Traceback" not in bad_env.stderr + bad_option.stderr
