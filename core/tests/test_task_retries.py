"""One retry convention for Celery tasks (core/retry.py): a task retries through Celery's
`autoretry_for` + backoff, or says in a comment who retries instead; no hand-made `max_retries`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from celery import current_app

from core.retry import RETRY_ON_ERROR

ROOT = Path(__file__).resolve().parents[2]
TASK_FILES = sorted(p for p in ROOT.glob("*/tasks.py") if p.parent.name not in {".venv", "node_modules"})
RETRY_KWARGS = {"max_retries", "default_retry_delay", "autoretry_for", "retry_backoff"}


def _task_decorators(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                call = deco if isinstance(deco, ast.Call) else None
                target = call.func if call else deco
                if isinstance(target, ast.Name) and target.id == "shared_task":
                    yield node, call


def test_the_task_files_are_found():
    assert {p.parent.name for p in TASK_FILES} >= {"accounts", "analytics", "billing", "scheduling", "social", "teams"}


@pytest.mark.parametrize("path", TASK_FILES, ids=lambda p: p.parent.name)
def test_every_task_retries_through_the_convention_or_says_who_retries(path):
    lines = path.read_text().splitlines()
    assert ".retry(" not in path.read_text(), "retry by raising: RETRY_ON_ERROR / retry_on"
    for func, call in _task_decorators(path):
        keywords = call.keywords if call else []
        literal = sorted(k.arg for k in keywords if k.arg in RETRY_KWARGS)
        assert not literal, f"{path.parent.name}.{func.name} sets {literal} by hand"
        unpacks_policy = any(k.arg is None for k in keywords)
        decorator_line = func.decorator_list[0].lineno
        nearby = " ".join(lines[max(0, decorator_line - 2) : func.lineno]).lower()
        assert unpacks_policy or "retr" in nearby, f"{path.parent.name}.{func.name}: say who retries it"


def test_tasks_that_retry_do_so_with_backoff_and_the_others_never_retry():
    import accounts.tasks  # noqa: F401  (registers the tasks)
    import core.tasks  # noqa: F401
    import scheduling.tasks  # noqa: F401
    import social.tasks  # noqa: F401

    export = current_app.tasks["accounts.tasks.build_data_export"]
    assert export.autoretry_for == RETRY_ON_ERROR["autoretry_for"] and export.retry_backoff == 30
    assert export.max_retries == 3 and export.retry_jitter
    backup = current_app.tasks["core.tasks.create_backup"]
    assert backup.max_retries == 2 and backup.retry_backoff == 600 and OSError in backup.autoretry_for
    # Deliveries are retried by the publishing lease sweep, never by Celery as well.
    for name in ("social.tasks.deliver_publish_result", "scheduling.tasks.publish_scheduled_posts"):
        assert not getattr(current_app.tasks[name], "autoretry_for", ())
