"""Beat tasks: thin wrappers around billing services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from billing.dunning import subscription_expire_grace
from billing.services import quota_reset_due, subscription_apply_pending_downgrades, subscription_end_expired_comps
from core.retry import RETRY_ON_ERROR


@shared_task(bind=True, **RETRY_ON_ERROR)
def reset_due_quotas(self: Any) -> int:
    """Counters back to zero at the start of each team's period; pending downgrades apply."""
    subscription_apply_pending_downgrades()
    return quota_reset_due()


@shared_task(bind=True, **RETRY_ON_ERROR)
def expire_past_due_grace(self: Any) -> int:
    return subscription_expire_grace()


@shared_task(bind=True, **RETRY_ON_ERROR)
def end_expired_comps(self: Any) -> int:
    return subscription_end_expired_comps()
