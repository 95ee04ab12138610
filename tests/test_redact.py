"""Erasure for the AVG: ``python -m ketendata redact`` replaces an import's free text and file
name by a marker, keeps every count and the history, records who, when and why, and upgrades a
database of the previous release in place."""

from __future__ import annotations

import getpass
import gzip
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from ketendata import access, importers, store
from ketendata.access import LOCAL, AccessDenied
from ketendata.store import audit, queries
from ketendata.store.redact import REDACTED, redact_import, redactions
from ketendata.store.schema import dump_content
from tests.conftest import TODAY
from tests.test_migrations import RELEASES

ROOT = Path(__file__).resolve().parents[1]
REGION = "Demoregio Wolkendal"
#: A note that slipped past the guard: personal, but in no pattern the guard knows.
SLIPPED = "Moeder van Daan en Lotte, wil niet dat de school het weet"


def _upload(note: str = SLIPPED) -> bytes:
    return (
        "regio;organisatie;organisatietype;partner;partnertype;afspraaktypes;status;"
        "toelichting\n"
        f"{REGION};Vrouwenopvang Wolkendal;vrouwenopvang;Basisschool De Linde;onderwijs;"
        f"informatie_uitwisseling;schriftelijk;{note}\n"
        f"{REGION};Vrouwenopvang Wolkendal;vrouwenopvang;Huisartsenpost Wolkendal;huisarts;"
        "informatie_uitwisseling;mondeling;\n"
    ).encode()


def _run(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ketendata", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, KETENKAART_TODAY=TODAY.isoformat()),
        timeout=120,
    )


@pytest.fixture
def slipped(demo_db: Path) -> tuple[Path, int]:
    with store.writing(demo_db) as con:
        result = importers.import_file(con, _upload(), "daan_en_lotte_de_vries.csv")
    return demo_db, result.import_id


def _frames(path: Path) -> queries.RegionFrames:
    with store.reading(path) as con:
        return queries.region_frames(con, REGION)


def test_redact_replaces_free_text_and_file_name_and_keeps_every_count(slipped) -> None:
    path, import_id = slipped
    before = _frames(path)
    with store.reading(path) as con:
        log_before = queries.list_imports(con)
    done = _run("redact", str(import_id), "--why", "verzoek van de opvang, 2 december", db=path)
    assert done.returncode == 0, done.stderr
    assert f"Import {import_id} is gewist" in done.stdout and "1 toelichting" in done.stdout
    after = _frames(path)
    # the note is gone, everything else of the region's data is exactly as it was
    assert SLIPPED in set(before.agreements["note"].dropna())
    assert SLIPPED not in set(after.agreements["note"].dropna())
    assert REDACTED in set(after.agreements["note"].dropna())
    for name in ("agreements", "handovers", "stagnation"):
        keep = [c for c in getattr(before, name).columns if c != "note"]
        pd.testing.assert_frame_equal(getattr(before, name)[keep], getattr(after, name)[keep])
    with store.reading(path) as con:
        log_after = queries.list_imports(con)
        content = dump_content(con)
        recorded = redactions(con)
    row = log_after[log_after["id"] == import_id].iloc[0]
    assert row["file_name"] == REDACTED and row["warnings"] == []
    assert "daan" not in repr(content).lower() and "lotte" not in repr(content).lower()
    keep = ["id", "kind", "regions", "subjects", "rows_read", "rows_stored", "sha256"]
    pd.testing.assert_frame_equal(log_before[keep], log_after[keep])
    assert [(r[0], r[2], r[3]) for r in recorded] == [
        (import_id, f"cli:{getpass.getuser()}", "verzoek van de opvang, 2 december")
    ]
    with store.reading(path) as con:
        logged = audit.entries(con)[-1]
    assert (logged["user"], logged["action"], logged["region"], logged["subject"]) == (
        f"cli:{getpass.getuser()}", "redact", REGION, f"import {import_id}"
    )  # fmt: skip


def test_redact_refuses_twice_an_unknown_import_and_a_personal_reason(slipped) -> None:
    path, import_id = slipped
    assert _run("redact", str(import_id), "--why", "verzoek", db=path).returncode == 0
    again = _run("redact", str(import_id), "--why", "nog eens", db=path)
    assert again.returncode == 1 and f"Import {import_id} is al gewist." in again.stderr
    unknown = _run("redact", "9999", "--why", "verzoek", db=path)
    assert unknown.returncode == 1 and "Import 9999 bestaat niet." in unknown.stderr
    with store.reading(path) as con:
        before = dump_content(con)
    personal = _run("redact", "1", "--why", "verzoek van j.devries@example.nl", db=path)
    assert personal.returncode == 1 and "persoonsgegevens" in personal.stderr
    assert "j.devries@example.nl" not in personal.stderr
    with store.reading(path) as con:
        assert dump_content(con) == before


BEHEERDER = "beheer@ketenkaart.nl"


def _principals(path: Path) -> dict[str, access.Principal]:
    """A beheerder by e-mail, and a gemeente, the opvang of the slipped import's own shelter
    and a lezer of its region: of these only the beheerder may erase (access.md)."""
    grants = {
        BEHEERDER: ("beheerder", [], None),
        "gemeente@wolkendal.nl": ("gemeente", [REGION], None),
        "team@wolkendal.nl": ("opvang", [REGION], "Vrouwenopvang Wolkendal"),
        "lid@werkgroep.nl": ("lezer", [REGION], None),
    }
    with store.writing(path) as con:
        for email, (role, regions, organisation) in grants.items():
            access.add_user(con, email, role, regions, organisation, principal=LOCAL)
        found = {email: access.principal_for(con, email) for email in grants}
    return {email: who for email, who in found.items() if who is not None}


