"""Product events: "a post was published", "a comment was added", told to whoever listens.

The app that owns an action sends the event; higher apps (outgoing webhooks in `integrations`)
receive it. A lower app never imports its observers, so the signal lives here, at the bottom of the
import order. Receivers run inside the sender's transaction: they write rows there and start their
side effects with `transaction.on_commit`, so a rolled-back action announces nothing.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

# Sent with sender=<event name>, team_id=<Team pk>, data=<JSON-ready dict, snake_case keys>.
product_event = Signal()

POST_APPROVED = "post.approved"
POST_SCHEDULED = "post.scheduled"
POST_PUBLISHED = "post.published"
POST_FAILED = "post.failed"
METRICS_UPDATED = "metrics.updated"
COMMENT_ADDED = "comment.added"
MODERATION_CASE_OPENED = "moderation.case_opened"

EVENT_NAMES = (
    POST_APPROVED,
    POST_SCHEDULED,
    POST_PUBLISHED,
    POST_FAILED,
    METRICS_UPDATED,
    COMMENT_ADDED,
    MODERATION_CASE_OPENED,
)


def event_emit(*, name: str, team_id: Any, data: dict[str, Any]) -> None:
    """Announce `name` for the team; `data` holds plain JSON values (ids as strings, times ISO 8601)."""
    product_event.send(sender=name, team_id=team_id, data=data)


def post_summary(post: Any) -> dict[str, Any]:
    """The post fields every post event carries (duck-typed: core does not import content)."""
    return {
        "id": str(post.pk),
        "title": post.title,
        "status": post.status,
        "platform": post.platform,
    }
