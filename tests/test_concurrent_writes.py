"""Writes that take turns: two people saving at once both get a clear outcome, never a
traceback; a confirmation that went stale (the import was undone elsewhere meanwhile) says what
happened and frees the buttons."""

from __future__ import annotations

import threading
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ketendata import importers, store
from ketendata.store import queries
from ketendata.store.schema import dump_content

APP = str(Path(__file__).resolve().parents[1] / "app.py")
REGION = "Demoregio Wolkendal"


def _gegevens() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["regio"] = REGION
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _newest_import(path: Path) -> int:
    with store.reading(path) as con:
        return int(queries.list_imports(con, REGION)["id"].max())


def _inventory(partner: str) -> bytes:
    return (
        "regio;organisatie;organisatietype;partner;partnertype;afspraaktypes;status\n"
        f"{REGION};Vrouwenopvang Wolkendal;vrouwenopvang;{partner};huisarts;"
        "informatie_uitwisseling;schriftelijk\n"
    ).encode()


def test_a_confirmation_made_stale_by_another_window_says_so_and_frees_the_buttons(
    app_env: Path,
) -> None:
    newest = _newest_import(app_env)
    first, second = _gegevens(), _gegevens()
    first.button(key=f"undo_{newest}").click().run()
    assert any("ongedaan maken?" in w.value for w in first.warning)
    # meanwhile, in another window, the same import is undone
    second.button(key=f"undo_{newest}").click().run()
    second.button(key="undo_bevestigen").click().run()
    assert any("is ongedaan gemaakt" in s.value for s in second.success)
    # the first window confirms what is no longer there
    first.button(key="undo_bevestigen").click().run()
    assert not first.exception
    assert any(f"Import {newest} is intussen al ongedaan gemaakt" in i.value for i in first.info)
    assert not [w for w in first.warning if "ongedaan maken?" in w.value]
    undo_buttons = [b for b in first.button if b.key.startswith("undo_")]
    assert undo_buttons and not any(b.disabled for b in undo_buttons)
    with store.reading(app_env) as con:
        assert queries.list_imports(con, REGION)["undone"].sum() == 1  # undone once


def test_two_sessions_undoing_the_same_import_at_once(demo_db: Path) -> None:
    # what two app sessions do when both people click "Ja, ongedaan maken" at the same moment
    newest = _newest_import(demo_db)
    outcomes: list[object] = []

    def undo() -> None:
        try:
            with store.writing(demo_db) as con:
                outcomes.append(importers.undo_import(con, newest))
        except Exception as error:
            outcomes.append(error)

    threads = [threading.Thread(target=undo) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = [o for o in outcomes if isinstance(o, importers.UndoResult)]
    refused = [o for o in outcomes if isinstance(o, LookupError)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    assert str(refused[0]) == f"Import {newest} is al ongedaan gemaakt."


def test_two_imports_at_the_same_moment_both_land(demo_db: Path) -> None:
    with store.reading(demo_db) as con:
        before = len(queries.list_imports(con))
    outcomes: list[object] = []

    def upload(partner: str) -> None:
        try:
            with store.writing(demo_db) as con:
                outcomes.append(importers.import_file(con, _inventory(partner), f"{partner}.csv"))
        except Exception as error:  # the test reports what went wrong instead of a hang
            outcomes.append(error)

    threads = [
        threading.Thread(target=upload, args=(f"Huisartsenpost {name}",))
        for name in ("Oost", "West")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(outcome, importers.ImportResult) for outcome in outcomes), outcomes
    with store.reading(demo_db) as con:
        log = queries.list_imports(con)
        content = dump_content(con)
    assert len(log) == before + 2
    assert len({row[0] for row in content["imports"]}) == before + 2  # distinct ids
