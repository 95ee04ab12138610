"""The web server around the app: ``streamlit run serve.py`` (what ``make run`` starts).

Streamlit serves ``app.py`` as usual; this entry adds what a server owes its visitors:
- headers that keep the pages out of other sites' frames and stop browsers guessing content
  types (``X-Frame-Options``, CSP ``frame-ancestors``, ``nosniff``, no referrer to other sites);
  a component's page (the map's frame) may be framed by the app itself only;
- Streamlit's metrics endpoint closed (it tells anyone who asks how busy the server is);
- an unexpected error on a page shown as a Dutch message, with the details in the server's log
  only (never a traceback or a server path in front of a user).

The address it listens on comes from ``.streamlit/config.toml`` (localhost in the local mode).
"""

from __future__ import annotations

import logging

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.runtime.pages_manager import PagesManager

__all__ = [
    "CLOSED_PATHS",
    "COMPONENT_HEADERS",
    "COMPONENT_PATH",
    "IMMUTABLE",
    "IMMUTABLE_COMPONENTS",
    "SECURITY_HEADERS",
    "SecurityMiddleware",
    "app",
    "show_page_error",
]

LOG = logging.getLogger("ketenkaart")

#: Sent with every HTTP response.
SECURITY_HEADERS: dict[str, str] = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

#: A component's own page (the Ketenkaart's map, ``ui/map_chart.py``) is a frame in the app's
#: page: it may be framed by the app itself, by no other site.
COMPONENT_HEADERS: dict[str, str] = {
    **SECURITY_HEADERS,
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
}

#: Paths (after any base URL) of the components' files.
COMPONENT_PATH = "/component/"

#: Components whose files never change under their address (the version is in the name: the map
#: frame's plotly.js, ``ui/map_chart.py``): a browser may keep them a year instead of fetching
#: 1.5 MB at every visit of the Ketenkaart.
IMMUTABLE_COMPONENTS = (COMPONENT_PATH + "ui.map_chart.plotlyjs-",)
IMMUTABLE = "public, max-age=31536000, immutable"


def _as_bytes(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """Headers as (lower-case name, value) bytes, as ASGI sends them."""
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


_HEADERS = _as_bytes(SECURITY_HEADERS)
_COMPONENT_HEADERS = _as_bytes(COMPONENT_HEADERS)
_HEADER_NAMES = {name for name, _ in _HEADERS}

#: Paths (after any base URL) that are answered with 404.
CLOSED_PATHS = ("/_stcore/metrics",)

PAGE_ERROR = (
    "Er ging iets mis bij het tonen van deze pagina. Uw gegevens zijn niet veranderd. Laad de "
    "pagina opnieuw; blijft dit gebeuren, geef dan de tijd door aan de beheerder: de details "
    "staan in het logboek van de server."
)


class SecurityMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response and closes :data:`CLOSED_PATHS`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if any(path == closed or path.endswith(closed) for closed in CLOSED_PATHS):
            response = PlainTextResponse("Niet gevonden", status_code=404)
            await response(scope, receive, self._with_headers(send))
            return
        extra = _COMPONENT_HEADERS if COMPONENT_PATH in path else _HEADERS
        immutable = any(prefix in path for prefix in IMMUTABLE_COMPONENTS)
        await self.app(scope, receive, self._with_headers(send, extra, immutable))

    @staticmethod
    def _with_headers(
        send: Send, extra: list[tuple[bytes, bytes]] = _HEADERS, immutable: bool = False
    ) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                keep = immutable and message.get("status") == 200
                replaced = _HEADER_NAMES | ({b"cache-control"} if keep else set())
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in replaced
                ]
                if keep:
                    headers.append((b"cache-control", IMMUTABLE.encode("latin-1")))
                message = {**message, "headers": headers + extra}
            await send(message)

        return send_with_headers


def show_page_error(error: Exception) -> bool:
    """Log an unexpected page error and show the Dutch message instead of the traceback."""
    LOG.error("Onverwachte fout op een pagina", exc_info=error)
    st.error(PAGE_ERROR)
    return True


# app.py builds its pages with st.navigation. Streamlit 1.67 looks for a pages/ folder next to
# the main script to decide, for the first run after the server starts, whether the app uses
# the old pages-folder mode; ours has one (the page scripts), so the first visitor who opened a
# link to a page (/ketenkaart) got "Page not found" before the page itself. Say so up front.
PagesManager.uses_pages_directory = False

app = st.App("app.py", middleware=[Middleware(SecurityMiddleware)], on_script_error=show_page_error)
