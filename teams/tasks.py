from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import translation

from accounts.i18n import user_locale
from core.retry import RETRY_ON_ERROR
from teams.models import Notification
from teams.selectors import user_group_name

logger = logging.getLogger(__name__)


def notification_payload(notification: Notification) -> dict[str, object]:
    """What the websocket pushes: title and body in the recipient's language (a task has no request)."""
    language = user_locale(notification.user).language or settings.LANGUAGE_CODE
    with translation.override(language):
        title, body = notification.localized_title, notification.localized_body
    return {
        "id": str(notification.pk),
        "kind": notification.kind,
        "event": notification.event,
        "title": title,
        "body": body,
        "url": notification.url,
        "createdAt": notification.created_at.isoformat(),
    }


# A channel-layer (Redis) blip is retried soon: the notification is stored, only the live push waits.
@shared_task(name="teams.tasks.deliver_notification", bind=True, **{**RETRY_ON_ERROR, "retry_backoff": 5})
def deliver_notification(self, notification_id: str) -> bool:  # type: ignore[no-untyped-def]
    """Push a stored notification to every open browser of its user, through the channel layer."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return False
    unread = Notification.objects.filter(user_id=notification.user_id, read_at__isnull=True).count()
    layer = get_channel_layer()
    if layer is None:
        return False
    async_to_sync(layer.group_send)(
        user_group_name(notification.user_id),
        {"type": "notify", "notification": notification_payload(notification), "unread": unread},
    )
    return True


# Retried: each notification is marked digested in the transaction that picks it, so none goes twice.
@shared_task(name="teams.tasks.send_notification_digests", bind=True, **RETRY_ON_ERROR)
def send_notification_digests(self) -> int:  # type: ignore[no-untyped-def]
    """Daily: one email per user with their unread digest-mode notifications (each sent once)."""
    from teams.notification_preferences import digest_send_all

    return digest_send_all()
