"""The app in ``proxy`` mode in a real browser (access.md, issue 11): the header of the reverse
proxy is set per browser context (Playwright ``extra_http_headers``), several people at once.

A gemeente user sees only its region; an unknown user, and a client that sets the header
itself (the proxy strips it), see only the no-access page; and sessions open at the same time
keep their own identity; a shelter's upload naming another organisation or region is refused
whole, each row named, and its own is imported. Screenshots in ``tests/artifacts/``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ketendata import access, store
from ketendata.access import LOCAL
from tests.auth_proxy import COOKIE, running_proxy
from tests.servers import ARTIFACTS, CHROMIUM, IDLE, running_server, upload_field

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt (apt-get install chromium)"
    ),
]

WOLKENDAL = "Demoregio Wolkendal"
GEMEENTE = "gemeente@wolkendal.nl"
OPVANG = "team@vrouwenopvang-wolkendal.nl"
OWN = "Vrouwenopvang Wolkendal"


@dataclass(frozen=True)
class ProxyApp:
    url: str
    db: Path


@pytest.fixture(scope="module")
def proxy_app(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory, fixed_today: date
) -> Iterator[ProxyApp]:
    """``streamlit run serve.py`` in proxy mode on a copy of the demo with two users."""
    folder = tmp_path_factory.mktemp("browser-toegang")
    db = folder / "toegang.duckdb"
    shutil.copyfile(demo_db_template, db)
    with store.writing(db) as con:
        access.add_user(con, GEMEENTE, "gemeente", [WOLKENDAL], principal=LOCAL)
        access.add_user(con, OPVANG, "opvang", [WOLKENDAL], OWN, principal=LOCAL)
    env = {
        "KETENKAART_DB": str(db),
        "KETENKAART_TODAY": fixed_today.isoformat(),
        "KETENKAART_AUTH": "proxy",
        "STREAMLIT_SERVER_TRUSTED_USER_HEADERS": json.dumps({"X-Forwarded-Email": "email"}),
    }
    with (
        running_server("serve.py", folder / "server.log", env) as server,
        running_proxy(server.port) as url,
    ):
        yield ProxyApp(url=url, db=db)


def _person(browser, url: str, email: str | None, *, forged: str | None = None):
    """A browser context signed in at the proxy as ``email`` (its session cookie; None: not
    signed in). ``forged``: the header a client sets itself on its requests, which the proxy
    must strip (Playwright ``extra_http_headers``)."""
    headers = {"X-Forwarded-Email": forged} if forged else {}
    context = browser.new_context(
        viewport={"width": 1280, "height": 720}, extra_http_headers=headers
    )
    if email:
        context.add_cookies([{"name": COOKIE, "value": email, "url": url}])
    return context


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)


def _csv(*organisations: tuple[str, str]) -> bytes:
    lines = ["regio;organisatie;partner;partnertype;afspraaktypes;status"]
    for region, organisation in organisations:
        lines.append(
            f"{region};{organisation};Huisartsenpost Proxy;huisarts;"
            "informatie_uitwisseling;schriftelijk"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_people_behind_the_proxy_see_and_change_only_what_their_role_allows(
    proxy_app: ProxyApp, browser, tmp_path: Path
) -> None:

    ARTIFACTS.mkdir(exist_ok=True)
    gemeente, opvang, unknown = (
        _person(browser, proxy_app.url, e) for e in (GEMEENTE, OPVANG, "x@elders.nl")
    )
    nobody = _person(browser, proxy_app.url, None, forged=GEMEENTE)  # its own header: stripped
    try:
        # all four sessions open at once
        pages = {}
        for name, context in (("gemeente", gemeente), ("opvang", opvang),
                              ("onbekend", unknown), ("zonder", nobody)):  # fmt: skip
            pages[name] = context.new_page()
            _open(pages[name], proxy_app.url)

        sidebar = pages["gemeente"].inner_text("[data-testid='stSidebar']")
        assert f"Ingelogd als {GEMEENTE}" in sidebar
        body = pages["gemeente"].inner_text("body")
        assert WOLKENDAL in body
        assert "Demoregio Duinrade" not in body and "Demoregio Meerhaven" not in body
        pages["gemeente"].screenshot(path=str(ARTIFACTS / "toegang-gemeente-1280x720.png"))

        for name in ("onbekend", "zonder"):
            text = pages[name].inner_text("body")
            assert "U hebt geen toegang tot Ketenkaart" in text
            assert "Demoregio" not in text
            pages[name].screenshot(path=str(ARTIFACTS / f"toegang-{name}-1280x720.png"))

        # the sessions stayed apart: each reload still shows its own person
        for name, email in (("gemeente", GEMEENTE), ("opvang", OPVANG)):
            pages[name].reload()
            pages[name].wait_for_selector(IDLE, timeout=60_000)
            sidebar = pages[name].inner_text("[data-testid='stSidebar']")
            assert f"Ingelogd als {email}" in sidebar
    finally:
        for context in (gemeente, opvang, unknown, nobody):
            context.close()
    assert os.path.exists(ARTIFACTS / "toegang-gemeente-1280x720.png")


def test_an_opvang_upload_behind_the_proxy_is_refused_for_another_organisation(
    proxy_app: ProxyApp, browser, tmp_path: Path
) -> None:
    """The shelter's own inventory imports; one that also names another organisation of its
    region and an organisation of another region is refused whole, each row named."""
    from playwright.sync_api import expect

    from ketendata.store import queries

    mixed = tmp_path / "gemengd.csv"
    mixed.write_bytes(
        _csv(
            (WOLKENDAL, OWN),
            (WOLKENDAL, "Gezinsopvang De Paraplu"),
            ("Demoregio Duinrade", "Vrouwenopvang Duinrade"),
        )  # fmt: skip
    )
    own = tmp_path / "eigen.csv"
    own.write_bytes(_csv((WOLKENDAL, OWN)))
    with store.reading(proxy_app.db) as con:
        imports_before = len(queries.list_imports(con))
    context = _person(browser, proxy_app.url, OPVANG)
    page = context.new_page()
    try:
        _open(page, proxy_app.url)
        _open(page, f"{proxy_app.url}/gegevens?regio=Demoregio+Wolkendal")
        upload_field(page).set_input_files(str(mixed))
        problems = page.get_by_text("u mag alleen gegevens van uw eigen organisatie").first
        expect(problems).to_be_attached(timeout=30_000)  # a cell of the problems table
        page.wait_for_selector(IDLE, timeout=60_000)
        cells = page.locator("[role='gridcell']").all_text_contents()
        assert "Gezinsopvang De Paraplu" in cells and "Demoregio Duinrade" in cells, cells
        expect(page.get_by_role("button", name="Importeren", exact=True)).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "toegang-opvang-geweigerd-1280x720.png"))
        with store.reading(proxy_app.db) as con:
            assert len(queries.list_imports(con)) == imports_before

        upload_field(page).set_input_files(str(own))
        button = page.get_by_role("button", name="Importeren", exact=True)
        expect(button).to_be_visible(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        button.click()
        expect(page.get_by_text("geïmporteerd als import").first).to_be_visible(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "toegang-opvang-eigen-1280x720.png"))
    finally:
        context.close()
    with store.reading(proxy_app.db) as con:
        assert len(queries.list_imports(con)) == imports_before + 1
        partners = set(queries.region_frames(con, WOLKENDAL).agreements["partner"])
        last = access.audit_log(con, LOCAL)[-1]
    assert "Huisartsenpost Proxy" in partners
    assert (last["user"], last["action"]) == (OPVANG, "import")
