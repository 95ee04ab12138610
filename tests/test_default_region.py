"""The region a visitor sees first is not decided by names anyone can upload (issue 14, item 5).

Before: the first region by name, so a new region called "AAA Rood" became every visitor's
landing page. Now: the session's own choice (or the link's ``regio``), else the region
configured in ``KETENKAART_DEFAULT_REGION``, else the region that has been in the database
longest (``ui.common.default_region``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ketendata import store
from ketendata.samples.demo import DEMO_REGIONS
from ketendata.store import queries
from tests.test_pages_tables import APP, TIMEOUT, hostile_files, import_region
from ui import common

INTRUDER = "AAA Rood"


def first_visit(page: str = common.PAGE_OVERZICHT, **params: str) -> AppTest:
    """A new session opening the app without a choice (unless ``params`` holds ``regio``)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != common.PAGE_OVERZICHT:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def oldest_region(db: Path) -> str:
    with store.reading(db) as con:
        rows = [queries.find_region_row(con, name) for name in queries.list_regions(con)]
    return min(rows)[1]


@pytest.fixture
def intruded(app_env: Path) -> Path:
    """The demo database plus a region, uploaded last, whose name sorts before every other."""
    import_region(
        app_env, hostile_files(INTRUDER, "Opvang Rood", "Politie Rood", "GGZ Rood", "Rood")
    )
    return app_env


def test_a_region_named_to_sort_first_does_not_become_the_landing_page(intruded: Path) -> None:
    with store.reading(intruded) as con:
        assert queries.list_regions(con)[0] == INTRUDER  # it would have been, by name
    oldest = oldest_region(intruded)
    assert oldest in DEMO_REGIONS
    at = first_visit()
    assert at.selectbox(key="regio").value == oldest
    assert at.caption[0].value.startswith(common.escape_markdown(oldest))
    # Every page of a first visit shows the same region.
    at = first_visit(common.PAGE_NORMEN)
    assert at.selectbox(key="regio").value == oldest
    assert oldest in at.caption[0].value


def test_the_default_region_is_written_into_the_link(intruded: Path) -> None:
    oldest = oldest_region(intruded)
    at = first_visit()
    assert at.query_params[common.REGION_KEY] == oldest
    # A link someone copies now keeps naming that region, whatever becomes the default later.
    at = first_visit(common.PAGE_NORMEN, **{common.REGION_KEY: INTRUDER})
    assert at.selectbox(key="regio").value == INTRUDER
    assert at.query_params[common.REGION_KEY] == INTRUDER


def test_the_configured_region_is_the_landing_page(
    intruded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = next(r for r in sorted(DEMO_REGIONS) if r != oldest_region(intruded))
    monkeypatch.setenv(common.DEFAULT_REGION_ENV_VAR, configured.upper())  # matched like names
    at = first_visit()
    assert at.selectbox(key="regio").value == configured


def test_a_configured_name_that_is_no_region_falls_back_to_the_oldest(
    intruded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(common.DEFAULT_REGION_ENV_VAR, "Regio Bestaat Niet")
    at = first_visit()
    assert at.selectbox(key="regio").value == oldest_region(intruded)


def test_the_sessions_own_choice_and_the_link_win(intruded: Path) -> None:
    at = first_visit()
    at.selectbox(key="regio").set_value(INTRUDER).run()
    # (AppTest leaves the sidebar out of a rerun's tree; the page shows what was chosen.)
    assert at.caption[0].value.startswith(common.escape_markdown(INTRUDER))
    # (that the choice survives a page switch is checked in the real browser: AppTest sends
    # a stale sidebar value on a switch; tests/test_browser.py)
    at = first_visit(regio=INTRUDER)
    assert at.selectbox(key="regio").value == INTRUDER
    assert at.caption[0].value.startswith(common.escape_markdown(INTRUDER))


@pytest.mark.parametrize(
    ("regions", "created", "configured", "expected"),
    [
        (["AAA Rood", "Noord", "Zuid"], {"Zuid": 1, "Noord": 2, "AAA Rood": 3}, None, "Zuid"),
        (["AAA Rood", "Noord"], {"Noord": 1, "AAA Rood": 2}, "  noord ", "Noord"),
        (["AAA Rood", "Noord"], {"Noord": 1, "AAA Rood": 2}, "AAA Rood", "AAA Rood"),
        (["AAA Rood", "Noord"], {"Noord": 1, "AAA Rood": 2}, "Oost", "Noord"),
        (["AAA Rood", "Noord"], {"Noord": 1, "AAA Rood": 2}, "", "Noord"),
        (["B", "A"], {}, None, "B"),  # without ids: the order given
        ([], {}, "Noord", None),
    ],
)
def test_default_region(
    regions: list[str], created: dict[str, int], configured: str | None, expected: str | None
) -> None:
    assert common.default_region(regions, created, configured) == expected
