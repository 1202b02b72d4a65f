"""Production settings: `check --deploy` is clean with the required variables, the settings refuse to
start without them, and the README documents every environment variable the settings read."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = sorted((ROOT / "config" / "settings").glob("*.py"))
REQUIRED = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "kZ0p7Wq3sV9xL2mN8rT4yU6iO1aS5dF7gH9jK3lZ5xC7vB9nM1qW3eR5tY7uI9oP",
    "FIELD_ENCRYPTION_KEYS": "8Xp1b9fJd2vQeYx8m0Kk3w7R5t2uV4yZ6a8c0e2g4i8=",
    # Nothing listens there: the checks must not need a live Redis.
    "REDIS_URL": "redis://127.0.0.1:9/0",
    "DJANGO_ALLOWED_HOSTS": "app.example.com",
    "SELF_HOSTED": "true",
}
# Read by the test settings only, never by a deployment.
INTERNAL = {"TEST_SUBPROCESS"}


def _production_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_")) and k != "REDIS_URL"}
    env.pop("DATABASE_URL", None)  # SQLite: the deploy checks must not need a database server
    env.update(REQUIRED)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def test_check_deploy_prints_no_warnings_under_production_settings():
    # when
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )

    # then
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues (0 silenced)." in run.stdout
    assert "WARNING" not in run.stdout + run.stderr


@pytest.mark.parametrize(
    ("missing", "value"),
    [
        ("DJANGO_SECRET_KEY", None),
        ("DJANGO_SECRET_KEY", "too-short"),
        ("FIELD_ENCRYPTION_KEYS", None),
        ("REDIS_URL", None),
        ("SELF_HOSTED", None),  # and no Stripe key: a forgotten key must not give everything away
        ("SELF_HOSTED", ""),
    ],
)
def test_production_settings_refuse_to_start_without_a_required_variable(missing, value):
    env = _production_env(**{missing: value})

    run = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr
    assert missing in run.stderr


@pytest.mark.parametrize(
    "choice",
    [
        {"SELF_HOSTED": "false", "STRIPE_TEST_SECRET_KEY": "sk_test_x"},
        {"SELF_HOSTED": None, "STRIPE_TEST_SECRET_KEY": "sk_test_x"},
    ],
)
def test_production_settings_start_with_stripe_keys_and_no_self_hosted_flag(choice):
    run = subprocess.run(
        [sys.executable, "-c", "from config.settings import production as p; print(p.SELF_HOSTED)"],
        cwd=ROOT,
        env=_production_env(**choice),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


NEW_KEY, OLD_KEY = "8Xp1b9fJd2vQeYx8m0Kk3w7R5t2uV4yZ6a8c0e2g4i8=", "Qm9vdHN0cmFwIGtleSBmb3IgdGVzdHMgb25seSEhISE="


def _production_keys(**env: str | None) -> subprocess.CompletedProcess[str]:
    code = "import json; from config.settings import production as p; print(json.dumps(p.FIELD_ENCRYPTION_KEYS))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_production_env(**env), capture_output=True, text=True, timeout=60
    )


def test_field_encryption_keys_may_be_given_as_a_file_like_the_other_secrets(tmp_path):
    one_a_line, comma_separated = tmp_path / "keys", tmp_path / "keys-csv"
    one_a_line.write_text(f"{NEW_KEY}\n{OLD_KEY}\n")
    comma_separated.write_text(f"{NEW_KEY},{OLD_KEY}")

    for path in (one_a_line, comma_separated):
        run = _production_keys(FIELD_ENCRYPTION_KEYS=None, FIELD_ENCRYPTION_KEYS_FILE=str(path))
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout.strip().splitlines()[-1]) == [NEW_KEY, OLD_KEY]  # newest first, as listed


def test_an_empty_key_file_is_refused_in_production(tmp_path):
    empty = tmp_path / "keys"
    empty.write_text("\n")

    run = _production_keys(FIELD_ENCRYPTION_KEYS=None, FIELD_ENCRYPTION_KEYS_FILE=str(empty))

    assert run.returncode != 0 and "FIELD_ENCRYPTION_KEYS" in run.stderr


def test_without_stripe_keys_a_local_server_is_self_hosted():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "SELF_HOSTED", "PYTEST_"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    code = "from config.settings import local as s; print(s.SELF_HOSTED)"

    bare = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    keyed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "STRIPE_TEST_SECRET_KEY": "sk_test_x"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (bare.stdout.strip(), keyed.stdout.strip()) == ("True", "False"), bare.stderr + keyed.stderr


def _variables_read_by_settings() -> set[str]:
    """Every name passed to env.<cast>(...) or env_secret(...) in config/settings/*.py; the f-string
    names of the social platforms become their SOCIAL_<PLATFORM>_ pattern."""
    names: set[str] = set()
    for path in SETTINGS:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            is_env = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"
            is_secret = isinstance(func, ast.Name) and func.id in {"env_secret", "env_secret_list"}
            if not (is_env or is_secret):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
            elif isinstance(first, ast.JoinedStr):
                suffix = "".join(p.value for p in first.values if isinstance(p, ast.Constant))
                names.add(f"SOCIAL_<PLATFORM>{suffix}")
    return names - INTERNAL


def test_the_settings_read_the_variables_this_test_knows_about():
    # guards the AST walk above: an empty or tiny set would make the README test pass vacuously
    names = _variables_read_by_settings()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SOCIAL_<PLATFORM>_CLIENT_ID"} <= names
    assert len(names) > 150


def test_readme_documents_every_environment_variable_with_a_default():
    readme = (ROOT / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| `")]
    documented: dict[str, str] = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for name in re.findall(r"`([A-Z][A-Z0-9_<>]+)`", cells[0]):
            documented[name] = cells[1] if len(cells) > 2 else ""
    # "`API_RATE_LIMIT_FREE` / `_PRO`" style rows name the rest by suffix
    for row in rows:
        first = row.strip("|").split("|")[0]
        names = re.findall(r"`([A-Z][A-Z0-9_<>]*)`", first)
        if names and any(n.startswith("_") for n in re.findall(r"`(_[A-Z0-9_]+)`", first)):
            stem = names[0].rsplit("_", 1)[0]
            for suffix in re.findall(r"`(_[A-Z0-9_]+)`", first):
                documented[stem + suffix] = documented[names[0]]

    missing = sorted(_variables_read_by_settings() - documented.keys())
    assert not missing, f"README's environment tables lack {missing}"
    no_default = sorted(n for n in _variables_read_by_settings() if not documented[n])
    assert not no_default, f"README gives no default for {no_default}"
