"""Shared fixtures: a demo database made once per test session, copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from ketendata import store
from ketendata.samples.demo import load_demo
from tests.servers import CHROMIUM, CHROMIUM_ARGS

#: The fixed "today" of the page and browser tests (the demo's dates are relative to it).
TODAY = date(2026, 11, 24)


@pytest.fixture(scope="session")
def fixed_today() -> date:
    """The fixed "today" of the page and browser tests."""
    return TODAY


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database file with the demo regions, made once per session (do not write)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = store.open_database(path)
    try:
        load_demo(con, TODAY)
    finally:
        con.close()
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for one test."""
    path = tmp_path / "ketenkaart.duckdb"
    shutil.copyfile(demo_db_template, path)
    return path


@contextmanager
def app_on(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app at the database ``path`` and a fixed date, with fresh Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("KETENKAART_DB", str(path))
    monkeypatch.setenv("KETENKAART_TODAY", TODAY.isoformat())
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield path
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


@pytest.fixture
def app_env(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app at a private demo database and a fixed date; fresh Streamlit caches."""
    with app_on(demo_db, monkeypatch) as path:
        yield path


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright (never ``playwright install``). Module
    scope: Playwright's sync API refuses to start while another instance runs in the same
    process, and the other browser test modules start their own; pytest closes a module's
    fixtures before it moves on to another module's tests. (The modules that drive Chromium
    from a thread of their own start it themselves.)"""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
