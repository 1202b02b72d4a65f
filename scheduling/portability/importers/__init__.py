"""One parser per source format; `SOURCES` maps the form/API value to it."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from scheduling.portability.importers import buffer, hootsuite, ours, postiz
from scheduling.portability.importers.base import FileError, ImportRow, Parsed, RowError

SOURCES: dict[str, tuple[str, Callable[..., Parsed]]] = {
    "contentgenai": ("ContentGenAI CSV (posts.csv of an export)", ours.parse),
    "buffer": ("Buffer-style CSV", buffer.parse),
    "hootsuite": ("Hootsuite bulk composer CSV", hootsuite.parse),
    "postiz": ("Postiz-style CSV", postiz.parse),
}


def parse(source: str, text: str, *, tz: ZoneInfo, day_first: bool = False) -> Parsed:
    _, parser = SOURCES[source]
    if source == "hootsuite":
        return parser(text, tz=tz, day_first=day_first)
    return parser(text, tz=tz)


__all__ = ["SOURCES", "FileError", "ImportRow", "Parsed", "RowError", "parse"]
