"""The app and other processes share the database file: the app opens it only for a moment, and
when another program holds it too long a page says so in Dutch instead of failing or hanging.
(The browser test shows the command line importing while the app is open in Chromium.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ketendata import store
from tests.processes import database_held_by_other_process

APP = str(Path(__file__).resolve().parents[1] / "app.py")
WOLKENDAL = "Demoregio Wolkendal"


def _run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["regio"] = WOLKENDAL
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_after_a_run_the_app_holds_no_connection(app_env: Path) -> None:
    at = _run("pages/network_map.py")
    assert at.title[0].value == "Ketenkaart"
    # Another process gets the file read-write at once (the helper fails if it cannot).
    with database_held_by_other_process(app_env) as holder:
        assert holder.poll() is None


def test_a_page_says_in_dutch_that_the_database_is_busy_and_recovers(app_env: Path) -> None:
    at = _run()
    with database_held_by_other_process(app_env):
        at.run()  # waits a few seconds for the file, then gives up
        assert not at.exception
        errors = " ".join(e.value for e in at.error)
        assert "in gebruik door een ander programma" in errors
        assert "Herlaad deze pagina over een paar seconden" in errors
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Overzicht"


def test_pages_read_beside_a_reader_elsewhere_and_a_write_waits_then_says_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    path = tmp_path / "leeg.duckdb"
    with store.writing(path):
        pass  # an empty database with the current schema
    monkeypatch.setenv("KETENKAART_DB", str(path))
    monkeypatch.setenv("KETENKAART_TODAY", "2026-11-24")
    st.cache_data.clear()
    with database_held_by_other_process(path, read_only=True):
        at = _run("pages/data.py")  # reading is shared: the page shows its empty state
        assert "nog geen regio's" in " ".join(i.value for i in at.info)
        at.button(key="demo_laden").click().run()  # writing is not: it waits, then says so
        assert not at.exception
        assert "De demo kon niet worden geladen" in " ".join(e.value for e in at.error)
    at.button(key="demo_laden").click().run()
    assert not at.exception
    assert at.selectbox(key="regio").options
