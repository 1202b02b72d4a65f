"""Per-event notification delivery (live, email digest, off) and the daily email digest.

Stored in `UserPreferences.notification_settings["events"]` as `{event: mode}`; a missing event is
live. Security notices are always live: nobody should be able to mute "a new sign-in".
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, ngettext

from accounts.i18n import user_locale
from accounts.models import User, UserPreferences
from core.api.errors import ValidationFailed
from teams.models import Notification

logger = logging.getLogger(__name__)

LIVE, DIGEST, OFF = "live", "digest", "off"
MODES = (LIVE, DIGEST, OFF)
MODE_LABELS = {LIVE: gettext_lazy("Live"), DIGEST: gettext_lazy("Email digest"), OFF: gettext_lazy("Off")}
ALWAYS_LIVE = {Notification.Event.SECURITY}
CONFIGURABLE_EVENTS = [e for e in Notification.Event if e not in ALWAYS_LIVE]


def _stored_modes(settings_json: dict | None) -> dict[str, str]:
    events = (settings_json or {}).get("events") or {}
    return {k: v for k, v in events.items() if isinstance(v, str) and v in MODES}


def notification_modes(*, user: User) -> dict[str, str]:
    """Every configurable event with the user's mode for it."""
    prefs = UserPreferences.objects.filter(user=user).only("notification_settings").first()
    stored = _stored_modes(prefs.notification_settings if prefs else None)
    return {event.value: stored.get(event.value, LIVE) for event in CONFIGURABLE_EVENTS}


def notification_mode_for(*, user: User, event: str) -> str:
    if event in ALWAYS_LIVE:
        return LIVE
    prefs = UserPreferences.objects.filter(user=user).only("notification_settings").first()
    return _stored_modes(prefs.notification_settings if prefs else None).get(event, LIVE)


def notification_modes_set(*, user: User, modes: dict[str, str]) -> dict[str, str]:
    """Change some events' modes; an unknown event or mode is refused and nothing changes."""
    known = {e.value for e in CONFIGURABLE_EVENTS}
    errors = {
        event: [f"Unknown event; one of {', '.join(sorted(known))}."] for event in modes if event not in known
    } | {event: ["One of live, digest, off."] for event, mode in modes.items() if event in known and mode not in MODES}
    if errors:
        raise ValidationFailed("Some notification settings are not valid.", details=errors)
    with transaction.atomic():
        prefs, _ = UserPreferences.objects.select_for_update().get_or_create(user=user)
        current = dict(prefs.notification_settings or {})
        current["events"] = {**_stored_modes(current), **modes}
        prefs.notification_settings = current
        prefs.save(update_fields=["notification_settings"])
    return notification_modes(user=user)


def digest_send_all() -> int:
    """Email each user one digest of their unread, not yet digested notifications in digest mode.

    The rows are marked digested in the same transaction that picks them, and the emails go out
    after it commits: a second run (or a second beat) finds nothing left, so nobody gets one twice.
    """
    digest_users = [
        p.user_id for p in UserPreferences.objects.only("user_id", "notification_settings")
        if DIGEST in _stored_modes(p.notification_settings).values()
    ]  # fmt: skip
    sent = 0
    for user_id in digest_users:
        sent += digest_send_for(user_id=user_id)
    return sent


def digest_send_for(*, user_id: Any) -> int:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    events = [e for e, m in notification_modes(user=user).items() if m == DIGEST]
    if not events:
        return 0
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(user=user, event__in=events, read_at__isnull=True, digested_at__isnull=True)
            .select_related("team")
            .order_by("created_at")[: settings.TEAMS_DIGEST_MAX_ITEMS]
        )
        if not rows:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(digested_at=timezone.now())
        by_team: dict[str, list[Notification]] = defaultdict(list)
        for row in rows:
            by_team[row.team.name if row.team else ""].append(row)
        # in the reader's language: each row's title is rendered from its key now
        with translation.override(user_locale(user).language or settings.LANGUAGE_CODE):
            body = render_to_string(
                "teams/email/digest.txt",
                {"user": user, "groups": sorted(by_team.items()), "count": len(rows), "site_url": settings.SITE_URL},
            )
            subject = ngettext(
                "Your ContentGenAI digest: %(count)s update", "Your ContentGenAI digest: %(count)s updates", len(rows)
            ) % {"count": len(rows)}
        transaction.on_commit(lambda: send_mail(subject, body, None, [user.email], fail_silently=False))
    logger.info("notification digest", extra={"user_id": str(user.pk), "count": len(rows)})
    return 1
