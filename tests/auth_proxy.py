"""A tiny signing-in reverse proxy for the browser tests of the ``proxy`` mode (access.md).

It does what oauth2-proxy does in front of Ketenkaart, and no more: it strips any
``X-Forwarded-Email`` a client sends and sets it itself from its own session cookie
(``proxy_user``, standing in for the proxy's signed session), on every request, the websocket
handshake included. A browser cannot put a header on a websocket handshake, a proxy can; so
the tests give each browser context a session cookie instead of a header.

Each connection carries one request (``Connection: close``); a websocket upgrade is piped both
ways once its head is rewritten.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie

__all__ = ["COOKIE", "HEADER", "running_proxy"]

HEADER = "X-Forwarded-Email"
COOKIE = "proxy_user"


def rewrite_head(head: bytes) -> bytes:
    """The request head as the proxy forwards it: no client ``X-Forwarded-Email``, the
    proxy's own from its cookie, and one request per connection unless it is an upgrade.

    >>> rewrite_head(b"GET / HTTP/1.1\\r\\nX-Forwarded-Email: boss@x.nl\\r\\n\\r\\n")
    b'GET / HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n'
    >>> rewrite_head(b"GET / HTTP/1.1\\r\\nCookie: proxy_user=a@b.nl\\r\\n\\r\\n").count(b"a@b.nl")
    2
    """
    lines = head.decode("latin-1").split("\r\n")
    request, headers = lines[0], [line for line in lines[1:] if line]
    email = None
    upgrade = any(
        line.partition(":")[0].strip().lower() == "upgrade"
        and line.partition(":")[2].strip().lower() == "websocket"
        for line in headers
    )
    kept = []
    for line in headers:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        if key == HEADER.lower():
            continue  # never trust the client's own
        if key == "cookie":
            cookie = SimpleCookie()
            cookie.load(value.strip())
            if COOKIE in cookie:
                email = cookie[COOKIE].value
        kept.append(line)
    if not upgrade:
        kept = [line for line in kept if not line.lower().startswith("connection:")]
        kept.append("Connection: close")
    if email:
        kept.append(f"{HEADER}: {email}")
    return ("\r\n".join([request, *kept]) + "\r\n\r\n").encode("latin-1")


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def _handle(
    client_reader: asyncio.StreamReader,
    client_writer: asyncio.StreamWriter,
    upstream_port: int,
) -> None:
    try:
        head = await client_reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        client_writer.close()
        return
    upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    upstream_writer.write(rewrite_head(head))
    await upstream_writer.drain()
    await asyncio.gather(
        _pipe(client_reader, upstream_writer), _pipe(upstream_reader, client_writer)
    )


@contextmanager
def running_proxy(upstream_port: int) -> Iterator[str]:
    """The proxy on a free local port in a thread until the block ends; yields its URL."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, object] = {}

    async def serve() -> None:
        server = await asyncio.start_server(
            lambda r, w: _handle(r, w, upstream_port), "127.0.0.1", 0
        )
        holder["server"] = server
        holder["port"] = server.sockets[0].getsockname()[1]
        started.set()
        async with server:
            with contextlib.suppress(asyncio.CancelledError):  # closed by the block's end
                await server.serve_forever()

    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield f"http://127.0.0.1:{holder['port']}"
    finally:
        loop.call_soon_threadsafe(holder["server"].close)  # type: ignore[attr-defined]
        thread.join(timeout=5)
