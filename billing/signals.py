from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from billing.services import quota_ensure
from teams.models import Team


@receiver(post_save, sender=Team, dispatch_uid="billing_team_created")
def create_billing_rows(sender: type[Team], instance: Team, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        quota_ensure(team=instance)
