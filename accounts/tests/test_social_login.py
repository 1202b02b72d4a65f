"""Social login with Google, GitHub and LinkedIn, each switched on by its env vars.

Settings read the variables at start-up, so each case runs in a child process with the environment an
operator would set. Google's sign-in runs end to end through allauth and the real `requests` client
against a fake Google served from this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ENV = {
    "GOOGLE_OAUTH_CLIENT_ID": "google-client-id",
    "GOOGLE_OAUTH_CLIENT_SECRET": "google-secret",
    "GITHUB_OAUTH_CLIENT_ID": "github-client-id",
    "GITHUB_OAUTH_CLIENT_SECRET": "github-secret",
    "LINKEDIN_OAUTH_CLIENT_ID": "linkedin-client-id",
    "LINKEDIN_OAUTH_CLIENT_SECRET": "linkedin-secret",
}
PROFILES = {
    "grace-code": {
        "id": "108234",
        "email": "grace@gmail.test",
        "verified_email": True,
        "name": "Grace Hopper",
        "given_name": "Grace",
        "family_name": "Hopper",
    }
}


def _child_env(**extra: str) -> dict[str, str]:
    # SQLite and in-process services: the child must never touch the parent's test database.
    drop = ("DJANGO_", "PYTEST_", "GOOGLE_", "GITHUB_", "LINKEDIN_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    for name in ("DATABASE_URL", "REDIS_URL", "TEST_SUBPROCESS"):
        env.pop(name, None)
    env.update(extra)
    return env


def _providers(**env: str) -> dict[str, list[str]]:
    script = (
        "import json, config.settings.test as s; print(json.dumps({'apps': [a for a in s.INSTALLED_APPS"
        " if '.providers.' in a], 'providers': sorted(s.SOCIALACCOUNT_PROVIDERS)}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=_child_env(**env), capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_no_provider_is_on_without_its_variables():
    assert _providers() == {"apps": [], "providers": []}


def test_each_provider_is_switched_on_by_its_own_variables():
    everything = _providers(**PROVIDER_ENV)
    github_only = _providers(GITHUB_OAUTH_CLIENT_ID="id", GITHUB_OAUTH_CLIENT_SECRET="secret")

    assert everything == {
        "apps": [
            "allauth.socialaccount.providers.google",
            "allauth.socialaccount.providers.github",
            "allauth.socialaccount.providers.openid_connect",
        ],
        "providers": ["github", "google", "openid_connect"],
    }
    assert github_only == {"apps": ["allauth.socialaccount.providers.github"], "providers": ["github"]}


class _FakeGoogle(BaseHTTPRequestHandler):
    """Google's token and userinfo endpoints: a known code gets a token, the token gets its profile."""

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
        code = (form.get("code") or [""])[0]
        if self.path != "/token" or code not in PROFILES or form.get("client_secret") != ["google-secret"]:
            self._json(400, {"error": "invalid_grant"})
            return
        self._json(200, {"access_token": f"token-{code}", "token_type": "Bearer", "expires_in": 3600})

    def do_GET(self) -> None:  # noqa: N802
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").removeprefix("token-")
        if not self.path.startswith("/userinfo") or token not in PROFILES:
            self._json(401, {"error": "invalid_token"})
            return
        self._json(200, PROFILES[token])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_google() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeGoogle)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_google_sign_in_works_end_to_end_once_switched_on(fake_google):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "--ds",
            "accounts.tests.social_settings",
            "accounts/tests/social_login_flow.py",
        ],
        cwd=ROOT,
        env=_child_env(FAKE_OAUTH_URL=fake_google, **PROVIDER_ENV),
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "4 passed" in run.stdout
