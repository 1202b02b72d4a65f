"""Thin Celery wrappers around social services: token refresh and delivery retries."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from social.services.accounts import account_refresh_tokens, accounts_due_for_refresh
from social.services.publishing import publish_result_deliver, publish_results_deliver, publish_results_due

# The retry sweep hands waiting deliveries to workers in chunks: after a worker died holding a few hundred
# claims, one task per delivery took minutes to drain; a chunk shares its loads, moderation and writes.
SWEEP_LIMIT = 2000
SWEEP_CHUNK = 50


@shared_task(bind=True, acks_late=True)  # no retry: failures are recorded per account; beat runs it again
def refresh_expiring_tokens(self: Any) -> int:
    """Beat: refresh every token that expires within the margin. Failures are recorded, not raised."""
    due = accounts_due_for_refresh()
    for account_id in due:
        account_refresh_tokens(account_id=account_id)
    return len(due)


@shared_task(bind=True, acks_late=True)  # no retry: the lease sweep (retry_due_publish_results) owns them
def deliver_publish_result(self: Any, result_id: str) -> str:
    """One delivery attempt; the claim inside makes duplicate or concurrent runs harmless."""
    return str(publish_result_deliver(result_id=result_id).status)


@shared_task(bind=True, acks_late=True)  # the publishing lease sweep retries what a chunk leaves; no task retry
def deliver_publish_results(self: Any, result_ids: list[str]) -> int:
    """One attempt for each delivery of a chunk; the claims inside make a redelivered chunk harmless."""
    return len(publish_results_deliver(result_ids=result_ids))


@shared_task(bind=True, acks_late=True)  # the publishing lease sweep itself; beat runs it again
def retry_due_publish_results(self: Any) -> int:
    """Beat: hand waiting deliveries (retry time reached, or a dead worker's lease expired) to workers."""
    due = publish_results_due(limit=SWEEP_LIMIT)
    for start in range(0, len(due), SWEEP_CHUNK):
        deliver_publish_results.delay(due[start : start + SWEEP_CHUNK])
    return len(due)
