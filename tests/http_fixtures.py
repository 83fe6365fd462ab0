"""A real HTTP server on 127.0.0.1 for the download tests: no network beyond loopback.

`serve` runs ``http.server.ThreadingHTTPServer`` on a free port in a thread
and answers from a table of `Route` values that a test fills in; it can lie
about ``Content-Length`` to imitate a connection that drops mid-download.
`index_entry` and `publish` make an argospm package index for it to serve.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Route:
    """What the server answers for one path."""

    body: bytes
    status: int = 200
    content_type: str = "application/octet-stream"
    #: Announced length, when it should differ from the body's (a truncated
    #: download announces more than it sends, then closes the connection).
    content_length: int | None = None


@dataclass
class LoopbackServer:
    """A running server; `routes` may change while it runs."""

    base_url: str
    routes: dict[str, Route] = field(default_factory=dict)
    #: Paths requested, in order.
    requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        """The absolute URL of `path` (which starts with ``/``)."""
        return self.base_url + path

    def add(self, path: str, body: bytes, **options: int | str | None) -> str:
        """Serve `body` at `path`; return its URL. Options are `Route` fields."""
        self.routes[path] = Route(body, **options)  # type: ignore[arg-type]
        return self.url(path)


@contextlib.contextmanager
def serve() -> Iterator[LoopbackServer]:
    """Run a `LoopbackServer` for the duration of the ``with`` block."""
    state = LoopbackServer(base_url="")

    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: the server closes the connection after each response, so a
        # body shorter than its Content-Length reaches the client as an early EOF.
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            state.requests.append(self.path)
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            length = len(route.body) if route.content_length is None else route.content_length
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output clean."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    state.base_url = f"http://{host!s}:{port}"
    # A short poll interval: shutdown() waits for the serving loop's next poll.
    thread = threading.Thread(
        target=server.serve_forever, args=(0.01,), name="loopback-http", daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def index_entry(to_code: str, links: list[str], version: str = "1.1") -> dict[str, Any]:
    """One package of an argospm ``index.json``, English into `to_code`."""
    return {
        "package_version": version,
        "argos_version": "1.1",
        "from_code": "en",
        "from_name": "English",
        "to_code": to_code,
        "to_name": to_code,
        "links": links,
        "code": f"translate-en_{to_code}",
    }


def publish(server: LoopbackServer, *entries: dict[str, Any]) -> str:
    """Serve `entries` as the server's ``/index.json``; its URL."""
    return server.add("/index.json", json.dumps(list(entries)).encode())
