"""Who may see and change what (access.md): every row of the roles table, allowed and refused,
against a real DuckDB file with real CSV bytes, through the functions the pages and the command
line call; a refused change stores nothing (the whole database is compared)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from builders import csv_bytes, valid_rows

from ketendata import access, actions, store
from ketendata.access import LOCAL, AccessDenied, Grant, Principal, UserError
from ketendata.importers import import_file, import_matrix, undo_import, use_default_matrix
from ketendata.intake.problems import ValidationError
from ketendata.store import meetings

NOORD, ZUID = "Regio Noord", "Regio Zuid"
NOW = datetime(2026, 12, 1, 10, 0)

GEMEENTE = Principal("g@noord.nl", (Grant("gemeente", (NOORD,)),))
OPVANG = Principal("o@opvang.nl", (Grant("opvang", (NOORD,), "Opvang Noord"),))
LEZER = Principal("l@werkgroep.nl", (Grant("lezer", (NOORD, ZUID)),))


def _inventory(*holders: tuple[str, str]) -> bytes:
    """An inventory with the demo rows of tests/builders, once per (region, organisation)."""
    header, *rows = valid_rows("afspraken")
    out = [header]
    for region, organisation in holders:
        for row in rows:
            out.append([region, organisation, *row[2:]])
    return csv_bytes(out)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Two regions: Noord with two shelters, Zuid with one; imports 1-3, one per shelter."""
    connection = store.open_database(tmp_path / "k.duckdb")
    for number, holder in enumerate(
        [(NOORD, "Opvang Noord"), (NOORD, "Opvang Oost"), (ZUID, "Opvang Zuid")]
    ):
        import_file(
            connection,
            _inventory(holder),
            f"{number}.csv",
            new_region=True,
            now=datetime(2026, 11, 1, 9, number),
        )
    yield connection
    connection.close()


def _changed(con: duckdb.DuckDBPyConnection, before: dict) -> bool:
    return store.dump_content(con) != before


# --- uploads ----------------------------------------------------------------------------------


def test_an_opvang_user_uploads_its_own_inventory(con) -> None:
    data = _inventory((NOORD, "opvang noord"))  # matched like every name: case, spaces
    data = data.replace(b"Convenant meldcode", b"Convenant meldcode 2026")
    result = import_file(con, data, "eigen.csv", principal=OPVANG, now=NOW)
    assert result.import_id is not None
    assert access.audit_log(con, LOCAL)[-1] == {
        "at": "2026-12-01T10:00:00",
        "user": "o@opvang.nl",
        "action": "import",
        "region": NOORD,
        "subject": f"import {result.import_id}",
    }


def test_an_opvang_upload_naming_another_organisation_or_region_is_refused_whole(con) -> None:
    data = _inventory((NOORD, "Opvang Noord"), (NOORD, "Opvang Oost"), (ZUID, "Opvang Zuid"))
    before = store.dump_content(con)
    with pytest.raises(ValidationError) as refused:
        import_file(con, data, "alles.csv", principal=OPVANG)
    text = [str(p) for p in refused.value.problems]
    # rows 2-3 are its own; every other row is named, with the column that is outside its rights
    assert [p.row for p in refused.value.problems] == [4, 5, 6, 7]
    assert text[0] == (
        "rij 4, kolom 'organisatie': u mag alleen gegevens van uw eigen organisatie uploaden "
        "(waarde 'Opvang Oost'); de naam van uw organisatie ('Opvang Noord')"
    )
    assert text[2].startswith("rij 6, kolom 'regio': u mag geen gegevens uploaden voor deze regio")
    assert "'Regio Noord'" in text[2]
    assert not _changed(con, before)


def test_a_gemeente_uploads_for_any_organisation_of_its_region_and_not_another(con) -> None:
    data = _inventory((NOORD, "Opvang West"))
    assert import_file(con, data, "west.csv", principal=GEMEENTE).import_id is not None
    before = store.dump_content(con)
    with pytest.raises(ValidationError) as refused:
        import_file(con, _inventory((ZUID, "Opvang West")), "zuid.csv", principal=GEMEENTE)
    assert {p.column for p in refused.value.problems} == {"regio"}
    assert not _changed(con, before)


