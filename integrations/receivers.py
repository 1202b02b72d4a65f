"""Product events from the lower apps become webhook deliveries."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from core.events import product_event
from integrations.webhooks import webhook_event_fanout


@receiver(product_event, dispatch_uid="integrations_webhook_fanout")
def fan_out_to_webhooks(sender: str, team_id: Any, data: dict[str, Any], **kwargs: Any) -> None:
    webhook_event_fanout(name=sender, team_id=team_id, data=data)
