"""The database goes through django-prometheus's wrappers in the shapes we run: the embedded SQLite
default (WAL options) and PostgreSQL with the psycopg pool (the test settings turn the pool off, so
this starts a process with the local settings to check the real thing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from core.tests.workers import database_url_for_current_test_db

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup();"
    "from django.db import connection;"
    "from django_prometheus.db import execute_total;"
    "c = connection.cursor(); c.execute('SELECT 1'); c.fetchone();"
    "pool = getattr(connection, 'pool', None);"
    "print(json.dumps({'engine': connection.settings_dict['ENGINE'], 'vendor': connection.vendor,"
    "'pooled': pool is not None,"
    "'executed': sum(s.value for m in execute_total.collect() for s in m.samples if s.name.endswith('_total'))}))"
)


def _probe(database_url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": database_url}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_embedded_sqlite_default_is_instrumented(tmp_path):
    probe = _probe(f"sqlite:///{tmp_path / 'embedded.sqlite3'}")

    assert probe == {
        "engine": "django_prometheus.db.backends.sqlite3",
        "vendor": "sqlite",
        "pooled": False,
        "executed": 1.0,
    }


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_with_the_connection_pool_is_instrumented():
    if connection.vendor != "postgresql":
        pytest.skip("runs where the suite runs on PostgreSQL (CI)")
    probe = _probe(database_url_for_current_test_db())

    assert probe["engine"] == "django_prometheus.db.backends.postgresql"
    assert probe["pooled"] is True
    assert probe["executed"] >= 1
