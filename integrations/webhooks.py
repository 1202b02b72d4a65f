"""Outgoing webhooks: endpoints a team configures, and the events fanned out to them.

Sending (signing, attempts, backoff, disabling) is in `webhook_delivery.py`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.api.casing import camelize
from core.api.errors import ValidationFailed
from core.events import EVENT_NAMES, ProductEvent
from integrations.destinations import destination_check
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.signing import secret_generate
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record

TEST_EVENT = "webhook.test"
MAX_ENDPOINTS_PER_TEAM = 20
SUBSCRIPTIONS_CACHE_SECONDS = 300


def _events_clean(events: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(str(e).strip() for e in events))
    unknown = [e for e in chosen if e not in EVENT_NAMES]
    if unknown or not chosen:
        message = (
            "Choose one or more events from the list." if not unknown else f"Unknown events: {', '.join(unknown)}."
        )
        raise ValidationFailed(message, details={"events": [message]})
    return [e for e in EVENT_NAMES if e in chosen]


def _enqueue(delivery: WebhookDelivery, *, manual: bool = False) -> None:
    from integrations.tasks import deliver_webhook

    delivery_id = str(delivery.pk)
    transaction.on_commit(lambda: deliver_webhook.delay(delivery_id, manual))


@transaction.atomic
def webhook_endpoint_create(
    *, ctx: TeamContext, url: str, events: list[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """The endpoint and its signing secret, which is shown to the user this once."""
    require(ctx, Capability.MANAGE_ACCOUNTS)
    url = destination_check(url=url)
    events = _events_clean(events)
    if WebhookEndpoint.objects.filter(team=ctx.team).count() >= MAX_ENDPOINTS_PER_TEAM:
        message = f"A workspace can have up to {MAX_ENDPOINTS_PER_TEAM} webhook endpoints."
        raise ValidationFailed(message, details={"url": [message]})
    secret = secret_generate()
    endpoint = WebhookEndpoint.objects.create(
        team=ctx.team, url=url, events=events, description=description.strip()[:200], secret=secret, created_by=ctx.user
    )
    activity_record(team=ctx.team, actor=ctx.user, verb="webhook.created", summary=f"added a webhook to {url}"[:300])
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *,
    ctx: TeamContext,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    require(ctx, Capability.MANAGE_ACCOUNTS)
    if url is not None:
        endpoint.url = destination_check(url=url)
    if events is not None:
        endpoint.events = _events_clean(events)
    if description is not None:
        endpoint.description = description.strip()[:200]
    if is_active is not None and is_active != endpoint.is_active:
        endpoint.is_active = is_active
        # Turning it back on starts a fresh count of failures.
        endpoint.disabled_reason = ""
        endpoint.failing_since = None
    endpoint.save()
    return endpoint


def webhook_endpoint_delete(*, ctx: TeamContext, endpoint: WebhookEndpoint) -> None:
    require(ctx, Capability.MANAGE_ACCOUNTS)
    with transaction.atomic():
        activity_record(
            team=ctx.team,
            actor=ctx.user,
            verb="webhook.deleted",
            summary=f"removed the webhook to {endpoint.url}"[:300],
        )
        endpoint.delete()


def webhook_secret_rotate(*, ctx: TeamContext, endpoint: WebhookEndpoint) -> str:
    """A new secret, in force for the next attempt on; the old one stops verifying at once."""
    require(ctx, Capability.MANAGE_ACCOUNTS)
    endpoint.secret = secret_generate()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint.secret


def event_payload(*, event_id: str, name: str, team_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The JSON body receivers get, camelCase like the REST API."""
    return camelize(
        {
            "id": event_id,
            "type": name,
            "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
            "team_id": str(team_id),
            "data": data,
        }
    )


def _subscriptions_key(team_id: Any) -> str:
    return f"integrations:webhook-subscriptions:{team_id}"


def webhook_subscriptions(*, team_id: Any) -> list[tuple[str, list[str]]]:
    """(endpoint id, events) of the team's active endpoints, cached: events fire inside batch
    publishing, where a query per published post would add up; any endpoint write clears it."""
    key = _subscriptions_key(team_id)
    cached = cache.get(key)
    if cached is None:
        rows = WebhookEndpoint.objects.filter(team_id=team_id, is_active=True).values_list("pk", "events")
        cached = [(str(pk), list(events)) for pk, events in rows]
        cache.set(key, cached, SUBSCRIPTIONS_CACHE_SECONDS)
    return cached


def webhook_subscriptions_changed(*, team_id: Any) -> None:
    key = _subscriptions_key(team_id)
    cache.delete(key)
    # Again after commit: a concurrent event may have cached the rows this transaction is replacing.
    transaction.on_commit(lambda: cache.delete(key))


def webhook_events_fanout(*, events: Sequence[ProductEvent]) -> list[WebhookDelivery]:
    """One delivery per event and active endpoint of its team subscribed to it, sent after commit: each
    team's subscriptions are read once and every delivery goes in one insert, however many events."""
    subscriptions: dict[Any, list[tuple[str, list[str]]]] = {}
    now = timezone.now()
    pending = []
    for event in events:
        if event.team_id not in subscriptions:
            subscriptions[event.team_id] = webhook_subscriptions(team_id=event.team_id)
        endpoint_ids = [pk for pk, names in subscriptions[event.team_id] if event.name in names]
        if not endpoint_ids:
            continue
        event_id = f"evt_{uuid.uuid4().hex}"
        payload = event_payload(event_id=event_id, name=event.name, team_id=event.team_id, data=event.data)
        pending += [
            WebhookDelivery(
                endpoint_id=pk, event_id=event_id, event_type=event.name, payload=payload, next_attempt_at=now
            )
            for pk in endpoint_ids
        ]
    deliveries = WebhookDelivery.objects.bulk_create(pending) if pending else []
    for delivery in deliveries:
        _enqueue(delivery)
    return deliveries


def webhook_test_send(*, ctx: TeamContext, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A `webhook.test` event to this endpoint only, enabled or not, so a receiver can be checked first."""
    require(ctx, Capability.MANAGE_ACCOUNTS)
    event_id = f"evt_{uuid.uuid4().hex}"
    data = {"message": "A test event from ContentGenAI.", "endpoint_id": str(endpoint.pk)}
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=event_id,
        event_type=TEST_EVENT,
        payload=event_payload(event_id=event_id, name=TEST_EVENT, team_id=ctx.team.pk, data=data),
        # Sent once: a test is for looking at the result now, not for a day of retries.
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=None,
    )
    _enqueue(delivery, manual=True)
    return delivery


def webhook_redeliver(*, ctx: TeamContext, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same event (same id and body, fresh signature) once more, now."""
    require(ctx, Capability.MANAGE_ACCOUNTS)
    _enqueue(delivery, manual=True)
    return delivery
