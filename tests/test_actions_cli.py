"""``python -m ketendata actions`` in-process on real demo databases: every rule of actions.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ketendata import cli, importers, store
from tests.builders import csv_bytes

TODAY = "2026-11-24"
DUINRADE = "Demoregio Duinrade"
WOLKENDAL = "Demoregio Wolkendal"
SHELTER = "Vrouwenopvang Wolkendal"
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["actions", *argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys, db: Path, *argv: str, region: str = DUINRADE) -> int:
    code, out, err = run(capsys, db, "add", "--region", region, *argv)
    assert code == 0, err
    match = re.fullmatch(r"actie (\d+) aangemaakt", out.splitlines()[0])
    assert match, out
    return int(match.group(1))


def listed(capsys, db: Path, region: str = DUINRADE, *extra: str) -> list[dict]:
    code, out, err = run(
        capsys, db, "list", "--region", region, "--today", TODAY, "--format", "json", *extra
    )
    assert code == 0, err
    return json.loads(out)


def by_id(capsys, db: Path, action_id: int, region: str = DUINRADE) -> dict:
    return next(a for a in listed(capsys, db, region) if a["id"] == action_id)


def content(db: Path) -> dict:
    with store.reading(db) as con:
        return store.dump_content(con)


# --- add ------------------------------------------------------------------------------------


def test_add_prints_the_id_and_stores_version_one_with_status_open(capsys, demo_db: Path) -> None:
    first = add(capsys, demo_db, "--title", "Vervoer regelen")
    second = add(capsys, demo_db, "--title", "Tweede")
    assert (first, second) == (1, 2)
    [action, _] = listed(capsys, demo_db)
    assert list(action) == [
        "id",
        "region",
        "title",
        "owner",
        "due",
        "status",
        "overdue",
        "gap_open",
        "link",
        "note",
        "created_at",
        "updated_at",
    ]
    assert action | {"created_at": None, "updated_at": None} == {
        "id": 1,
        "region": DUINRADE,
        "title": "Vervoer regelen",
        "owner": None,
        "due": None,
        "status": "open",
        "overdue": False,
        "gap_open": None,
        "link": None,
        "note": None,
        "created_at": None,
        "updated_at": None,
    }
    assert TIME.match(action["created_at"]) and action["updated_at"] == action["created_at"]


def test_an_id_is_never_reused(capsys, demo_db: Path) -> None:
    first = add(capsys, demo_db, "--title", "Een")
    assert run(capsys, demo_db, "update", str(first), "--status", "vervallen")[0] == 0
    assert add(capsys, demo_db, "--title", "Twee") == first + 1
    assert [a["id"] for a in listed(capsys, demo_db)] == [first, first + 1]  # nothing deleted


def test_all_fields_and_the_region_as_typed(capsys, demo_db: Path) -> None:
    action_id = add(
        capsys,
        demo_db,
        "--title",
        "Convenant",
        "--owner",
        "Gemeente Duinrade",
        "--due",
        "31-03-2027",
        "--status",
        "Bezig",
        "--note",
        "Na overleg met de wethouder.",
        region="demoregio  DUINRADE",
    )
    action = by_id(capsys, demo_db, action_id)
    assert (action["region"], action["owner"], action["due"], action["status"], action["note"]) == (
        DUINRADE,
        "Gemeente Duinrade",
        "2027-03-31",
        "bezig",
        "Na overleg met de wethouder.",
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "titel: deze verplichte waarde ontbreekt"),
        (["--title", "   "], "titel: deze verplichte waarde ontbreekt"),
        (["--title", "x" * 201], "titel: de tekst is te lang (201 tekens)"),
        (["--title", "ok", "--note", "n" * 501], "notitie: de tekst is te lang (501 tekens)"),
        (["--title", "ok", "--owner", "x" * 201], "eigenaar: de tekst is te lang (201 tekens)"),
        (["--title", "ok", "--status", "klaar"], "status: onbekende status (waarde 'klaar')"),
        (["--title", "ok", "--due", "31-02-2026"], "deadline: deze datum bestaat niet"),
        (["--title", "ok", "--due", "morgen"], "deadline: dit is geen datum (waarde 'morgen')"),
        (["--title", "ok", "--partner-type", "poltie"], "partnertype: onbekend partnertype"),
        (
            ["--title", "ok", "--domain", "wonen", "--topic", "ggz"],
            "onderwerp: dit onderwerp hoort niet",
        ),
        (["--title", "ok", "--organisation", "Opvang"], "koppeling: organisatie vormen samen geen"),
        (["--title", "ok", "--phase", "instroom"], "koppeling: fase vormen samen geen knelpunt"),
        (
            ["--title", "ok", "--partner-type", "ggz", "--agreement-type", "meldcode"],
            "koppeling: partnertype, afspraaktype vormen samen geen knelpunt",
        ),
        (
            [
                "--title",
                "ok",
                "--organisation",
                "O",
                "--partner-type",
                "ggz",
                "--phase",
                "instroom",
            ],
            "koppeling: organisatie, partnertype, fase vormen samen geen knelpunt",
        ),
    ],
)
def test_invalid_input_exits_1_says_what_is_expected_and_stores_nothing(
    capsys, demo_db: Path, argv: list[str], expected: str
) -> None:
    before = content(demo_db)
    code, out, err = run(capsys, demo_db, "add", "--region", DUINRADE, *argv)
    assert (code, out) == (1, "")
    assert expected in err
    assert "Traceback" not in err
    assert content(demo_db) == before


def test_the_limits_themselves_are_accepted(capsys, demo_db: Path) -> None:
    action_id = add(capsys, demo_db, "--title", "t" * 200, "--note", "n" * 500)
    action = by_id(capsys, demo_db, action_id)
    assert (len(action["title"]), len(action["note"])) == (200, 500)


def test_a_link_not_in_any_form_says_which_forms_exist(capsys, demo_db: Path) -> None:
    _, _, err = run(capsys, demo_db, "add", "--region", DUINRADE, "--title", "x", "--topic", "ggz")
    assert "een norm (organisatie, partnertype en afspraaktype)" in err
    assert "een stagnatieonderwerp (domein en onderwerp, eventueel partnertype)" in err


@pytest.mark.parametrize(
    ("option", "value", "kind"),
    [
        ("--title", "Bel 06-12345678 terug", "een telefoonnummer"),
        ("--owner", "jan.jansen@example.nl", "een e-mailadres"),
        ("--note", "BSN 111222333 nagaan", "een BSN"),
    ],
)
def test_personal_data_is_refused_masked_as_in_uploads(
    capsys, demo_db: Path, option: str, value: str, kind: str
) -> None:
    before = content(demo_db)
    argv = ["--title", "ok", option, value] if option != "--title" else [option, value]
    code, out, err = run(capsys, demo_db, "add", "--region", DUINRADE, *argv)
    assert code == 1
    assert f"dit lijkt op persoonsgegevens ({kind})" in err
    assert "Ketenkaart bevat geen gegevens over cliënten" in err
    assert value not in err and "*" in err  # masked, never repeated
    assert content(demo_db) == before


def test_every_problem_on_its_own_line(capsys, demo_db: Path) -> None:
    code, _, err = run(
        capsys,
        demo_db,
        "add",
        "--region",
        DUINRADE,
        "--title",
        "",
        "--owner",
        "bel 0612345678",
        "--due",
        "31-02-2026",
        "--status",
        "klaar",
        "--partner-type",
        "poltie",
        "--topic",
        "urgentie",
    )
    lines = err.splitlines()
    assert code == 1
    for start in ("titel:", "eigenaar:", "deadline:", "status:", "partnertype:", "koppeling:"):
        assert sum(line.startswith(start) for line in lines) == 1, (start, lines)


def test_control_characters_are_refused_as_in_uploads(capsys, demo_db: Path) -> None:
    code, _, err = run(
        capsys, demo_db, "add", "--region", DUINRADE, "--title", "Opvang \u202eNoord"
    )
    assert code == 1 and "leesrichting" in err


# --- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "link"),
    [
        (
            [
                "--organisation",
                SHELTER,
                "--partner-type",
                "Huisarts",
                "--agreement-type",
                "Informatie-uitwisseling",
            ],
            {
                "organisation": SHELTER,
                "partner_type": "huisarts",
                "agreement_type": "informatie_uitwisseling",
            },
        ),
        (["--partner-type", "huisarts"], {"partner_type": "huisarts"}),
        (
            [
                "--organisation",
                "Crisisopvang Het Zonnescherm",
                "--partner-type",
                "onderwijs",
                "--phase",
                "Uitstroom",
                "--gap-kind",
                "children_not_handed_over",
            ],
            {
                "organisation": "Crisisopvang Het Zonnescherm",
                "partner_type": "onderwijs",
                "phase": "uitstroom",
                "kind": "children_not_handed_over",
            },
        ),
        (["--domain", "Wachtlijst", "--topic", "GGZ"], {"domain": "wachtlijst", "topic": "ggz"}),
        (
            ["--domain", "wachtlijst", "--topic", "ggz", "--partner-type", "ggz"],
            {"domain": "wachtlijst", "topic": "ggz", "partner_type": "ggz"},
        ),
    ],
)
def test_each_form_of_link_has_exactly_its_keys_as_codes_and_is_open(
    capsys, demo_db: Path, argv: list[str], link: dict
) -> None:
    action = by_id(
        capsys, demo_db, add(capsys, demo_db, "--title", "x", *argv, region=WOLKENDAL), WOLKENDAL
    )
    assert action["link"] == link
    assert action["gap_open"] is True


@pytest.mark.parametrize(
    "argv",
    [
        # a met finding (Wolkendal's demo data)
        [
            "--organisation",
            "Crisisopvang Het Zonnescherm",
            "--partner-type",
            "*",
            "--agreement-type",
            "verantwoordelijkheden",
        ],
        ["--partner-type", "politie"],  # reached by a shelter
        [
            "--organisation",
            SHELTER,
            "--partner-type",
            "politie",
            "--phase",
            "instroom",
            "--gap-kind",
            "no_regisseur",
        ],
        ["--domain", "wachtlijst", "--topic", "jeugd_ggz"],  # not flagged
        [
            "--domain",
            "wachtlijst",
            "--topic",
            "ggz",
            "--partner-type",
            "wijkteam",
        ],  # flagged for ggz only
    ],
)
def test_a_gap_the_current_data_does_not_have_is_closed(
    capsys, demo_db: Path, argv: list[str]
) -> None:
    action = by_id(
        capsys, demo_db, add(capsys, demo_db, "--title", "x", *argv, region=WOLKENDAL), WOLKENDAL
    )
    assert action["gap_open"] is False


def test_organisation_names_match_as_names(capsys, demo_db: Path) -> None:
    argv = ["--partner-type", "huisarts", "--agreement-type", "informatie_uitwisseling"]
    action_id = add(
        capsys,
        demo_db,
        "--title",
        "x",
        "--organisation",
        "vrouwenopvang  WOLKENDAL",
        *argv,
        region=WOLKENDAL,
    )
    assert by_id(capsys, demo_db, action_id, WOLKENDAL)["gap_open"] is True


def _agreement_with_a_huisarts() -> bytes:
    header = [
        "regio",
        "organisatie",
        "organisatietype",
        "partner",
        "partnertype",
        "afspraaktypes",
        "niveau",
        "status",
        "kindspecifiek",
        "ingangsdatum",
        "einddatum",
        "geevalueerd_op",
        "afspraak_id",
        "toelichting",
    ]
    row = [
        WOLKENDAL,
        SHELTER,
        "vrouwenopvang",
        "Huisartsenpraktijk Wolkendal",
        "huisarts",
        "informatie_uitwisseling",
        "organisatie",
        "schriftelijk",
        "ja",
        "2026-01-01",
        "",
        "2026-10-01",
        "HA-1",
        "",
    ]
    return csv_bytes([header, row])


def test_the_gap_closes_after_a_new_upload(capsys, demo_db: Path) -> None:
    finding = add(
        capsys,
        demo_db,
        "--title",
        "Afspraak met huisartsen",
        "--organisation",
        SHELTER,
        "--partner-type",
        "huisarts",
        "--agreement-type",
        "informatie_uitwisseling",
        "--status",
        "bezig",
        region=WOLKENDAL,
    )
    missing = add(
        capsys,
        demo_db,
        "--title",
        "Huisarts betrekken",
        "--partner-type",
        "huisarts",
        region=WOLKENDAL,
    )
    before = {a["id"]: a["gap_open"] for a in listed(capsys, demo_db, WOLKENDAL)}
    assert before == {finding: True, missing: True}
    with store.writing(demo_db) as con:
        importers.import_file(con, _agreement_with_a_huisarts(), "afspraken_huisarts.csv")
    after = {a["id"]: a for a in listed(capsys, demo_db, WOLKENDAL)}
    assert (after[finding]["gap_open"], after[missing]["gap_open"]) == (False, False)
    assert after[finding]["status"] == "bezig"  # closed whatever its status


# --- update and history ---------------------------------------------------------------------


def test_update_adds_a_version_copying_what_did_not_change(capsys, demo_db: Path) -> None:
    action_id = add(
        capsys,
        demo_db,
        "--title",
        "Eerst",
        "--owner",
        "Gemeente",
        "--due",
        "2026-12-01",
        "--partner-type",
        "ggz",
    )
    created = by_id(capsys, demo_db, action_id)
    code, out, _ = run(capsys, demo_db, "update", str(action_id), "--status", "bezig", "--due", "")
    assert (code, out) == (0, f"actie {action_id} bijgewerkt\n")
    assert run(capsys, demo_db, "update", str(action_id), "--title", "Daarna")[0] == 0
    current = by_id(capsys, demo_db, action_id)
    assert (
        current["title"],
        current["owner"],
        current["due"],
        current["status"],
        current["link"],
    ) == (
        "Daarna",
        "Gemeente",
        None,
        "bezig",
        {"partner_type": "ggz"},
    )
    assert current["created_at"] == created["created_at"]
    assert current["updated_at"] >= created["updated_at"]
    code, out, _ = run(
        capsys, demo_db, "history", str(action_id), "--today", TODAY, "--format", "json"
    )
    versions = json.loads(out)
    assert code == 0
    assert [(v["version"], v["title"], v["status"], v["due"]) for v in versions] == [
        (1, "Eerst", "open", "2026-12-01"),
        (2, "Eerst", "bezig", None),
        (3, "Daarna", "bezig", None),
    ]
    assert list(versions[0]) == [*current, "version", "changed_at"]
    assert all(TIME.match(v["changed_at"]) for v in versions)


def test_update_refuses_invalid_input_and_stores_nothing(capsys, demo_db: Path) -> None:
    action_id = add(capsys, demo_db, "--title", "Eerst")
    before = content(demo_db)
    code, _, err = run(
        capsys,
        demo_db,
        "update",
        str(action_id),
        "--title",
        "",
        "--status",
        "",
        "--note",
        "bel 0612345678",
    )
    assert code == 1
    assert sorted(line.split(":")[0] for line in err.splitlines()[:3]) == [
        "notitie",
        "status",
        "titel",
    ]
    assert content(demo_db) == before


def test_update_clears_owner_and_note_with_empty_text(capsys, demo_db: Path) -> None:
    action_id = add(capsys, demo_db, "--title", "x", "--owner", "Gemeente", "--note", "iets")
    assert run(capsys, demo_db, "update", str(action_id), "--owner", "", "--note", "")[0] == 0
    action = by_id(capsys, demo_db, action_id)
    assert (action["owner"], action["note"]) == (None, None)


def test_history_text_lists_every_version(capsys, demo_db: Path) -> None:
    action_id = add(capsys, demo_db, "--title", "Eerst")
    run(capsys, demo_db, "update", str(action_id), "--status", "gereed")
    code, out, _ = run(capsys, demo_db, "history", str(action_id), "--today", TODAY)
    assert code == 0
    assert [line.split(",")[0] for line in out.splitlines()] == ["versie 1", "versie 2"]


@pytest.mark.parametrize(
    "argv",
    [
        ["update", "99", "--status", "bezig"],
        ["history", "99"],
        ["add", "--region", "Demoregio Nergens", "--title", "x"],
        ["list", "--region", "Demoregio Nergens"],
        ["add", "--region", "Demoregio Nergens", "--title", ""],  # unknown region before the input
    ],
)
def test_an_unknown_id_or_region_exits_2_and_stores_nothing(
    capsys, demo_db: Path, argv: list[str]
) -> None:
    before = content(demo_db)
    code, out, err = run(capsys, demo_db, *argv)
    assert (code, out) == (2, "")
    assert "Onbekende" in err
    assert content(demo_db) == before


# --- list -----------------------------------------------------------------------------------


def test_list_is_sorted_by_due_date_none_last_then_id(capsys, demo_db: Path) -> None:
    undated = add(capsys, demo_db, "--title", "zonder")
    late = add(capsys, demo_db, "--title", "laat", "--due", "2027-01-01")
    early = add(capsys, demo_db, "--title", "vroeg", "--due", "2026-12-01")
    undated_too = add(capsys, demo_db, "--title", "zonder 2")
    same_day = add(capsys, demo_db, "--title", "vroeg 2", "--due", "01-12-2026")
    assert [a["id"] for a in listed(capsys, demo_db)] == [
        early,
        same_day,
        late,
        undated,
        undated_too,
    ]


def test_list_shows_every_status_unless_one_is_asked(capsys, demo_db: Path) -> None:
    ids = {
        status: add(capsys, demo_db, "--title", status, "--status", status)
        for status in ("open", "bezig", "gereed", "vervallen")
    }
    assert {a["status"] for a in listed(capsys, demo_db)} == set(ids)
    assert [a["id"] for a in listed(capsys, demo_db, DUINRADE, "--status", "gereed")] == [
        ids["gereed"]
    ]
    assert listed(capsys, demo_db, WOLKENDAL) == []


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        ("open", "2026-11-23", True),
        ("bezig", "2026-01-01", True),
        ("open", TODAY, False),  # due today is not yet overdue
        ("open", "2026-12-01", False),
        ("gereed", "2026-01-01", False),
        ("vervallen", "2026-01-01", False),
        ("open", None, False),
    ],
)
def test_overdue(capsys, demo_db: Path, status: str, due: str | None, overdue: bool) -> None:
    argv = ["--title", "x", "--status", status] + (["--due", due] if due else [])
    assert by_id(capsys, demo_db, add(capsys, demo_db, *argv))["overdue"] is overdue


def test_list_text_marks_overdue_and_closed_gaps(capsys, demo_db: Path) -> None:
    add(capsys, demo_db, "--title", "Te laat", "--due", "2026-01-01")
    add(capsys, demo_db, "--title", "Opgelost", "--partner-type", "politie", region=DUINRADE)
    code, out, _ = run(capsys, demo_db, "list", "--region", DUINRADE, "--today", TODAY)
    assert code == 0
    assert "Te laat  [te laat]" in out
    assert "Opgelost  [knelpunt opgelost]" in out


def test_list_without_actions_says_so(capsys, demo_db: Path) -> None:
    code, out, _ = run(capsys, demo_db, "list", "--region", DUINRADE, "--today", TODAY)
    assert (code, out) == (0, "Geen actiepunten.\n")
    assert listed(capsys, demo_db) == []