def test_a_gemeente_cannot_create_a_region_outside_its_rights(con) -> None:
    before = store.dump_content(con)
    with pytest.raises(ValidationError) as refused:
        import_file(con, _inventory(("Regio Nieuw", "X")), "n.csv", new_region=True,
                    principal=GEMEENTE)  # fmt: skip
    assert refused.value.problems[0].column == "regio"
    assert not _changed(con, before)


def test_a_lezer_uploads_nothing(con) -> None:
    before = store.dump_content(con)
    with pytest.raises(ValidationError) as refused:
        import_file(con, _inventory((NOORD, "Opvang Noord")), "l.csv", principal=LEZER)
    assert len(refused.value.problems) == 2
    assert "uw rol mag geen gegevens uploaden" in str(refused.value.problems[0])
    assert not _changed(con, before)


# --- undo -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "import_id", "allowed"),
    [
        (OPVANG, 1, True),  # its own organisation's import
        (OPVANG, 2, False),  # another shelter in its region
        (OPVANG, 3, False),  # another region
        (GEMEENTE, 2, True),
        (GEMEENTE, 3, False),
        (LEZER, 1, False),
        (LOCAL, 3, True),
    ],
)
def test_undo_is_limited_to_what_the_role_may_change(con, principal, import_id, allowed) -> None:
    before = store.dump_content(con)
    if allowed:
        undo_import(con, import_id, principal=principal, now=NOW)
        assert access.audit_log(con, LOCAL)[-1]["action"] == "undo"
        assert access.audit_log(con, LOCAL)[-1]["user"] == principal.user
        return
    with pytest.raises(AccessDenied, match=f"import {import_id} niet ongedaan"):
        undo_import(con, import_id, principal=principal)
    assert not _changed(con, before)


# --- matrices, actions, meetings --------------------------------------------------------------

MATRIX = csv_bytes(
    [["partnertype", "afspraaktype", "norm", "kind"], ["onderwijs", "onderwijs", "3.3", "nee"]]
)


def test_a_gemeente_changes_its_regions_matrix_and_no_other(con) -> None:
    assert not import_matrix(con, MATRIX, "m.csv", NOORD, principal=GEMEENTE, now=NOW).unchanged
    assert not use_default_matrix(con, NOORD, principal=GEMEENTE, now=NOW).unchanged
    assert [e["action"] for e in access.audit_log(con, GEMEENTE)][-2:] == [
        "matrix",
        "matrix_reset",
    ]
    before = store.dump_content(con)
    for principal, region in [(GEMEENTE, ZUID), (OPVANG, NOORD), (LEZER, NOORD)]:
        with pytest.raises(AccessDenied, match="normenmatrix"):
            import_matrix(con, MATRIX, "m.csv", region, principal=principal)
        with pytest.raises(AccessDenied):
            use_default_matrix(con, region, principal=principal)
    assert not _changed(con, before)


def test_actions_follow_the_owner_for_an_opvang_user(con) -> None:
    own = actions.add_action(
        con, NOORD, {"title": "Afspraak school", "owner": "Opvang Noord"}, principal=OPVANG
    )
    other = actions.add_action(
        con, NOORD, {"title": "Huisarts", "owner": "Opvang Oost"}, principal=GEMEENTE
    )
    assert actions.update_action(con, own, {"status": "bezig"}, principal=OPVANG) == 2
    before = store.dump_content(con)
    refused = [
        lambda: actions.add_action(
            con, NOORD, {"title": "x", "owner": "Opvang Oost"}, principal=OPVANG
        ),  # fmt: skip
        lambda: actions.add_action(con, NOORD, {"title": "x"}, principal=OPVANG),
        lambda: actions.update_action(con, other, {"status": "gereed"}, principal=OPVANG),
        lambda: actions.update_action(con, own, {"owner": "Opvang Oost"}, principal=OPVANG),
        lambda: actions.add_action(con, ZUID, {"title": "x"}, principal=GEMEENTE),
        lambda: actions.add_action(con, NOORD, {"title": "x"}, principal=LEZER),
    ]
    for attempt in refused:
        with pytest.raises(AccessDenied):
            attempt()
    assert not _changed(con, before)
    log = [(e["user"], e["action"], e["subject"]) for e in access.audit_log(con, LOCAL)]
    assert log[-3:] == [
        ("o@opvang.nl", "action_add", f"actie {own}"),
        ("g@noord.nl", "action_add", f"actie {other}"),
        ("o@opvang.nl", "action_update", f"actie {own}"),
    ]


