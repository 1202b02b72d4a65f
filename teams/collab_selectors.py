"""Activity reads: the team's feed and one post's history. Collaboration's reads are content.collab_selectors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from teams.models import ActivityEvent, Team


def activity_list(*, team: Team, verb: str = "", actor_id: Any = "") -> QuerySet[ActivityEvent]:
    """The team's feed, newest first; `verb` matches a prefix (`post.` or `post.approved`)."""
    events = ActivityEvent.objects.filter(team=team).select_related("actor")
    if verb:
        events = events.filter(verb__startswith=verb)
    if actor_id:
        try:
            events = events.filter(actor_id=actor_id)
        except (ValueError, ValidationError):
            return events.none()
    return events.order_by("-created_at", "-id")


def post_history(*, post: Any) -> QuerySet[ActivityEvent]:
    meta = post._meta
    return (
        ActivityEvent.objects.filter(
            team_id=post.team_id, target_type=f"{meta.app_label}.{meta.model_name}", target_id=str(post.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
