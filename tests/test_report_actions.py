"""The JSON report carries ``"actions"`` (actions.md): the region's actions with status ``open``
or ``bezig``, in the ``actions list`` form, judged against that report."""

from __future__ import annotations

import json
from pathlib import Path

from ketendata import analysis_cli, cli

REGION = "Demoregio Wolkendal"
SCHOOL = [
    "--organisation",
    "Vrouwenopvang Wolkendal",
    "--partner-type",
    "onderwijs",
    "--agreement-type",
    "onderwijs",
]


def _report(db: Path, capsys, region: str = REGION) -> dict:
    code = analysis_cli.analysis_main(
        ["report", "--region", region, "--db", str(db), "--today", "2026-12-02"]
    )
    assert code == 0
    return json.loads(capsys.readouterr().out)


def test_the_report_lists_the_open_actions_with_their_gap(demo_db: Path, capsys) -> None:
    db = ["--db", str(demo_db)]
    add = ["actions", "add", "--region", REGION, *db]
    assert cli.main([*add, "--title", "Schoolafspraak", "--due", "2026-11-01", *SCHOOL]) == 0
    assert cli.main([*add, "--title", "Bezig", "--status", "bezig"]) == 0
    assert cli.main([*add, "--title", "Klaar", "--status", "gereed"]) == 0
    assert cli.main([*add, "--title", "Vervallen", "--status", "vervallen"]) == 0
    capsys.readouterr()
    assert cli.main(["actions", "list", "--region", REGION, "--format", "json", *db]) == 0
    listed = json.loads(capsys.readouterr().out)
    report = _report(demo_db, capsys)
    assert [a["title"] for a in report["actions"]] == ["Schoolafspraak", "Bezig"]
    assert report["actions"] == [a for a in listed if a["status"] in ("open", "bezig")]
    school = report["actions"][0]
    assert (school["overdue"], school["gap_open"]) == (True, True)
    assert report["actions"][1]["gap_open"] is None  # no link
    assert _report(demo_db, capsys, "Demoregio Duinrade")["actions"] == []