def test_meetings_are_recorded_by_a_region_wide_right_only(con) -> None:
    meetings.record_meeting(con, NOORD, NOW, principal=GEMEENTE)
    before = store.dump_content(con)
    for principal in (OPVANG, LEZER):
        with pytest.raises(AccessDenied):
            meetings.record_meeting(con, NOORD, datetime(2026, 12, 2), principal=principal)
    assert not _changed(con, before)
    assert access.audit_log(con, LOCAL)[-1]["action"] == "meeting"


# --- reading ----------------------------------------------------------------------------------


def test_each_role_reads_its_own_regions() -> None:
    regions = [NOORD, ZUID, "Regio West"]
    assert access.visible_regions(LOCAL, regions) == regions
    assert access.visible_regions(GEMEENTE, regions) == [NOORD]
    assert access.visible_regions(OPVANG, regions) == [NOORD]
    assert access.visible_regions(LEZER, regions) == [NOORD, ZUID]
    several = Principal("x", (Grant("lezer", (ZUID,)), Grant("opvang", (NOORD,), "Opvang Noord")))
    assert access.visible_regions(several, regions) == [NOORD, ZUID]  # rights add up
    assert several.may_upload(NOORD, "Opvang Noord") and not several.may_upload(ZUID, "x")


# --- users ------------------------------------------------------------------------------------


def test_users_are_added_listed_and_removed_with_their_history_kept(con) -> None:
    access.add_user(con, "Anna@Noord.NL", "gemeente", [NOORD.lower()], principal=LOCAL, now=NOW)
    access.add_user(con, "o@opvang.nl", "opvang", [NOORD], "Opvang Noord", principal=LOCAL, now=NOW)
    access.add_user(con, "o@opvang.nl", "lezer", [ZUID, NOORD], principal=LOCAL, now=NOW)
    assert access.list_users(con) == [
        {"email": "anna@noord.nl", "role": "gemeente", "regions": [NOORD], "organisation": None},
        {"email": "o@opvang.nl", "role": "lezer", "regions": [NOORD, ZUID], "organisation": None},
        {
            "email": "o@opvang.nl",
            "role": "opvang",
            "regions": [NOORD],
            "organisation": "Opvang Noord",
        },
    ]
    found = access.principal_for(con, "O@OPVANG.nl")
    assert found is not None and found.user == "o@opvang.nl"
    assert found.may_upload(NOORD, "Opvang Noord") and found.may_read(ZUID)
    access.remove_user(con, "o@opvang.nl", "opvang", principal=LOCAL, now=NOW)
    assert [r["role"] for r in access.list_users(con)] == ["gemeente", "lezer"]
    access.remove_user(con, "O@opvang.nl", principal=LOCAL, now=NOW)
    assert access.principal_for(con, "o@opvang.nl") is None
    assert access.principal_for(con, "") is None
    assert access.principal_for(con, "nobody@x.nl") is None
    rows = con.execute("SELECT count(*) FROM users").fetchone()
    assert rows == (5,)  # three adds, two removes: the history stays
    log = [(e["action"], e["subject"]) for e in access.audit_log(con, LOCAL)]
    assert [a for a, _ in log if a.startswith("user_")] == [
        "user_add",
        "user_add",
        "user_add",  # the lezer role of two regions: one entry per region
        "user_add",
        "user_remove",
        "user_remove",  # the lezer role again, per region
        "user_remove",
    ]


