"""Panels the apps above content add to the post page: publishing results, schedules and their actions.

Content sits below social and scheduling in the import order, so the post page cannot read their
tables; they register a renderer here from their AppConfig.ready and the page shows what they return.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

from content.models import ContentPost

PostPanel = Callable[[HttpRequest, Any, ContentPost], str]
_PANELS: dict[str, PostPanel] = {}


def post_panel_register(name: str, panel: PostPanel) -> None:
    """Add (or replace) the panel `name`; it returns HTML, or "" when it has nothing for this viewer."""
    _PANELS[name] = panel


def post_panels_render(request: HttpRequest, ctx: Any, post: ContentPost) -> list[SafeString]:
    out = []
    for panel in _PANELS.values():
        html = panel(request, ctx, post)
        if html:
            out.append(SafeString(html))
    return out
