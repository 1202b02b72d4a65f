"""Product events from the lower apps become webhook deliveries; endpoint writes clear the subscription cache."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.events import ProductEvent, product_events
from integrations.models import WebhookEndpoint
from integrations.webhooks import webhook_events_fanout, webhook_subscriptions_changed


@receiver(product_events, dispatch_uid="integrations_webhook_fanout")
def fan_out_to_webhooks(sender: type, events: list[ProductEvent], **kwargs: Any) -> None:
    webhook_events_fanout(events=events)


@receiver(post_save, sender=WebhookEndpoint, dispatch_uid="integrations_endpoint_saved")
@receiver(post_delete, sender=WebhookEndpoint, dispatch_uid="integrations_endpoint_deleted")
def forget_subscriptions(sender: type[WebhookEndpoint], instance: WebhookEndpoint, **kwargs: Any) -> None:
    webhook_subscriptions_changed(team_id=instance.team_id)
