"""The ``oidc`` mode with an incomplete ``[auth]`` section (access.md: a mode without its
configuration says so and shows no data): before, the sign-in page showed and ``st.login()``
failed when pressed (the generic error page); now the app says it is not set up and names what
``.streamlit/secrets.toml`` needs. The full sign-in is in tests/test_browser_oidc.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.access import AUTH_KEYS

APP = Path(__file__).resolve().parents[1] / "app.py"

COMPLETE = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "geheim-voor-de-cookie",
    "client_id": "ketenkaart",
    "client_secret": "geheim-van-de-client",
    "server_metadata_url": "https://login.gemeente.example/.well-known/openid-configuration",
}


def _run(monkeypatch: pytest.MonkeyPatch, auth: dict[str, str]) -> AppTest:
    monkeypatch.setenv("KETENKAART_AUTH", "oidc")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = auth
    return at.run()


def _text(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.info, *at.markdown, *at.caption)]
    return "\n".join(str(part) for part in parts)


@pytest.mark.parametrize("missing", AUTH_KEYS)
def test_an_auth_section_without_one_key_says_the_app_is_not_set_up(
    app_env: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    at = _run(monkeypatch, {k: v for k, v in COMPLETE.items() if k != missing})
    assert not at.exception
    assert at.title[0].value == "Ketenkaart is niet goed ingesteld"
    assert f"`{missing}`" in at.info[0].value
    assert not at.button  # no sign-in button that would fail
    assert "Demoregio" not in _text(at)


def test_a_complete_auth_section_offers_the_sign_in(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(monkeypatch, COMPLETE)
    assert not at.exception
    assert at.title[0].value == "Inloggen"
    assert [b.label for b in at.button] == ["Inloggen"]
    assert "Demoregio" not in _text(at)
