"""Product events: "a post was published", "a comment was added", told to whoever listens.

The app that owns an action sends the event; higher apps (outgoing webhooks in `integrations`)
receive it. A lower app never imports its observers, so the signal lives here, at the bottom of the
import order. Receivers run inside the sender's transaction: they write rows there and start their
side effects with `transaction.on_commit`, so a rolled-back action announces nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal


@dataclass(frozen=True)
class ProductEvent:
    name: str
    team_id: Any
    data: dict[str, Any]  # JSON-ready, snake_case keys


# Sent with sender=ProductEvent, events=[ProductEvent, ...]: one event, or a batch's events in order.
product_events = Signal()

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
    events_emit([ProductEvent(name=name, team_id=team_id, data=data)])


def events_emit(events: Sequence[ProductEvent]) -> None:
    """Announce several events at once, in order (a delivery batch's outcomes): a receiver handles them
    together, e.g. one look at a team's webhook subscriptions and one insert for all their deliveries."""
    if events:
        product_events.send(sender=ProductEvent, events=list(events))


def post_summary(post: Any) -> dict[str, Any]:
    """The post fields every post event carries (duck-typed: core does not import content)."""
    return {
        "id": str(post.pk),
        "title": post.title,
        "status": post.status,
        "platform": post.platform,
    }
