"""A live server that speaks ASGI (HTTP and websockets), for browser tests of live notifications.

pytest-django's `live_server` is a WSGI thread, so a page's /ws/notifications/ has nothing to talk
to. `asgi_live_server` instead forks Daphne serving config.asgi's application, as Channels'
`ChannelsLiveServerTestCase` does, on the test database. HTTP requests and websockets are then
handled in that one process, so the test settings' in-memory channel layer carries a notification
from the request that creates it to the browser that should hear it, as Redis does between the
web and worker processes in production.

The server process has its own memory: e-mails it sends land in a directory, read back with
`server.outbox()` (the same EmailMessage objects `django.core.mail.outbox` would hold), and its
cache is not the test process's.
"""

from __future__ import annotations

import copy
import ctypes
import multiprocessing.popen_fork
import os
import pickle
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from daphne.testing import DaphneProcess
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

OUTBOX_ENV = "CG_TEST_ASGI_OUTBOX"


class DirectoryEmailBackend(BaseEmailBackend):
    """The server process's mail backend: each message pickled into OUTBOX_ENV's directory."""

    def send_messages(self, email_messages: Any) -> int:
        outbox = Path(os.environ[OUTBOX_ENV])
        for message in email_messages:
            message.message()  # renders it, as the locmem backend does, so a broken message fails here
            kept = copy.copy(message)
            kept.connection = None
            name = f"{time.time_ns():020d}-{os.getpid()}.pickle"
            (outbox / name).write_bytes(pickle.dumps(kept))
        return len(email_messages)


def _serve_test_database(database: dict[str, Any], outbox: str, parent_pid: int) -> None:
    """Runs in the server process before it serves: the test database, mail to the outbox directory."""
    from asgiref.sync import SyncToAsync
    from django.conf import settings
    from django.db import connections

    # Stop with the test process even if it is killed (PR_SET_PDEATHSIG), so no server outlives it.
    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))
    if os.getppid() != parent_pid:
        os._exit(1)
    # asgiref runs thread-sensitive sync code (Channels' database_sync_to_async in the websocket
    # consumer) on one class-level executor. If this test process used it before forking, the child
    # inherits the executor but not its thread, and every websocket connect would wait forever.
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    # Forked, so these are already right; set explicitly so the server can never open another database.
    settings.DATABASES["default"]["NAME"] = database["NAME"]
    connections["default"].settings_dict["NAME"] = database["NAME"]
    os.environ[OUTBOX_ENV] = outbox
    settings.EMAIL_BACKEND = f"{__name__}.DirectoryEmailBackend"


def _application() -> Any:
    from channels.routing import get_default_application
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    return ASGIStaticFilesHandler(get_default_application())


class ForkedDaphneProcess(DaphneProcess):
    """Always forked: the server must inherit the test settings and database as they are now."""

    _start_method = "fork"

    @staticmethod
    def _Popen(process_obj: Any) -> Any:  # noqa: N802 (multiprocessing's name)
        return multiprocessing.popen_fork.Popen(process_obj)


@dataclass
class AsgiLiveServer:
    url: str
    outbox_dir: Path

    def outbox(self) -> list[EmailMessage]:
        """Every e-mail the server has sent so far, oldest first."""
        return [pickle.loads(path.read_bytes()) for path in sorted(self.outbox_dir.glob("*.pickle"))]  # noqa: S301

    def mail_to(self, address: str, *, timeout: float = 10) -> EmailMessage:
        """The latest e-mail to `address` (waiting a little: the server sends it while answering)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.outbox() if address in m.to]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no e-mail to {address}; outbox: {[m.to for m in self.outbox()]}")
            time.sleep(0.1)


@pytest.fixture
def asgi_live_server(transactional_db: None, tmp_path: Path) -> Iterator[AsgiLiveServer]:
    """Daphne on 127.0.0.1 serving the ASGI app on the test database; stopped after the test."""
    from django.db import connection, connections

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.fail("asgi_live_server needs a file or server database (see config/settings/test.py)")
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    # Nothing of this process's open connections may be shared with the child.
    connections.close_all()
    process = ForkedDaphneProcess(
        "127.0.0.1",
        _application,
        setup=partial(_serve_test_database, dict(connection.settings_dict), str(outbox), os.getpid()),
    )
    process.daemon = True
    process.start()
    try:
        deadline = time.monotonic() + 30
        while not process.ready.wait(timeout=0.5):
            if not process.is_alive() or time.monotonic() > deadline:
                error = "" if process.errors.empty() else process.errors.get_nowait()[1]
                raise RuntimeError(f"Daphne did not start:\n{error}")
        yield AsgiLiveServer(url=f"http://127.0.0.1:{process.port.value}", outbox_dir=outbox)
    finally:
        process.terminate()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
