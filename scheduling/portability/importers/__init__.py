"""One parser per source format; `SOURCES` maps the form/API value to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy

from scheduling.portability.importers import buffer, hootsuite, ours, postiz
from scheduling.portability.importers.base import FileError, ImportRow, Parsed, RowError

SOURCES: dict[str, tuple[Any, Callable[..., Parsed]]] = {
    "contentgenai": (gettext_lazy("ContentGenAI CSV (posts.csv of an export)"), ours.parse),
    "buffer": (gettext_lazy("Buffer-style CSV"), buffer.parse),
    "hootsuite": (gettext_lazy("Hootsuite bulk composer CSV"), hootsuite.parse),
    "postiz": (gettext_lazy("Postiz-style CSV"), postiz.parse),
}


def parse(source: str, text: str, *, tz: ZoneInfo, day_first: bool = False) -> Parsed:
    _, parser = SOURCES[source]
    if source == "hootsuite":
        return parser(text, tz=tz, day_first=day_first)
    return parser(text, tz=tz)


__all__ = ["SOURCES", "FileError", "ImportRow", "Parsed", "RowError", "parse"]
