"""Sentry starts only when SENTRY_DSN is set, with the Django and Celery integrations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django, sentry_sdk; django.setup(); c = sentry_sdk.get_client();"
    "print(json.dumps({'active': c.is_active(), 'dsn': c.dsn, 'env': c.options.get('environment'),"
    "'pii': c.options.get('send_default_pii'), 'integrations': sorted(c.integrations)}))"
)


def _settings_probe(**env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", **env})
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_a_dsn_sentry_is_not_started():
    assert sentry_sdk.get_client().is_active() is False  # this very test process
    assert _settings_probe()["active"] is False


def test_a_dsn_starts_sentry_with_django_and_celery_and_no_personal_data():
    # A DSN on the discard port: nothing is sent while settings load.
    probe = _settings_probe(SENTRY_DSN="http://publickey@127.0.0.1:9/42", SENTRY_ENVIRONMENT="staging")

    assert probe["active"] is True
    assert probe["dsn"] == "http://publickey@127.0.0.1:9/42"
    assert probe["env"] == "staging"
    assert probe["pii"] is False
    assert {"django", "celery"} <= set(probe["integrations"])
