from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from billing.entitlements import require_feature, require_within_limit
from billing.services import quota_ensure
from teams.membership_services import seats_requested
from teams.models import Team


@receiver(post_save, sender=Team, dispatch_uid="billing_team_created")
def create_billing_rows(sender: type[Team], instance: Team, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        quota_ensure(team=instance)


@receiver(seats_requested, dispatch_uid="billing_team_seats")
def check_team_seats(sender: type[Team], team: Team, current: int, adding: int, **kwargs: Any) -> None:
    """An invitation or an acceptance needs the plan's team collaboration and a free seat."""
    require_feature(team, "team_collaboration")
    require_within_limit(team, "max_team_members", current=current, adding=adding)
