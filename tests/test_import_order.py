"""The one-way order between apps, for the reads import-linter cannot see.

`make lint` runs an import-linter layers contract over imports. A lower app can still reach a higher
one without importing it: `apps.get_model("higher", ...)`, or a setting holding a dotted path into a
higher app that the lower app imports by name. Both count as imports here. Migrations are outside
(they run against historical models); tests are outside, as in the layers contract, because a test
of a lower app may build a whole world with higher apps' factories.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings

ORDER = (
    "core",
    "accounts",
    "teams",
    "billing",
    "moderation",
    "content",
    "social",
    "analytics",
    "scheduling",
    "integrations",
    "agents",
    "monitoring",
)
ROOT = Path(settings.BASE_DIR)


def _rank(label: str) -> int | None:
    return ORDER.index(label) if label in ORDER else None


def _app_modules() -> Iterator[tuple[str, Path]]:
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT / app).parts
            if "migrations" in parts or "tests" in parts:
                continue
            yield app, path


def _settings_read(node: ast.AST) -> str | None:
    """`settings.NAME` or `getattr(settings, "NAME", ...)`."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "settings":
        return node.attr
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) >= 2
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == "settings"
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ):
        return node.args[1].value
    return None


def upward_reads(app: str, source: str, dotted_settings: dict[str, str]) -> list[str]:
    """Every `get_model` or dotted-path setting in `source` (code of `app`) that names a higher app."""
    own = ORDER.index(app)
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            label = node.args[0].value.split(".")[0]
            rank = _rank(label)
            if rank is not None and rank > own:
                found.append((node.lineno, f"get_model({', '.join(ast.unparse(arg) for arg in node.args)})"))
        name = _settings_read(node)
        if name in dotted_settings:
            rank = _rank(dotted_settings[name].split(".")[0])
            if rank is not None and rank > own:
                found.append((node.lineno, f"settings.{name} = {dotted_settings[name]!r}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def _dotted_settings() -> dict[str, str]:
    return {
        name: value
        for name in dir(settings)
        if name.isupper()
        and isinstance(value := getattr(settings, name), str)
        and value.split(".")[0] in ORDER
        and "." in value
    }


def test_every_project_app_has_a_place_in_the_order() -> None:
    ours = {config.name for config in django_apps.get_app_configs() if Path(config.path).parent == ROOT}

    assert ours == set(ORDER)


def test_no_app_reads_a_higher_app_through_get_model_or_a_settings_path() -> None:
    dotted = _dotted_settings()
    violations = [
        f"{path.relative_to(ROOT)} {finding}"
        for app, path in _app_modules()
        for finding in upward_reads(app, path.read_text(), dotted)
    ]

    assert violations == []


def test_the_check_sees_each_kind_of_upward_read() -> None:
    # given: a content module reaching analytics in each of the three ways, and a legal downward read
    source = (
        "from django.apps import apps\n"
        "from django.conf import settings\n"
        "apps.get_model('analytics', 'ContentAnalytics')\n"
        "apps.get_model('scheduling.ScheduledPost')\n"
        "import_string(settings.PREDICTOR)\n"
        "getattr(settings, 'PREDICTOR', None)\n"
        "apps.get_model('teams', 'Team')\n"
    )

    # when
    found = upward_reads("content", source, {"PREDICTOR": "analytics.predictions.predict"})

    # then
    assert found == [
        "line 3: get_model('analytics', 'ContentAnalytics')",
        "line 4: get_model('scheduling.ScheduledPost')",
        "line 5: settings.PREDICTOR = 'analytics.predictions.predict'",
        "line 6: settings.PREDICTOR = 'analytics.predictions.predict'",
    ]
