"""Learning from results (spec 10.1): what a team's published posts teach the writer.

The numbers live in the analytics app, which sits above content, so analytics registers a source
here from its AppConfig.ready (`register_performance_source`); content never imports it. A source
returns the team's best posts on a platform (style examples) and what its engagement model found
matters most (guidance), or None when the team has no published posts with metrics yet.
"""

from __future__ import annotations

from collections.abc import Callable
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
_SOURCES: list[PerformanceSource] = []
LEARNS_FROM = frozenset({"CAPTION", "OPTIMIZATION"})


def register_performance_source(source: PerformanceSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def performance_context(*, team: Any, platform: str) -> PerformanceContext | None:
    for source in _SOURCES:
        context = source(team=team, platform=platform)
        if context is not None and context.examples:
            return context
    return None


def brief_with_performance(brief: Brief, *, team: Any) -> tuple[Brief, PerformanceContext | None]:
    """The brief with the team's results in it, when it writes a post and the team has results."""
    if brief.kind not in LEARNS_FROM or team is None or brief.performance_examples:
        return brief, None
    context = performance_context(team=team, platform=brief.platform)
    if context is None:
        return brief, None
    return replace(brief, performance_examples=context.examples, performance_guidance=context.guidance), context


def learned_summary(*, posts: int, guidance: list[str]) -> dict[str, Any] | None:
    """What the studio and the API show about it: "based on your N best posts", and the guidance."""
    if not posts:
        return None
    label = ngettext("Based on your best post", "Based on your %(count)s best posts", posts) % {"count": posts}
    return {"posts": posts, "guidance": guidance, "summary": label}
