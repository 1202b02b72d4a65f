"""Reads of a team's webhooks and feeds; another team's row is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from core.api.errors import NotFoundError
from integrations.models import Feed, FeedItem, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from teams.models import Team


def _uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFoundError(f"No such {what}.") from exc


def webhook_endpoints(*, team: Team) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(team=team).annotate(
        failed_count=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
        delivery_count=Count("deliveries"),
    )


def webhook_endpoint_get(*, team: Team, endpoint_id: Any) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(team=team, pk=_uuid(endpoint_id, "webhook")).first()
    if endpoint is None:
        raise NotFoundError("No such webhook.")
    return endpoint


def webhook_deliveries(*, endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, each with its attempts (the delivery log), in two queries."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .order_by("-created_at")
        .prefetch_related(Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("number")))[:limit]
    )


def webhook_delivery_get(*, team: Team, delivery_id: Any) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.filter(endpoint__team=team, pk=_uuid(delivery_id, "delivery"))
        .select_related("endpoint")
        .first()
    )
    if delivery is None:
        raise NotFoundError("No such delivery.")
    return delivery


def feeds(*, team: Team) -> QuerySet[Feed]:
    return (
        Feed.objects.filter(team=team)
        .select_related("brand", "queue_account")
        .annotate(draft_count=Count("items", filter=Q(items__post__isnull=False)))
    )


def feed_get(*, team: Team, feed_id: Any) -> Feed:
    feed = Feed.objects.filter(team=team, pk=_uuid(feed_id, "feed")).select_related("brand", "queue_account").first()
    if feed is None:
        raise NotFoundError("No such feed.")
    return feed


def feed_items(*, feed: Feed, limit: int = 50) -> list[FeedItem]:
    return list(FeedItem.objects.filter(feed=feed).select_related("post").order_by("-created_at")[:limit])
