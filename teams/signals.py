from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from teams.services import personal_team_create


@receiver(post_save, sender=User, dispatch_uid="teams_personal_team")
def create_personal_team(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    # Runs inside User.save()'s transaction: no user without a workspace, ever.
    if created and not kwargs.get("raw"):
        personal_team_create(user=instance)
