"""``python -m ketendata users`` and ``audit`` (access.md) in-process on the demo database: the
JSON forms of the spec, the refusals with exit 1 and a Dutch message that store nothing, and
the command line recording itself as ``cli:<user name>`` (also for ``import`` and ``demo``)."""

from __future__ import annotations

import getpass
import json
import re
from pathlib import Path

import pytest
from builders import csv_bytes, valid_rows

from ketendata import cli, store

DUINRADE, MEERHAVEN = "Demoregio Duinrade", "Demoregio Meerhaven"
ME = f"cli:{getpass.getuser()}"
AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def content(db: Path) -> dict:
    with store.reading(db) as con:
        return store.dump_content(con)


def test_users_add_list_and_remove(demo_db: Path, capsys) -> None:
    assert run(capsys, demo_db, "users", "add", "Anna@Gemeente.NL", "--role", "gemeente",
               "--region", "demoregio duinrade", "--region", MEERHAVEN)[0] == 0  # fmt: skip
    code, out, _ = run(
        capsys, demo_db, "users", "add", "team@opvang.nl", "--role", "opvang",
        "--region", DUINRADE, "--organisation", "Blijf Groep",
    )  # fmt: skip
    assert code == 0 and "team@opvang.nl" in out
    assert run(capsys, demo_db, "users", "add", "baas@x.nl", "--role", "beheerder")[0] == 0
    code, out, err = run(capsys, demo_db, "users", "list", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == [
        {"email": "anna@gemeente.nl", "role": "gemeente", "regions": [DUINRADE, MEERHAVEN],
         "organisation": None},
        {"email": "baas@x.nl", "role": "beheerder", "regions": [], "organisation": None},
        {"email": "team@opvang.nl", "role": "opvang", "regions": [DUINRADE],
         "organisation": "Blijf Groep"},
    ]  # fmt: skip
    code, out, _ = run(capsys, demo_db, "users", "list")
    assert out.splitlines()[0] == f"anna@gemeente.nl  gemeente  {DUINRADE}, {MEERHAVEN}"
    assert run(capsys, demo_db, "users", "remove", "ANNA@gemeente.nl")[0] == 0
    code, out, _ = run(capsys, demo_db, "users", "list", "--format", "json")
    assert [u["email"] for u in json.loads(out)] == ["baas@x.nl", "team@opvang.nl"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role", "gemeente"], "minstens één regio"),
        (["--role", "lezer", "--region", DUINRADE, "--organisation", "X"], "geen organisatie"),
        (["--role", "opvang", "--region", DUINRADE], "organisatie nodig"),
        (["--role", "beheerder", "--region", DUINRADE], "geen regio"),
        (["--role", "gemeente", "--region", "Demoregio Duinrad"], f"bedoelt u '{DUINRADE}'?"),
        (["--role", "gemeente", "--region", "Nergens"], "bekende regio's: 'Demoregio"),
    ],
)
def test_users_add_refuses_with_exit_1_and_stores_nothing(demo_db, capsys, argv, message) -> None:
    before = content(demo_db)
    code, out, err = run(capsys, demo_db, "users", "add", "a@b.nl", *argv)
    assert (code, out) == (1, "")
    assert message in err and "Er is niets opgeslagen." in err
    assert content(demo_db) == before


def test_users_remove_of_an_unknown_user_is_refused(demo_db: Path, capsys) -> None:
    before = content(demo_db)
    code, _, err = run(capsys, demo_db, "users", "remove", "niemand@x.nl")
    assert code == 1 and "niemand@x.nl heeft geen rol." in err
    assert content(demo_db) == before


def test_audit_json_lists_every_change_oldest_first_with_the_cli_user(
    tmp_path: Path, capsys
) -> None:
    db = tmp_path / "k.duckdb"
    assert run(capsys, db, "demo", "--today", "2026-11-24")[0] == 0
    header, *rows = valid_rows("afspraken")
    file = tmp_path / "noord.csv"
    file.write_bytes(csv_bytes([header, *rows]))
    assert run(capsys, db, "import", str(file), "--new-region")[0] == 0
    added = run(capsys, db, "users", "add", "l@x.nl", "--role", "lezer", "--region", DUINRADE)
    assert added[0] == 0
    assert run(capsys, db, "meeting", "--region", DUINRADE, "--at", "2026-11-20T10:00")[0] == 0
    code, out, err = run(capsys, db, "audit", "--format", "json")
    assert (code, err) == (0, "")
    log = json.loads(out)
    assert all(list(e) == ["at", "user", "action", "region", "subject"] for e in log)
    assert all(AT.match(e["at"]) for e in log)
    assert [e["at"] for e in log] == sorted(e["at"] for e in log)
    assert {e["user"] for e in log} == {ME}
    assert any(e["region"] == "Regio Noord" and e["action"] == "import" for e in log)
    actions = [e["action"] for e in log]
    assert actions.count("import") >= 10 and {"user_add", "meeting"} <= set(actions)
    assert all(re.fullmatch(r"import \d+", e["subject"]) for e in log if e["action"] == "import")
    code, out, _ = run(capsys, db, "audit", "--region", "regio noord", "--format", "json")
    assert [e["region"] for e in json.loads(out)] == ["Regio Noord"]
    code, out, _ = run(capsys, db, "audit")
    assert code == 0 and f"  {ME}  user_add  l@x.nl  [{DUINRADE}]" in out
    code, _, err = run(capsys, db, "audit", "--region", "Nergens")
    assert code == 1 and "Onbekende regio 'Nergens'" in err


def test_undo_and_matrix_on_the_command_line_are_logged(demo_db: Path, tmp_path, capsys) -> None:
    assert run(capsys, demo_db, "undo", "3")[0] == 0
    matrix = tmp_path / "m.csv"
    matrix.write_bytes(
        csv_bytes(
            [
                ["partnertype", "afspraaktype", "norm", "kind"],
                ["onderwijs", "onderwijs", "3.3", "nee"],
            ]
        )
    )
    assert run(capsys, demo_db, "matrix", str(matrix), "--region", DUINRADE)[0] == 0
    assert run(capsys, demo_db, "matrix", "--region", DUINRADE, "--default")[0] == 0
    code, out, _ = run(capsys, demo_db, "audit", "--format", "json")
    last = json.loads(out)[-3:]
    assert [(e["user"], e["action"]) for e in last] == [
        (ME, "undo"),
        (ME, "matrix"),
        (ME, "matrix_reset"),
    ]
    assert last[0]["subject"] == "import 3"
    assert last[1]["region"] == DUINRADE
