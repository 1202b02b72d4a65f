"""`make test` collects every app's tests: an app missing from pytest's testpaths is never run, in CI
either, and its breakage lands unseen (integrations' tests went unrun this way)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_folder_with_tests_is_in_testpaths():
    testpaths = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"]
    with_tests = {
        path.parent.name
        for path in ROOT.glob("*/tests")
        if path.is_dir() and any(path.rglob("test_*.py")) and not path.parent.name.startswith(".")
    }
    if any(ROOT.joinpath("tests").glob("test_*.py")):
        with_tests.add("tests")

    assert sorted(with_tests - set(testpaths)) == []
