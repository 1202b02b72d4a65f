"""Profile and preferences writes shared by the API (the dashboard form validates the same fields)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from accounts.services import user_preferences_ensure

_PREFERENCE_FIELDS = (
    "default_platform",
    "default_tone",
    "default_audience",
    "language",
    "timezone",
    "brand_settings",
)


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    preferences: dict[str, Any] | None = None,
) -> User:
    """Apply a partial update of already-validated values; notification settings merge key by key."""
    changed: list[str] = []
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        if value is not None and getattr(user, field) != value.strip():
            setattr(user, field, value.strip())
            changed.append(field)
    if changed:
        user.save(update_fields=[*changed, "updated_at"])
    if preferences:
        prefs = user_preferences_ensure(user=user)
        for field in _PREFERENCE_FIELDS:
            if field in preferences:
                setattr(prefs, field, preferences[field])
        if "notification_settings" in preferences:
            prefs.notification_settings = {
                **(prefs.notification_settings or {}),
                **preferences["notification_settings"],
            }
        prefs.save()
    return user
