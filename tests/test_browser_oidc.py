"""The app in ``oidc`` mode in a real browser (access.md, issue 11): Streamlit's own sign-in
(``st.login``) against a real OpenID Connect provider started here on 127.0.0.1
(``tests/oidc/provider.js``, the npm package ``oidc-provider``; ``.ci/run`` and ``make test``
install it), with the ``[auth]`` secrets of a real deployment in a secrets file of this test
(``STREAMLIT_SECRETS_FILES``).

Before sign-in the page only offers to sign in; a gemeente user who signs in at the provider
sees only its region and can sign out again; a person the provider knows but Ketenkaart does
not sees only the no-access page. Screenshots ``oidc-*`` in ``tests/artifacts/``.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from ketendata import access, store
from ketendata.access import LOCAL
from tests.servers import ARTIFACTS, CHROMIUM, IDLE, free_port, running_server, stop_process

PROVIDER = Path(__file__).resolve().parent / "oidc"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt (apt-get install chromium)"
    ),
    pytest.mark.skipif(NODE is None, reason="node ontbreekt (apt-get install nodejs npm)"),
    pytest.mark.skipif(
        not (PROVIDER / "node_modules" / "oidc-provider").is_dir(),
        reason="tests/oidc/node_modules ontbreekt (npm ci in tests/oidc; make test doet dat)",
    ),
]

WOLKENDAL = "Demoregio Wolkendal"
OTHER_REGIONS = ("Demoregio Duinrade", "Demoregio Meerhaven")
GEMEENTE = "gemeente@wolkendal.nl"
CLIENT_ID = "ketenkaart"
SIGNED_OUT = "Log in met het account van uw organisatie"
NO_ACCESS = "U hebt geen toegang tot Ketenkaart"


@contextmanager
def running_provider(redirect_uri: str, client_secret: str, log: Path) -> Iterator[str]:
    """``node tests/oidc/provider.js`` until the block ends; yields its issuer URL."""
    command = [NODE or "node", "provider.js", "--redirect-uri", redirect_uri]
    command += ["--client-id", CLIENT_ID, "--client-secret", client_secret]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=PROVIDER, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            issuer = None
            while issuer is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"de inlogdienst start niet:\n{log.read_text()}")
                lines = log.read_text().splitlines()
                issuer = next((ln.split()[1] for ln in lines if ln.startswith("issuer ")), None)
                time.sleep(0.1)
            yield issuer
        finally:
            stop_process(process)


@pytest.fixture(scope="module")
def oidc_app(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory, fixed_today: date
) -> Iterator[str]:
    """``streamlit run serve.py`` in oidc mode, signed in through the provider, on a copy of the
    demo with one gemeente user; yields the app's URL (``localhost``, as the redirect URI)."""
    folder = tmp_path_factory.mktemp("browser-oidc")
    db = folder / "oidc.duckdb"
    shutil.copyfile(demo_db_template, db)
    with store.writing(db) as con:
        access.add_user(con, GEMEENTE, "gemeente", [WOLKENDAL], principal=LOCAL)
    port = free_port()
    url = f"http://localhost:{port}"
    client_secret = secrets.token_urlsafe(24)
    with running_provider(f"{url}/oauth2callback", client_secret, folder / "provider.log") as iss:
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{url}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            f'client_id = "{CLIENT_ID}"\n'
            f'client_secret = "{client_secret}"\n'
            f'server_metadata_url = "{iss}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {
            "KETENKAART_DB": str(db),
            "KETENKAART_TODAY": fixed_today.isoformat(),
            "KETENKAART_AUTH": "oidc",
            "STREAMLIT_SECRETS_FILES": str(secrets_file),
        }
        with running_server("serve.py", folder / "server.log", env, port=port):
            yield url


def _idle(page, selector: str | None = None) -> None:
    """Wait for ``selector`` (the page's own content, drawn) and the end of the run."""
    if selector:
        page.wait_for_selector(selector, timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)


#: What the pages show once drawn: the sign-in and no-access pages' text, the overview's figures.
SIGN_IN_PAGE = f"text={SIGNED_OUT}"
NO_ACCESS_PAGE = f"text={NO_ACCESS}"
OVERVIEW = "[data-testid='stMetricValue']"


def _sign_in(page, url: str, email: str, shows: str, shot: str | None = None) -> None:
    """From the app's sign-in page through the provider's sign-in and back, until ``shows``;
    ``shot``: the name of a screenshot of the provider's page."""
    page.goto(url)
    _idle(page, SIGN_IN_PAGE)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("http://127.0.0.1:*/interaction/*", timeout=30_000)
    if shot:
        page.screenshot(path=str(ARTIFACTS / shot))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    _idle(page, shows)


def test_a_gemeente_signs_in_at_the_provider_sees_its_region_and_signs_out(
    oidc_app: str, browser
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(oidc_app)
        _idle(page, SIGN_IN_PAGE)
        body = page.inner_text("body")
        assert SIGNED_OUT in body
        assert "Demoregio" not in body
        page.screenshot(path=str(ARTIFACTS / "oidc-inloggen-1280x720.png"))

        # the address as the person types it; Ketenkaart compares it case-insensitively
        _sign_in(page, oidc_app, "Gemeente@Wolkendal.nl", OVERVIEW, "oidc-inlogdienst-1280x720.png")
        sidebar = page.inner_text("[data-testid='stSidebar']")
        assert f"Ingelogd als {GEMEENTE}" in sidebar
        body = page.inner_text("body")
        assert WOLKENDAL in body
        assert not any(region in body for region in OTHER_REGIONS)
        page.screenshot(path=str(ARTIFACTS / "oidc-gemeente-1280x720.png"))
        # the region picker offers its region only
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
        page.get_by_role("option").first.wait_for(timeout=10_000)
        assert page.get_by_role("option").all_inner_texts() == [WOLKENDAL]
        page.keyboard.press("Escape")

        page.reload()  # the sign-in is kept in Streamlit's cookie
        _idle(page, OVERVIEW)
        assert f"Ingelogd als {GEMEENTE}" in page.inner_text("[data-testid='stSidebar']")

        page.get_by_role("button", name="Uitloggen").click()
        page.get_by_role("button", name="Ja, uitloggen").click()  # the provider's own question
        page.wait_for_url(f"{oidc_app}/**", timeout=30_000)
        _idle(page, SIGN_IN_PAGE)
        body = page.inner_text("body")
        assert SIGNED_OUT in body
        assert "Demoregio" not in body
        page.screenshot(path=str(ARTIFACTS / "oidc-uitgelogd-1280x720.png"))
    finally:
        context.close()


def test_a_person_ketenkaart_does_not_know_sees_only_the_no_access_page(
    oidc_app: str, browser
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        _sign_in(page, oidc_app, "iemand@elders.nl", NO_ACCESS_PAGE)
        body = page.inner_text("body")
        assert NO_ACCESS in body
        assert "Demoregio" not in body
        assert "Ingelogd als" not in body
        page.screenshot(path=str(ARTIFACTS / "oidc-geen-toegang-1280x720.png"))

        page.get_by_role("button", name="Uitloggen").click()
        page.get_by_role("button", name="Ja, uitloggen").click()
        page.wait_for_url(f"{oidc_app}/**", timeout=30_000)
        _idle(page, SIGN_IN_PAGE)
        assert SIGNED_OUT in page.inner_text("body")
    finally:
        context.close()
