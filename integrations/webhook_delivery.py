"""Sending webhook deliveries: one signed POST per attempt, retried with exponential backoff.

Retries are not Celery countdowns: a countdown of hours sits in the broker, and Redis hands an
unacknowledged message to another worker after its visibility timeout (a duplicate send). Instead a
failed attempt stores `next_attempt_at` and the beat sweep (`webhook_deliver_due`) queues what is
due. An attempt first claims its delivery (row lock and a short lease), so a sweep running while it
is in flight, or a second sweep, never sends it twice.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.netguard import GENERIC_MESSAGE, DestinationRefused, guarded_client
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from integrations.signing import SIGNATURE_HEADER, signature_header

logger = logging.getLogger(__name__)

LEASE_SECONDS = 120
USER_AGENT = "ContentGenAI-Webhooks/1.0"
_client: httpx.Client | None = None


def _http() -> httpx.Client:
    global _client
    if _client is None:
        _client = guarded_client(
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS, max_bytes=settings.WEBHOOK_MAX_RESPONSE_BYTES
        )
    return _client


def backoff_seconds(failed_attempts: int) -> int:
    """Wait after the n-th failed automatic attempt: base, 2×base, 4×base, … capped."""
    base = int(settings.WEBHOOK_RETRY_BASE_SECONDS)
    return int(min(base * 2 ** max(failed_attempts - 1, 0), settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS))


def _claim(delivery_id: Any, *, manual: bool) -> WebhookDelivery | None:
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or manual:
            return delivery
        due = delivery.next_attempt_at is not None and delivery.next_attempt_at <= now
        if delivery.status != WebhookDelivery.Status.PENDING or not due or not delivery.endpoint.is_active:
            return None
        delivery.next_attempt_at = now + timedelta(seconds=LEASE_SECONDS)
        delivery.save(update_fields=["next_attempt_at", "updated_at"])
        return delivery


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str, str, int]:
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secret=endpoint.secret, timestamp=int(time.time()), body=body),
        "ContentGenAI-Event": delivery.event_type,
        "ContentGenAI-Delivery": str(delivery.pk),
    }
    started = time.monotonic()
    status: int | None = None
    text = error = ""
    try:
        response = _http().post(endpoint.url, content=body, headers=headers)
        status, text = response.status_code, response.text[: settings.WEBHOOK_LOGGED_BODY_CHARS]
    except DestinationRefused as exc:
        logger.warning("webhook refused", extra={"endpoint": str(endpoint.pk), "reason": exc.reason})
        error = str(GENERIC_MESSAGE)
    except httpx.TimeoutException:
        error = _("The endpoint did not answer in time.")
    except httpx.HTTPError as exc:
        error = _("Could not connect to the endpoint.") + f" ({type(exc).__name__})"
    return status, text, error, int((time.monotonic() - started) * 1000)


def webhook_attempt(*, delivery_id: Any, manual: bool = False) -> WebhookAttempt | None:
    """POST the delivery once and log what came back; None when it is not due (or already taken)."""
    delivery = _claim(delivery_id, manual=manual)
    if delivery is None:
        return None
    status, text, error, duration_ms = _post(delivery.endpoint, delivery)
    succeeded = status is not None and 200 <= status < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        earlier = list(delivery.attempts.values_list("manual", "succeeded"))
        retry_in = _settle(delivery, endpoint, succeeded=succeeded, manual=manual, earlier=earlier)
        return WebhookAttempt.objects.create(
            delivery=delivery,
            number=len(earlier) + 1,
            manual=manual,
            response_status=status,
            response_body=text,
            error=error[:300],
            duration_ms=duration_ms,
            succeeded=succeeded,
            retry_in_seconds=retry_in,
        )


def _settle(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    *,
    succeeded: bool,
    manual: bool,
    earlier: list[tuple[bool, bool]],
) -> int | None:
    """The delivery's and the endpoint's state after an attempt; the seconds to the next one, if any."""
    now = timezone.now()
    Status = WebhookDelivery.Status
    retry_in: int | None = None
    if succeeded:
        delivery.status, delivery.next_attempt_at = Status.SUCCEEDED, None
        endpoint.failing_since = None
    elif manual:
        if delivery.status == Status.PENDING and delivery.next_attempt_at is None:  # a test event: sent once
            delivery.status = Status.FAILED
    else:
        endpoint.failing_since = endpoint.failing_since or now
        failures = 1 + sum(1 for was_manual, ok in earlier if not was_manual and not ok)
        delay = backoff_seconds(failures)
        window_ends = delivery.created_at + timedelta(hours=settings.WEBHOOK_RETRY_WINDOW_HOURS)
        if now + timedelta(seconds=delay) <= window_ends:
            delivery.next_attempt_at, retry_in = now + timedelta(seconds=delay), delay
        else:
            delivery.status, delivery.next_attempt_at = Status.FAILED, None
            # Nothing got through to this endpoint since this event's first failure: a whole window.
            if endpoint.is_active and endpoint.failing_since <= delivery.created_at:
                _disable_for_failures(endpoint)
    delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
    endpoint.save(update_fields=["failing_since", "is_active", "disabled_reason", "updated_at"])
    return retry_in


def _disable_for_failures(endpoint: WebhookEndpoint) -> None:
    hours = settings.WEBHOOK_RETRY_WINDOW_HOURS
    endpoint.is_active = False
    endpoint.disabled_reason = _("Disabled automatically: every delivery failed for %(hours)s hours.") % {
        "hours": hours
    }
    endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, next_attempt_at=None
    )
    owner = endpoint.team.owner
    subject = _("Webhook disabled: %(url)s") % {"url": endpoint.url[:80]}
    body = _(
        "Every delivery to %(url)s in workspace %(team)s failed for %(hours)s hours, so it was disabled. "
        "Fix the receiver, then enable it again from %(page)s."
    ) % {
        "url": endpoint.url,
        "team": endpoint.team.name,
        "hours": hours,
        "page": settings.SITE_URL + reverse("integrations:webhook", kwargs={"endpoint_id": endpoint.pk}),
    }
    recipient = owner.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=False))


def webhook_deliver_due(*, limit: int = 200) -> int:
    """Beat: queue every delivery whose next attempt is due."""
    from integrations.tasks import deliver_webhook

    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now(), endpoint__is_active=True
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        deliver_webhook.delay(str(pk), False)
    return len(due)
