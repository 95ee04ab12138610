"""Who is using the app (access.md, ``KETENKAART_AUTH``): the identity of this session, resolved
on every run, and the pages that show instead of the app when there is none.

- ``lokaal`` (default): the local ``beheerder``; the sidebar says so.
- ``proxy``: the e-mail address a reverse proxy passes in ``X-Forwarded-Email``, which Streamlit
  puts into ``st.user["email"]`` when ``server.trustedUserHeaders`` maps that header to
  ``email``.
- ``oidc``: Streamlit's own sign-in (``st.login``) with a provider in ``.streamlit/secrets.toml``
  (its ``[auth]`` section); the e-mail address of the signed-in user.

The resolution (:func:`resolve_identity`) takes plain values, so the tests give it what
Streamlit would. The principal lives in this session's state for this run only: every run
resolves it again, and one session never sees another's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from ketendata import access, store
from ketendata.access import LOCAL, Principal

__all__ = [
    "AUTH_ENV_VAR",
    "AUTH_KEYS",
    "EMAIL_HEADER",
    "MODES",
    "Identity",
    "auth_mode",
    "has_auth_config",
    "mask_family_counts",
    "principal",
    "readable_regions",
    "require_identity",
    "resolve_identity",
]

#: The environment variable choosing how Ketenkaart learns who the user is.
AUTH_ENV_VAR = "KETENKAART_AUTH"

#: The identity modes of access.md; the first is the default.
MODES = ("lokaal", "proxy", "oidc")

#: The header a reverse proxy passes the signed-in user's e-mail address in.
EMAIL_HEADER = "X-Forwarded-Email"

_PRINCIPAL_KEY = "_toegang_principal"


@dataclass(frozen=True)
class Identity:
    """The outcome of resolving a session's user: a principal, or why there is none.

    Attributes:
        mode: the identity mode.
        principal: the acting user, or None (then the app shows no data).
        problem: None, ``geen_toegang`` (unknown or absent user), ``inloggen`` (oidc, not signed
            in yet), ``niet_ingesteld`` (the mode's configuration is missing) or
            ``onbekende_modus``.
        email: the address seen, if any (shown on the no-access page).
    """

    mode: str
    principal: Principal | None
    problem: str | None = None
    email: str | None = None


def auth_mode() -> str:
    """The mode of ``KETENKAART_AUTH`` in lower case; ``lokaal`` when unset."""
    return (os.environ.get(AUTH_ENV_VAR) or "lokaal").strip().lower()


def has_email_mapping(trusted_headers: object) -> bool:
    """Whether ``server.trustedUserHeaders`` maps ``X-Forwarded-Email`` to ``email``.

    >>> has_email_mapping({"x-forwarded-email": "email"}), has_email_mapping({})
    (True, False)
    """
    if not isinstance(trusted_headers, Mapping):
        return False
    return any(
        str(header).lower() == EMAIL_HEADER.lower() and value == "email"
        for header, value in trusted_headers.items()
    )


#: What ``st.login()`` needs in the secrets' ``[auth]`` section for its one provider.
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


def has_auth_config(auth: object) -> bool:
    """Whether an ``[auth]`` section holds every key of :data:`AUTH_KEYS` (without them
    ``st.login()`` fails when the button is pressed, so the app says it is not set up).

    >>> has_auth_config(dict.fromkeys(AUTH_KEYS, "x")), has_auth_config({"client_id": "x"})
    (True, False)
    """
    if not isinstance(auth, Mapping):
        return False
    return all(isinstance(auth.get(key), str) and auth.get(key).strip() for key in AUTH_KEYS)


def resolve_identity(
    mode: str,
    *,
    user: Mapping[str, Any],
    trusted_headers: object,
    has_auth_section: bool,
    lookup: Callable[[str], Principal | None],
) -> Identity:
    """Who this session is (access.md, Identity).

    Args:
        mode: ``lokaal``, ``proxy`` or ``oidc``.
        user: what Streamlit gives as ``st.user`` (``email``; ``is_logged_in`` under oidc).
        trusted_headers: the option ``server.trustedUserHeaders``.
        has_auth_section: whether the secrets hold an ``[auth]`` section with what
            ``st.login()`` needs (oidc; :func:`has_auth_config`).
        lookup: the principal of an e-mail address, or None (:func:`access.principal_for`).
    """
    if mode == "lokaal":
        return Identity(mode, LOCAL)
    if mode == "proxy":
        if not has_email_mapping(trusted_headers):
            return Identity(mode, None, "niet_ingesteld")
        email = user.get("email")
    elif mode == "oidc":
        if not has_auth_section:
            return Identity(mode, None, "niet_ingesteld")
        if not user.get("is_logged_in"):
            return Identity(mode, None, "inloggen")
        email = user.get("email")
    else:
        return Identity(mode, None, "onbekende_modus")
    email = email.strip().lower() if isinstance(email, str) and email.strip() else None
    found = lookup(email) if email else None
    if found is None:
        return Identity(mode, None, "geen_toegang", email)
    return Identity(mode, found, None, email)


def _has_auth_section() -> bool:
    try:
        return has_auth_config(st.secrets.get("auth"))
    except Exception:  # no secrets file at all: no [auth] section
        return False


def _lookup(email: str) -> Principal | None:
    from ui import common

    with store.reading(common.db_path()) as con:
        return access.principal_for(con, email)


def current_identity() -> Identity:
    """This session's identity, resolved now from Streamlit's ``st.user`` and options."""
    return resolve_identity(
        auth_mode(),
        user=st.user.to_dict(),
        trusted_headers=st.get_option("server.trustedUserHeaders"),
        has_auth_section=_has_auth_section(),
        lookup=_lookup,
    )


def principal() -> Principal:
    """The acting user of this run (set by :func:`require_identity`); a page run without the
    app (not expected) gets no rights at all."""
    found = st.session_state.get(_PRINCIPAL_KEY)
    return found if isinstance(found, Principal) else Principal("niemand", ())


def readable_regions(regions: tuple[str, ...]) -> tuple[str, ...]:
    """The regions of ``regions`` this run's user may read."""
    return tuple(access.visible_regions(principal(), regions))


def mask_family_counts(
    table: pd.DataFrame,
    region: str,
    organisation_column: str,
    count_column: str,
    share_columns: Sequence[str] = (),
) -> pd.DataFrame:
    """A table as this run's user may see it: counts below 5 of other shelters as "< 5" and
    their shares hidden, for an ``opvang`` user (access.md; :func:`access.shown_counts`)."""
    me = principal()
    organisations = table[organisation_column].tolist()
    counts = table[count_column].tolist()
    masked = table.copy()
    masked[count_column] = access.shown_counts(me, region, organisations, counts)
    for column in share_columns:
        masked[column] = access.shown_shares(
            me, region, organisations, counts, [str(v) for v in table[column]]
        )
    return masked


_PROBLEM_TEXT = {
    "geen_toegang": (
        "U hebt geen toegang tot Ketenkaart",
        "Uw e-mailadres is niet bekend in Ketenkaart, of er is geen e-mailadres doorgegeven. "
        "Vraag de beheerder van Ketenkaart in uw regio (meestal de centrumgemeente) om u een "
        "rol te geven.",
    ),
    "inloggen": (
        "Inloggen",
        "Log in met het account van uw organisatie om Ketenkaart te gebruiken.",
    ),
    "niet_ingesteld": (
        "Ketenkaart is niet goed ingesteld",
        "De gekozen manier van inloggen is niet ingesteld, dus Ketenkaart toont geen gegevens. "
        "Vraag de beheerder van de server om de instelling te maken (zie docs/toegang.md).",
    ),
    "database": (
        "Ketenkaart kan de database nu niet lezen",
        "Daardoor is niet na te gaan wie u bent. Probeer het over een paar seconden opnieuw.",
    ),
    "onbekende_modus": (
        "Ketenkaart is niet goed ingesteld",
        f"{AUTH_ENV_VAR} heeft een onbekende waarde; kies lokaal, proxy of oidc. Ketenkaart "
        "toont geen gegevens.",
    ),
}


def _no_access_page(identity: Identity) -> Callable[[], None]:
    def page() -> None:
        title, text = _PROBLEM_TEXT[identity.problem or "geen_toegang"]
        st.title(title)
        if identity.problem == "niet_ingesteld" and identity.mode == "proxy":
            text += (
                " In de modus proxy hoort Streamlit te starten met "
                f'`STREAMLIT_SERVER_TRUSTED_USER_HEADERS=\'{{"{EMAIL_HEADER}": "email"}}\'`.'
            )
        elif identity.problem == "niet_ingesteld":
            text += (
                " In de modus oidc hoort `.streamlit/secrets.toml` een `[auth]` te hebben met "
                + ", ".join(f"`{key}`" for key in AUTH_KEYS[:-1])
                + f" en `{AUTH_KEYS[-1]}`."
            )
        st.info(text)
        if identity.problem == "inloggen":
            st.button("Inloggen", key="inloggen", type="primary", on_click=st.login)
        elif identity.mode == "oidc" and identity.problem == "geen_toegang":
            st.button("Uitloggen", key="uitloggen", on_click=st.logout)

    return page


def require_identity() -> Principal:
    """Resolve this session's user; without one, show the page that says why (and nothing
    else: no navigation, no region, no count) and stop the run. In the local mode the sidebar
    shows a notice."""
    st.session_state.pop(_PRINCIPAL_KEY, None)
    try:
        identity = current_identity()
    except (store.DatabaseBusyError, store.DatabaseError):
        identity = Identity(auth_mode(), None, "database")
    if identity.principal is None:
        st.navigation(
            [st.Page(_no_access_page(identity), title="Ketenkaart", url_path="geen-toegang")],
            position="hidden",
        ).run()
        st.stop()
    st.session_state[_PRINCIPAL_KEY] = identity.principal
    if identity.mode == "lokaal":
        st.sidebar.caption(
            ":material/lock_open: Lokale modus: geen inloggen, u werkt als beheerder op deze "
            "computer."
        )
    else:
        st.sidebar.caption(f"Ingelogd als {identity.principal.user}")
        if identity.mode == "oidc":
            st.sidebar.button("Uitloggen", key="uitloggen", on_click=st.logout)
    return identity.principal
