"""Checks against the word lists in moderation/data: profanity and slurs, community guidelines, age.

Lists are JSON data files so that adding a word or a language is a data change (docs/moderation.md).
They are loaded once per process; `reload_lists()` drops the cache (tests, or after editing a file).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext_noop

from core.stored_messages import Message
from moderation.text import TermMatcher
from moderation.types import Reason, Severity

PROFANITY_SEVERITY: dict[str, Severity] = {"mild": "flag", "severe": "block", "slurs": "block"}


def _data_dir() -> Path:
    return Path(settings.MODERATION_DATA_DIR)


def _load(name: str) -> Any:
    return json.loads((_data_dir() / name).read_text(encoding="utf-8"))


@cache
def profanity_matcher() -> TermMatcher:
    terms: list[tuple[str, object]] = []
    for path in sorted((_data_dir() / "profanity").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for level, severity in PROFANITY_SEVERITY.items():
            terms += [(term, (level, severity, data.get("language", path.stem))) for term in data.get(level, [])]
    return TermMatcher(terms)


@cache
def guidelines() -> dict[str, Any]:
    return _load("community_guidelines.json")


@cache
def guideline_matcher() -> TermMatcher:
    categories = guidelines()["categories"]
    return TermMatcher((phrase, name) for name, category in categories.items() for phrase in category["phrases"])


@cache
def age_matcher() -> TermMatcher:
    categories = _load("age_filters.json")["categories"]
    return TermMatcher(
        (term, (name, category["label"], int(category["min_age"])))
        for name, category in categories.items()
        for term in category["terms"]
    )


@cache
def global_protected_terms() -> list[tuple[str, str]]:
    return [(item["term"], item["owner"]) for item in _load("protected_terms.json")["terms"]]


def reload_lists() -> None:
    from moderation.memo import lists_reloaded  # the memo imports the checks

    for loader in (profanity_matcher, guidelines, guideline_matcher, age_matcher, global_protected_terms):
        loader.cache_clear()
    lists_reloaded()


def check_profanity(text: str) -> list[Reason]:
    reasons = []
    for hit in profanity_matcher().find(text):
        level, severity, language = cast(tuple[str, Severity, str], hit.data)
        found = text_at(text, hit.start, hit.end)
        if level == "slurs":
            message = Message(gettext_noop('"%(text)s" is a slur (%(language)s).'), text=found, language=language)
        elif level == "mild":
            message = Message(
                gettext_noop('"%(text)s" is mild profanity (%(language)s).'), text=found, language=language
            )
        elif level == "severe":
            message = Message(
                gettext_noop('"%(text)s" is severe profanity (%(language)s).'), text=found, language=language
            )
        else:
            message = Message(gettext_noop('"%(text)s" is profanity (%(language)s).'), text=found, language=language)
        reasons.append(
            Reason(
                check="profanity",
                code="slur" if level == "slurs" else f"profanity_{level}",
                message=message,
                severity=severity,
                span=(hit.start, hit.end),
            )
        )
    return reasons


def guideline_action(category: str, platform: str | None) -> str:
    data = guidelines()
    overrides = data["platforms"].get(platform or "", {})
    return str(overrides.get(category, data["categories"][category]["action"]))


def check_guidelines(text: str, *, platform: str | None, min_audience_age: int) -> list[Reason]:
    categories = guidelines()["categories"]
    reasons = []
    for hit in guideline_matcher().find(text):
        category = str(hit.data)
        action = guideline_action(category, platform)
        if category == "adult" and min_audience_age < 18:
            action = "block"  # adult content never reaches an audience with minors in it
        if action not in ("flag", "block"):
            continue
        reasons.append(
            Reason(
                check="guidelines",
                code=f"guideline_{category}",
                message=Message(
                    gettext_noop('%(label)s on %(platform)s: "%(text)s".')
                    if platform
                    else gettext_noop('%(label)s: "%(text)s".'),
                    label=categories[category]["label"],
                    platform=platform,
                    text=text_at(text, hit.start, hit.end),
                ),
                severity=action,  # type: ignore[arg-type]
                span=(hit.start, hit.end),
            )
        )
    return reasons


def check_age(text: str, *, min_audience_age: int) -> list[Reason]:
    reasons = []
    for hit in age_matcher().find(text):
        category, label, min_age = cast(tuple[str, str, int], hit.data)
        if min_audience_age >= min_age:
            continue
        reasons.append(
            Reason(
                check="age",
                code=f"age_{category}",
                message=Message(
                    gettext_noop(
                        '%(label)s ("%(text)s") is not suitable for an audience aged %(age)s+ (needs %(min)s+).'
                    ),
                    label=label,
                    text=text_at(text, hit.start, hit.end),
                    age=min_audience_age,
                    min=min_age,
                ),
                severity="flag",
                span=(hit.start, hit.end),
            )
        )
    return reasons


def text_at(text: str, start: int, end: int) -> str:
    """The matched words as the author wrote them (spans index the folded text, which is
    the same length in all but rare ligature cases)."""
    return text[start:end] if end <= len(text) else text[start:]
