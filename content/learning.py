"""Learning from results (spec 10.1): what a team's published posts teach the writer.

The numbers live in the analytics app, which sits above content, so analytics registers a source
here from its AppConfig.ready (`register_performance_source`); content never imports it. A source
returns the team's best posts on a platform (style examples) and what its engagement model found
matters most (guidance), or None when the team has no published posts with metrics yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import ngettext

from content.providers.base import Brief


@dataclass(frozen=True)
class PerformanceContext:
    examples: tuple[str, ...]  # the team's best posts on the platform, best first
    guidance: tuple[str, ...]  # sentences about what its results show works
    basis: int  # how many best posts the examples are: "based on your N best posts"


PerformanceSource = Callable[..., PerformanceContext | None]
CacheKeys = Callable[..., list[str]]
_SOURCES: list[PerformanceSource] = []
_SOURCE_KEYS: dict[PerformanceSource, CacheKeys] = {}
LEARNS_FROM = frozenset({"CAPTION", "OPTIMIZATION"})


def register_performance_source(source: PerformanceSource, *, cache_keys: CacheKeys | None = None) -> None:
    """`cache_keys(team=, platform=)`: the cache keys the source reads, so a caller can read them ahead
    with others in one round trip; the source is then called with `read_ahead=` (what was found)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    if cache_keys is not None:
        _SOURCE_KEYS[source] = cache_keys


def _learns(brief: Brief, team: Any) -> bool:
    return brief.kind in LEARNS_FROM and team is not None and not brief.performance_examples


def performance_cache_keys(brief: Brief, *, team: Any) -> list[str]:
    """The cache keys `brief_with_performance` will read for this brief (none when it reads nothing)."""
    if not _learns(brief, team):
        return []
    return [
        key
        for source in _SOURCES
        if source in _SOURCE_KEYS
        for key in _SOURCE_KEYS[source](team=team, platform=brief.platform)
    ]


def performance_context(
    *, team: Any, platform: str, read_ahead: Mapping[str, Any] | None = None
) -> PerformanceContext | None:
    for source in _SOURCES:
        if read_ahead is not None and source in _SOURCE_KEYS:
            context = source(team=team, platform=platform, read_ahead=read_ahead)
        else:
            context = source(team=team, platform=platform)
        if context is not None and context.examples:
            return context
    return None


def brief_with_performance(
    brief: Brief, *, team: Any, read_ahead: Mapping[str, Any] | None = None
) -> tuple[Brief, PerformanceContext | None]:
    """The brief with the team's results in it, when it writes a post and the team has results.
    `read_ahead`: cache values read with `performance_cache_keys` (and others) in one round trip."""
    if not _learns(brief, team):
        return brief, None
    context = performance_context(team=team, platform=brief.platform, read_ahead=read_ahead)
    if context is None:
        return brief, None
    return replace(brief, performance_examples=context.examples, performance_guidance=context.guidance), context


def learned_summary(*, posts: int, guidance: list[str]) -> dict[str, Any] | None:
    """What the studio and the API show about it: "based on your N best posts", and the guidance."""
    if not posts:
        return None
    label = ngettext("Based on your best post", "Based on your %(count)s best posts", posts) % {"count": posts}
    return {"posts": posts, "guidance": guidance, "summary": label}
