"""Who hears about moderation work: moderators of a case that needs them, authors of a decision."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from accounts.models import User
from core.stored_messages import Message
from moderation.models import CaseStatus, ModerationCase


def moderators_to_notify() -> QuerySet[User]:
    """Everyone who works the review queue: moderators, platform admins and superusers."""
    roles = (User.PlatformRole.MODERATOR, User.PlatformRole.ADMIN)
    return User.objects.filter(Q(platform_role__in=roles) | Q(is_superuser=True), is_active=True).select_related(
        "preferences"
    )


def notify_moderators(case: ModerationCase, *, title: Any) -> None:
    """Each moderator hears of a case needing a decision, as their preference for the event says: live
    (stored and pushed to their open browsers), in the e-mail digest, or not at all. The title is stored
    as its key and shown in each moderator's language when they read it."""
    from teams.models import Notification
    from teams.services import notification_send

    body = f"{case.team.name}: {case.text[:140]}"
    for moderator in moderators_to_notify():
        notification_send(
            user=moderator,
            title=Message(title),
            body=body,
            kind="warning",
            url=reverse("moderation:case", args=[case.pk]),
            event=Notification.Event.MODERATION_CASE,
        )


def notify_author(case: ModerationCase) -> None:
    from teams.services import notification_send

    if case.author is None:
        return
    approved = case.status == CaseStatus.APPROVED
    notification_send(
        user=case.author,
        team=case.team,
        title=Message(
            gettext_noop("Your content was approved") if approved else gettext_noop("Your content was rejected")
        ),
        body=case.note or case.text[:140],
        kind="success" if approved else "warning",
        url=reverse("moderation:case", args=[case.pk]),
    )
