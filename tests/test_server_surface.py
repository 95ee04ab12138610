"""What the web server shows the network (``streamlit run serve.py``, as ``make run``): it
listens on this machine only, sends headers that keep its pages out of other sites' frames,
keeps Streamlit's metrics closed, and shows an unexpected page error as a Dutch message with the
details in its log only."""

from __future__ import annotations

import ipaddress
import shutil
import textwrap
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import serve
from tests.servers import CHROMIUM, CHROMIUM_ARGS, IDLE, ROOT, running_server


def _listening_addresses(port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The local addresses of the sockets listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            address_hex, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            assert len(address_hex) == width
            # the kernel writes each 32-bit word in host (little-endian) order
            raw = b"".join(bytes.fromhex(address_hex[i : i + 8])[::-1] for i in range(0, width, 8))
            found.append(ipaddress.ip_address(raw))
    return found


@pytest.fixture(scope="module")
def server(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("surface")
    db = folder / "surface.duckdb"
    shutil.copyfile(demo_db_template, db)
    # address=None: the address comes from the project's .streamlit/config.toml, as in make run
    with running_server(
        "serve.py", folder / "server.log", {"KETENKAART_DB": str(db)}, address=None
    ) as running:
        yield running


def test_the_local_mode_listens_on_this_machine_only(server) -> None:
    addresses = _listening_addresses(server.port)
    assert addresses, "geen luisterende socket gevonden"
    assert all(address.is_loopback for address in addresses), addresses


def test_every_response_carries_the_security_headers(server) -> None:
    for path in ("/", "/_stcore/health", "/ketenkaart"):
        with urllib.request.urlopen(server.url + path, timeout=10) as response:
            for name, value in serve.SECURITY_HEADERS.items():
                assert response.headers[name] == value, (path, name)


def test_the_map_frame_may_be_framed_by_the_app_only(server) -> None:
    # the Ketenkaart's map is a frame of its own (ui/map_chart.py) in the app's page
    url = server.url + serve.COMPONENT_PATH + "ui.map_chart.kaart/index.html"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            headers = response.headers
    except urllib.error.HTTPError as error:  # not yet registered: no visitor opened the map
        headers = error.headers
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_metrics_endpoint_is_closed(server) -> None:
    with pytest.raises(urllib.error.HTTPError) as closed:
        urllib.request.urlopen(server.url + "/_stcore/metrics", timeout=10)
    assert closed.value.code == 404
    assert closed.value.headers["X-Frame-Options"] == "DENY"


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} ontbreekt")
def test_an_unexpected_page_error_is_a_dutch_message_and_a_log_line(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    # A page that fails the way a bug would, served by serve.py's own middleware and handler.
    (tmp_path / "kapot.py").write_text(
        'raise RuntimeError("/srv/geheim/pad.py: interne fout")\n', encoding="utf-8"
    )
    (tmp_path / "server_test.py").write_text(
        textwrap.dedent(
            """
            import streamlit as st
            from starlette.middleware import Middleware

            from serve import SecurityMiddleware, show_page_error

            app = st.App(
                "kapot.py",
                middleware=[Middleware(SecurityMiddleware)],
                on_script_error=show_page_error,
            )
            """
        ),
        encoding="utf-8",
    )
    log = tmp_path / "server.log"

    def page_text(url: str) -> str:
        # in a thread of its own: another test's Playwright may hold this thread's event loop
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = chromium.new_page()
                page.goto(url)
                page.wait_for_selector(IDLE, timeout=60_000)
                return page.inner_text("[data-testid='stMain']")
            finally:
                chromium.close()

    with (
        running_server(
            tmp_path / "server_test.py", log, {"PYTHONPATH": str(ROOT)}, cwd=tmp_path
        ) as running,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        text = pool.submit(page_text, running.url).result(timeout=120)
    assert serve.PAGE_ERROR.split(".")[0] in text
    assert "RuntimeError" not in text and "geheim" not in text
    assert "RuntimeError: /srv/geheim/pad.py: interne fout" in log.read_text()