def test_only_a_beheerder_may_redact_and_is_logged(slipped) -> None:
    path, import_id = slipped
    who = _principals(path)
    with store.reading(path) as con:
        before = dump_content(con)
    for email in ("gemeente@wolkendal.nl", "team@wolkendal.nl", "lid@werkgroep.nl"):
        with store.writing(path) as con, pytest.raises(AccessDenied) as refused:
            redact_import(con, import_id, principal=who[email], why="verzoek")
        assert str(refused.value) == (
            f"U mag import {import_id} niet wissen: alleen een beheerder mag een import wissen "
            "(AVG). Er is niets gewijzigd."
        )
        # refused before anything else is judged: an empty reason gets the same answer
        with store.writing(path) as con, pytest.raises(AccessDenied):
            redact_import(con, import_id, principal=who[email], why="")
    with store.reading(path) as con:
        assert dump_content(con) == before  # nothing redacted, nothing logged
    at = datetime.now().replace(microsecond=0)  # after the users were added: last in the log
    with store.writing(path) as con:
        result = redact_import(con, import_id, principal=who[BEHEERDER], why="verzoek", now=at)
        recorded = redactions(con)
        logged = audit.entries(con)[-1]
    assert result.import_id == import_id
    assert [(r[0], r[1], r[2]) for r in recorded] == [(import_id, at, BEHEERDER)]
    assert logged == {
        "at": at.strftime("%Y-%m-%dT%H:%M:%S"),
        "user": BEHEERDER,
        "action": "redact",
        "region": REGION,
        "subject": f"import {import_id}",
    }


def test_a_reason_is_required(slipped) -> None:
    path, import_id = slipped
    with store.writing(path) as con, pytest.raises(ValueError, match="Geef een reden"):
        redact_import(con, import_id, principal=LOCAL, why="   ")
    missing = _run("redact", str(import_id), db=path)
    assert missing.returncode == 2 and "--why" in missing.stderr


#: Content tables made by migrations after schema 2.
NEWER_TABLES = (
    "redactions",
    "actions",
    "action_versions",
    "meetings",
    "alias_events",
    "users",
    "audit",
)


def test_a_database_of_the_previous_release_is_upgraded_and_can_be_redacted(
    tmp_path: Path,
) -> None:
    # a file the schema-4 release wrote (tests/data; test_migrations.py checks every table of
    # every release file): opened by today's code it is upgraded in place, and its imports can
    # be redacted with the redaction recorded
    path = tmp_path / "vorige.duckdb"
    with gzip.open(RELEASES / "release-4.duckdb.gz") as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    with store.writing(path) as con:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        import_id = int(queries.list_imports(con)["id"].min())
        redact_import(con, import_id, principal=LOCAL, why="verzoek")
        assert [entry[0] for entry in redactions(con)] == [import_id]
        row = con.execute("SELECT file_name FROM imports WHERE id = ?", [import_id]).fetchone()
        assert row[0] == REDACTED


def test_a_redaction_changes_the_content_version_the_app_caches_on(slipped) -> None:
    path, import_id = slipped
    with store.writing(path) as con:
        before = queries.content_version(con)
        redact_import(con, import_id, principal=LOCAL, why="verzoek")
        assert queries.content_version(con) != before


def test_a_file_name_with_personal_data_is_stored_masked(demo_db: Path) -> None:
    name = "inventaris_BSN_111222333_j.devries@example.nl.csv"
    with store.writing(demo_db) as con:
        result = importers.import_file(con, _upload(note=""), name)
        stored = queries.list_imports(con)
    row = stored[stored["id"] == result.import_id].iloc[0]
    assert "111222333" not in row["file_name"] and "devries@example" not in row["file_name"]
    assert row["file_name"].endswith(".csv") and "*" in row["file_name"]
    assert "111222333" not in result.message


def test_the_gegevens_page_redacts_an_import_with_a_reason(slipped, monkeypatch) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    path, import_id = slipped
    monkeypatch.setenv("KETENKAART_DB", str(path))
    monkeypatch.setenv("KETENKAART_TODAY", TODAY.isoformat())
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["regio"] = REGION
    at.run()
    at.switch_page("pages/data.py").run()
    assert any("daan_en_lotte" in t.value for t in at.text)
    # a reason that is itself personal is refused, nothing changes
    at.text_input(key=f"wis_reden_{import_id}").input("verzoek van 06-12345678").run()
    at.button(key=f"wis_{import_id}").click().run()
    assert any("persoonsgegevens" in e.value for e in at.error)
    with store.reading(path) as con:
        assert redactions(con) == []
    at.text_input(key=f"wis_reden_{import_id}").input("verzoek van de opvang").run()
    at.button(key=f"wis_{import_id}").click().run()
    assert not at.exception
    assert any(f"Import {import_id} is gewist" in s.value for s in at.success)
    assert not any("daan_en_lotte" in t.value for t in at.text)
    assert any(f"Import {import_id} · " in t.value and REDACTED in t.value for t in at.text)
    assert not [b for b in at.button if b.key == f"wis_{import_id}"]  # once only
    with store.reading(path) as con:
        assert [(r[0], r[2]) for r in redactions(con)] == [(import_id, "lokaal")]
