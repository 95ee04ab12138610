"""``python -m ketendata partners`` (partners.md) in-process on a hand-made region: JSON in the
spec's form, merge/unmerge/dismiss with their exit codes, refusals that leave the database
exactly as it was, an unknown region with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ketendata import cli, store
from tests.test_partners import REGION, build_region


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_region(tmp_path / "ketenkaart.duckdb")


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["partners", *argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def content(db: Path) -> dict:
    with store.reading(db) as con:
        return store.dump_content(con)


def test_suggest_json_is_the_spec_form_sorted_by_score(db: Path, capsys) -> None:
    code, out, err = run(
        capsys, db, "suggest", "--region", "regio kennemerland", "--format", "json"
    )
    assert (code, err) == (0, "")
    found = json.loads(out)
    assert all(list(s) == ["name", "into", "score", "partner_type", "reason"] for s in found)
    assert {"name": "VT Kennemerland", "into": "Veilig Thuis Kennemerland"}.items() <= found[
        2
    ].items()
    assert [s["score"] for s in found] == sorted((s["score"] for s in found), reverse=True)
    assert all(isinstance(s["score"], float) and 0 <= s["score"] <= 1 for s in found)
    assert ("Politie Kennemerland", "Veilig Thuis Kennemerland") not in {
        (s["name"], s["into"]) for s in found
    }


def test_suggest_text_names_score_pair_and_reason(db: Path, capsys) -> None:
    code, out, _ = run(capsys, db, "suggest", "--region", REGION)
    assert code == 0
    assert (
        "1,00  VT Kennemerland  →  Veilig Thuis Kennemerland  (afkorting VT = Veilig Thuis" in out
    )


def test_merge_list_unmerge(db: Path, capsys) -> None:
    code, out, err = run(
        capsys,
        db,
        "merge",
        "vt kennemerland",
        "--into",
        "Veilig Thuis Kennemerland",
        "--region",
        REGION,
    )
    assert (code, err) == (0, "")
    assert out.count("\n") == 1 and "'VT Kennemerland'" in out
    code, out, _ = run(capsys, db, "list", "--region", REGION, "--format", "json")
    aliases = json.loads(out)
    assert [(a["alias"], a["into"]) for a in aliases] == [
        ("VT Kennemerland", "Veilig Thuis Kennemerland")
    ]
    assert len(aliases[0]["since"]) == 19 and aliases[0]["since"][10] == "T"
    with store.reading(db) as con:
        by = con.execute("SELECT changed_by FROM alias_events").fetchall()
    assert by[0][0].startswith("cli:")
    assert run(capsys, db, "unmerge", "VT Kennemerland", "--region", REGION)[0] == 0
    assert json.loads(run(capsys, db, "list", "--region", REGION, "--format", "json")[1]) == []
    assert "Nog geen aliassen" in run(capsys, db, "list", "--region", REGION)[1]


def test_list_is_sorted_by_alias(db: Path, capsys) -> None:
    run(
        capsys,
        db,
        "merge",
        "Wijkteam Haarlem-Noord",
        "--into",
        "Wijkteam Haarlem Noord",
        "--region",
        REGION,
    )
    run(
        capsys,
        db,
        "merge",
        "VT Kennemerland",
        "--into",
        "Veilig Thuis Kennemerland",
        "--region",
        REGION,
    )
    run(
        capsys,
        db,
        "merge",
        "Jeugdgezondheidszorg Kennemerland",
        "--into",
        "GGD Kennemerland",
        "--region",
        REGION,
    )
    aliases = json.loads(run(capsys, db, "list", "--region", REGION, "--format", "json")[1])
    assert [a["alias"] for a in aliases] == [
        "Jeugdgezondheidszorg Kennemerland",
        "VT Kennemerland",
        "Wijkteam Haarlem-Noord",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ("merge", "VT Kennemerland", "--into", "VT Kennemerland"),
        ("merge", "Blijf Groep Haarlem", "--into", "Vrouwenopvang Velsen"),
        ("merge", "Onbekende Partner", "--into", "Veilig Thuis Kennemerland"),
        ("unmerge", "VT Kennemerland"),
        ("dismiss", "Onbekende Partner", "--into", "VT Kennemerland"),
    ],
)
def test_refusals_exit_1_in_dutch_and_change_nothing(db: Path, capsys, argv: tuple) -> None:
    before = content(db)
    code, out, err = run(capsys, db, *argv, "--region", REGION)
    assert (code, out) == (1, "")
    assert err.startswith("Niet gedaan: ") and "Er is niets veranderd." in err
    assert "Traceback" not in err
    assert content(db) == before


def test_a_chain_exits_1_and_changes_nothing(db: Path, capsys) -> None:
    run(
        capsys,
        db,
        "merge",
        "VT Kennemerland",
        "--into",
        "Veilig Thuis Kennemerland",
        "--region",
        REGION,
    )
    before = content(db)
    code, _, err = run(
        capsys,
        db,
        "merge",
        "Veilig Thuis Kennemerland (VTK)",
        "--into",
        "VT Kennemerland",
        "--region",
        REGION,
    )
    assert code == 1 and "geen ketens" in err
    assert content(db) == before


def test_dismiss_covers_both_orders(db: Path, capsys) -> None:
    code, out, _ = run(
        capsys,
        db,
        "dismiss",
        "Veilig Thuis Kennemerland",
        "--into",
        "vt kennemerland",
        "--region",
        REGION,
    )
    assert code == 0 and "niet meer voorgesteld" in out
    found = json.loads(run(capsys, db, "suggest", "--region", REGION, "--format", "json")[1])
    pairs = {frozenset((s["name"], s["into"])) for s in found}
    assert frozenset(("VT Kennemerland", "Veilig Thuis Kennemerland")) not in pairs


@pytest.mark.parametrize(
    "argv",
    [
        ("suggest",),
        ("list",),
        ("merge", "VT Kennemerland", "--into", "Veilig Thuis Kennemerland"),
        ("unmerge", "VT Kennemerland"),
        ("dismiss", "VT Kennemerland", "--into", "Veilig Thuis Kennemerland"),
    ],
)
def test_an_unknown_region_exits_2_naming_the_known_ones(db: Path, capsys, argv: tuple) -> None:
    before = content(db)
    code, out, err = run(capsys, db, *argv, "--region", "Regio Nergens")
    assert (code, out) == (2, "")
    assert "Regio Kennemerland" in err
    assert content(db) == before
