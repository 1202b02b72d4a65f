"""Thin Celery wrappers around the integrations services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from integrations.feeds import feed_fetch, feeds_due
from integrations.webhook_delivery import webhook_attempt, webhook_deliver_due


@shared_task(bind=True, acks_late=True)  # no retry: webhook_delivery schedules the next attempt (beat sweep)
def deliver_webhook(self: Any, delivery_id: str, manual: bool = False) -> bool:
    """One attempt; a failure schedules the next one itself (see webhook_delivery)."""
    attempt = webhook_attempt(delivery_id=delivery_id, manual=manual)
    return bool(attempt and attempt.succeeded)


@shared_task(bind=True, acks_late=True)  # the webhook retry sweep itself; beat runs it again
def deliver_due_webhooks(self: Any) -> int:
    """Beat: queue the deliveries whose retry time has come."""
    return webhook_deliver_due()


@shared_task(bind=True, acks_late=True)  # no retry: beat runs it again
def fetch_due_feeds(self: Any) -> int:
    """Beat: queue a fetch of every feed not fetched within the interval."""
    due = feeds_due()
    for feed_id in due:
        fetch_feed.delay(feed_id)
    return len(due)


@shared_task(bind=True, acks_late=True)  # no retry: a failure waits on the feed for the next interval
def fetch_feed(self: Any, feed_id: str) -> int:
    """Fetch one feed; a failure is recorded on the feed and waits for the next interval."""
    return feed_fetch(feed_id=feed_id)
