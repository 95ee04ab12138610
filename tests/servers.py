"""The real web server and browser for tests: ``streamlit run SCRIPT`` as ``make run`` does,
and how the browser tests start Debian's headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

#: Debian's Chromium (never a browser downloaded by Playwright) and its flags for this machine:
#: no sandbox as root, no GPU, and no background connections the closed network refuses.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: A Streamlit page that has finished its run.
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
#: A projector and a large screen.
SCREEN_SIZES = ((1280, 720), (1920, 1080))


@dataclass(frozen=True)
class Server:
    """A running server: where it answers, its process and its log file."""

    url: str
    port: int
    process: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"de server stopte meteen (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError("de server werd niet gezond binnen de tijd")


def stop_process(process: subprocess.Popen) -> None:
    """End a server the tests started: politely, then for good after ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_server(
    script: str | Path,
    log: Path,
    env: dict[str, str] | None = None,
    *,
    cwd: Path = ROOT,
    address: str | None = "127.0.0.1",
    port: int | None = None,
) -> Iterator[Server]:
    """``streamlit run SCRIPT`` on a free port (or ``port``) until the block ends.

    ``address=None`` leaves the address to the project's ``.streamlit/config.toml``, as
    ``make run`` does. ``port``: for a server whose address must be known before it starts
    (the sign-in callback URL of the oidc mode).
    """
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    if address is not None:
        command.append(f"--server.address={address}")
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=dict(os.environ, **(env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_health(url, process)
            yield Server(url=url, port=port, process=process, log=log)
        finally:
            stop_process(process)


def upload_field(page):
    """The Gegevens page's upload field ("Kies een bestand"), by its name: the first file field
    of a page still being drawn can be another one (once a file landed in the norm matrix's)."""
    return page.get_by_role("region", name="Kies een bestand").locator("input[type='file']")
