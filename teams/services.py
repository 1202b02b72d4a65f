"""Team writes: workspaces, memberships, notifications."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.stored_messages import Message, message_split
from teams.models import ActivityEvent, Membership, Notification, Team
from teams.notification_preferences import DIGEST, OFF, notification_mode_for


def personal_team_create(*, user: User) -> Team:
    """The workspace every user gets at sign-up. Called inside the user's own transaction."""
    name = f"{user.get_short_name()}'s workspace"
    team = Team.objects.create(name=name[:120], is_personal=True, owner=user)
    Membership.objects.create(team=team, user=user, role=Membership.Role.OWNER)
    User.objects.filter(pk=user.pk, current_team__isnull=True).update(current_team=team)
    user.current_team = team
    return team


def team_create(*, owner: User, name: str, timezone: str = "UTC") -> Team:
    with transaction.atomic():
        team = Team.objects.create(name=name, owner=owner, timezone=timezone)
        Membership.objects.create(team=team, user=owner, role=Membership.Role.OWNER)
    return team


def notification_send(
    *,
    user: User,
    title: str | Message,
    body: str | Message = "",
    kind: str = Notification.Kind.INFO,
    url: str = "",
    team: Team | None = None,
    event: str = Notification.Event.GENERAL,
) -> Notification | None:
    """Store a notification and push it to the user's open browsers once the write commits.

    The user's preference for `event` decides: live (stored and pushed), digest (stored, emailed
    in the daily digest) or off (nothing; returns None). A `Message` title or body is stored as its
    key and parameters and shown in the reader's language; a plain string (user content) as it is.
    """
    from teams.tasks import deliver_notification

    mode = notification_mode_for(user=user, event=event)
    if mode == OFF:
        return None
    title_text, title_key, title_params = message_split(title)
    body_text, body_key, body_params = message_split(body)
    notification = Notification.objects.create(
        user=user,
        team=team,
        title=title_text[:200],
        title_key=title_key,
        body=body_text,
        body_key=body_key,
        params={**body_params, **title_params},
        kind=kind,
        url=url,
        event=event,
    )
    if mode != DIGEST:
        transaction.on_commit(lambda: deliver_notification.delay(str(notification.pk)))
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    now = timezone.now()
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now, updated_at=now)


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])


def activity_record(
    *,
    team: Team,
    actor: User | None,
    verb: str,
    summary: str | Message,
    target: object | None = None,
    data: dict[str, object] | None = None,
) -> ActivityEvent:
    """Append one line to the team's activity feed (and audit trail). `target` is any model row.

    A `Message` summary is shown in each reader's language (its English is kept in `summary`)."""
    target_type = target_id = ""
    if target is not None:
        meta = target._meta  # type: ignore[attr-defined]
        target_type = f"{meta.app_label}.{meta.model_name}"
        target_id = str(target.pk)  # type: ignore[attr-defined]
    summary_text, summary_key, params = message_split(summary)
    return ActivityEvent.objects.create(
        team=team,
        actor=actor,
        verb=verb,
        summary=summary_text[:300],
        summary_key=summary_key,
        params=params,
        target_type=target_type,
        target_id=target_id,
        data=data or {},
    )
