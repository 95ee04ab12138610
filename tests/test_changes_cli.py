"""``python -m analysis changes`` (changes.md), run in-process through ``analysis_main``: JSON
and memo, the state "now" judged with the analysis date, usage errors in Dutch with exit 2,
and a database that is read, never written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ketendata.analysis_cli import analysis_main
from tests.test_changes import REGION, database  # noqa: F401  (the fixture)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = analysis_main(["changes", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_between_two_moments(database: Path, capsys) -> None:  # noqa: F811
    code, out, err = _run(
        capsys,
        "--region",
        "regio noord",
        "--since",
        "2026-09-30",
        "--until",
        "2026-12-02T12:00",
        "--db",
        str(database),
    )
    assert (code, err) == (0, "")
    changes = json.loads(out)
    assert changes["schema"] == "ketenkaart.changes/1"
    assert changes["region"] == REGION
    assert (changes["since"], changes["until"]) == ("2026-09-30T23:59:59", "2026-12-02T12:00:00")
    assert [e["why"] for e in changes["agreements"]["ended"]] == [
        "niet_meer_opgegeven",
        "beeindigd",
        "einddatum",
    ]
    assert list(changes) == [
        "schema",
        "region",
        "since",
        "until",
        "imports",
        "agreements",
        "findings",
        "coverage",
        "partner_types_missing",
        "handovers",
        "stagnation",
    ]


def test_now_is_judged_with_the_analysis_date(database: Path, capsys, monkeypatch) -> None:  # noqa: F811
    argv = ("--region", REGION, "--since", "2026-09-30", "--db", str(database))
    # the evaluation of 10-10-2024 is inside the window on 2026-10-01, outside on 2026-12-02
    monkeypatch.setenv("KETENKAART_TODAY", "2026-10-01")
    inside = json.loads(_run(capsys, *argv)[1])
    _, out, _ = _run(capsys, *argv, "--today", "2026-12-02")
    outside = json.loads(out)

    def meldcode(changes: dict) -> list:
        return [
            (f["before"], f["after"])
            for f in changes["findings"]
            if (f["organisation"], f["agreement_type"]) == ("Opvang Noord", "meldcode")
        ]

    assert meldcode(outside) == [("met", "partial")]
    assert meldcode(inside) != [("met", "partial")]


def test_the_memo(database: Path, capsys) -> None:  # noqa: F811
    code, out, _ = _run(
        capsys,
        "--region",
        REGION,
        "--since",
        "2026-09-30",
        "--until",
        "2026-12-02",
        "--db",
        str(database),
        "--format",
        "markdown",
    )
    assert code == 0
    assert out.startswith("# Wat is er veranderd in Regio Noord tussen 30-09-2026 en 02-12-2026")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--region", "Zuid", "--since", "2026-09-30"), "Bekende regio's: Regio Noord"),
        (("--region", REGION, "--since", "30-09-2026"), "is geen moment"),
        (("--region", REGION, "--since", "2026-09-30", "--until", "2026-09"), "is geen moment"),
        (
            ("--region", REGION, "--since", "2026-12-02", "--until", "2026-09-30"),
            "ligt na --until",
        ),
    ],
)
def test_usage_errors_exit_2_in_dutch(database: Path, capsys, argv, message) -> None:  # noqa: F811
    before = database.read_bytes()
    code, out, err = _run(capsys, *argv, "--db", str(database))
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert database.read_bytes() == before  # read, never written


def test_a_missing_database(tmp_path: Path, capsys) -> None:
    path = tmp_path / "nergens.duckdb"
    code, _, err = _run(capsys, "--region", REGION, "--since", "2026-09-30", "--db", str(path))
    assert code == 1 and "bestaat niet" in err
    assert not path.exists()


def test_the_docs_name_every_option() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "veranderingen.md").read_text(
        encoding="utf-8"
    )
    for option in ("--region", "--since", "--until", "--db", "--format", "--today"):
        assert option in docs
    for why in ("beeindigd", "einddatum", "niet_meer_opgegeven"):
        assert f"`{why}`" in docs
