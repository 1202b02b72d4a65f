"""A real HTTP server on 127.0.0.1 in a thread: the webhook receiver and the feed publisher of the tests.

The address guard refuses loopback; tests that talk to this server allow 127.0.0.1 through
OUTBOUND_ALLOWED_NETWORKS, a setting production leaves empty (only a self-hoster's own network).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)


class LocalServer:
    """Records every request; `respond` decides each answer from the request."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.respond: Callable[[Received], Reply] = lambda request: Reply()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Received(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    at=time.time(),
                )
                server.requests.append(request)
                reply = server.respond(request)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.status != 304:
                    self.wfile.write(reply.body)

            do_GET = do_POST = _handle  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


@pytest.fixture
def allow_local(settings):
    """Let the guard reach the test's own server (and nothing else on this machine)."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    return settings


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def team(user):
    return user.current_team


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def outsider_api(db):
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client