@pytest.mark.parametrize(
    ("role", "regions", "organisation", "message"),
    [
        ("gemeente", [], None, "minstens één regio"),
        ("lezer", [], None, "minstens één regio"),
        ("lezer", [NOORD], "Opvang Noord", "geen organisatie"),
        ("opvang", [NOORD], None, "organisatie nodig"),
        ("opvang", [NOORD, ZUID], "Opvang Noord", "precies één regio"),
        ("beheerder", [NOORD], None, "geen regio"),
        ("gemeente", ["Regio Nord"], None, "bedoelt u 'Regio Noord'?"),
        ("baas", [], None, "Onbekende rol"),
    ],
)
def test_a_wrong_role_is_refused_and_nothing_is_stored(con, role, regions, organisation, message):
    before = store.dump_content(con)
    with pytest.raises(UserError, match=re.escape(message)):
        access.add_user(con, "a@b.nl", role, regions, organisation, principal=LOCAL)
    assert not _changed(con, before)


def test_only_a_beheerder_manages_users_and_only_it_and_a_gemeente_read_the_log(con) -> None:
    before = store.dump_content(con)
    for principal in (GEMEENTE, OPVANG, LEZER):
        with pytest.raises(AccessDenied):
            access.add_user(con, "a@b.nl", "lezer", [NOORD], principal=principal)
        with pytest.raises(AccessDenied):
            access.remove_user(con, "a@b.nl", principal=principal)
    assert not _changed(con, before)
    for principal in (OPVANG, LEZER):
        with pytest.raises(AccessDenied):
            access.audit_log(con, principal)
    with pytest.raises(AccessDenied):
        access.audit_log(con, GEMEENTE, ZUID)


def test_a_gemeente_sees_the_log_of_its_regions_only(con) -> None:
    everything = access.audit_log(con, LOCAL)
    assert [e["region"] for e in everything] == [NOORD, NOORD, ZUID]
    assert {e["user"] for e in everything} == {"lokaal"}
    assert access.audit_log(con, GEMEENTE) == everything[:2]
    assert access.audit_log(con, LOCAL, ZUID) == everything[2:]


# --- the log is never changed ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
CHANGING = re.compile(
    r"\b(?:UPDATE\s+(?:audit|users)\b|DELETE\s+FROM\s+(?:audit|users)\b|"
    r"(?:DROP|ALTER|TRUNCATE)\s+(?:TABLE\s+)?(?:audit|users)\b)",
    re.IGNORECASE,
)


def test_no_code_path_updates_or_deletes_audit_or_user_rows() -> None:
    sources = [ROOT / "app.py", *(ROOT / "ketendata").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    sources += (ROOT / "pages").rglob("*.py")
    found = [
        (path.relative_to(ROOT).as_posix(), match.group(0))
        for path in sources
        for match in CHANGING.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert CHANGING.search('con.execute("DELETE FROM audit WHERE id = 1")')  # the scan works


def test_redacting_an_import_leaves_its_audit_entry_as_it_was(con) -> None:
    from ketendata.store.redact import redact_import

    before = access.audit_log(con, LOCAL)
    redact_import(con, 1, principal=LOCAL, why="verzoek")
    after = access.audit_log(con, LOCAL)
    assert after[: len(before)] == before  # only the redaction itself is added
    assert [(e["user"], e["action"], e["subject"]) for e in after[len(before) :]] == [
        ("lokaal", "redact", "import 1")
    ]


def test_the_partner_register_is_changed_by_a_region_wide_right_and_logged(con) -> None:
    from ketendata import partners

    partners.merge(con, NOORD, "Politie Noord", "Veilig Thuis Noord", principal=GEMEENTE)
    assert access.audit_log(con, LOCAL)[-1]["user"] == "g@noord.nl"
    assert access.audit_log(con, LOCAL)[-1]["action"] == "alias_merge"
    before = store.dump_content(con)
    for principal in (OPVANG, LEZER):
        with pytest.raises(AccessDenied, match="partnerregister"):
            partners.unmerge(con, NOORD, "Politie Noord", principal=principal)
        with pytest.raises(AccessDenied):
            partners.dismiss(con, NOORD, "Politie Noord", "Opvang Oost", principal=principal)
    assert not _changed(con, before)
