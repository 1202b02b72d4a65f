"""Scheduling writes: create, reschedule, cancel, dispatch due posts exactly once, mirror outcomes.

Exactly once: the dispatcher claims due rows with `select_for_update(skip_locked=True)` and a
conditional PENDING → PROCESSING update in one transaction, so two beat processes never take the
same row. The delivery itself goes through social's PublishResult claim (one row per post and
account, a lease, read-back before any retry), so a worker killed mid-publish is retried by read-
back, never by a blind second post.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from billing.entitlements import require_within_limit
from content.models import ContentPost, PostStatus
from content.workflow import approval_passed
from core.api.errors import ConflictError, ValidationFailed
from scheduling.models import ScheduledPost, ScheduleStatus
from social.models import PublishResult, PublishStatus, SocialAccount
from social.services.publishing import (
    posts_ensure_publishable,
    publish_result_deliver,
    publish_result_prepare,
    publish_result_retry,
)
from teams.models import Team
from teams.services import notification_send

logger = logging.getLogger(__name__)

PAST_TOLERANCE = timedelta(seconds=60)


def _pending_count(team: Team) -> int:
    return ScheduledPost.objects.filter(post__team=team, status=ScheduleStatus.PENDING).count()


def schedule_create(
    *,
    post: ContentPost,
    accounts: list[SocialAccount],
    at: datetime,
    tz: str,
    in_queue: bool = False,
    now: datetime | None = None,
) -> list[ScheduledPost]:
    """One PENDING ScheduledPost per account at the UTC instant `at`."""
    now = now or timezone.now()
    if at < now - PAST_TOLERANCE:
        raise ValidationFailed("That time is in the past.", details={"scheduledAt": ["Pick a time in the future."]})
    if not accounts:
        raise ValidationFailed("Choose at least one connected account.", details={"platforms": ["No account."]})
    for account in accounts:
        if account.team_id != post.team_id or not account.is_active:
            raise ValidationFailed("An account is not connected to this team.", details={"platforms": ["Unknown."]})
    posts_ensure_publishable(posts=[post], accounts=accounts)
    with transaction.atomic():
        require_within_limit(post.team, "max_scheduled_posts", current=_pending_count(post.team), adding=len(accounts))
        taken = set(
            ScheduledPost.objects.filter(
                post=post, social_account__in=accounts, status__in=[ScheduleStatus.PENDING, ScheduleStatus.PROCESSING]
            ).values_list("social_account_id", flat=True)
        )
        if taken:
            raise ConflictError(
                "This post is already scheduled for some of these accounts; reschedule it instead.",
                details={"accountIds": [str(a) for a in taken]},
            )
        rows = ScheduledPost.objects.bulk_create(
            [
                ScheduledPost(
                    post=post, social_account=a, platform=a.platform, scheduled_at=at, timezone=tz, in_queue=in_queue
                )
                for a in accounts
            ]
        )
        # A post still waiting for approval keeps its review state; the dispatcher holds its rows.
        if approval_passed(post):
            ContentPost.objects.filter(
                pk=post.pk, status__in=[PostStatus.DRAFT, PostStatus.FAILED, PostStatus.APPROVED]
            ).update(status=PostStatus.SCHEDULED, scheduled_at=at, updated_at=now)
    return rows


def _require_pending(scheduled: ScheduledPost) -> None:
    if scheduled.status != ScheduleStatus.PENDING:
        raise ConflictError(f"Only a pending schedule can change; this one is {scheduled.status.lower()}.")


def schedule_reschedule(*, scheduled: ScheduledPost, at: datetime, tz: str) -> ScheduledPost:
    if at < timezone.now() - PAST_TOLERANCE:
        raise ValidationFailed("That time is in the past.", details={"scheduledAt": ["Pick a time in the future."]})
    with transaction.atomic():
        locked = ScheduledPost.objects.select_for_update().get(pk=scheduled.pk)
        _require_pending(locked)
        locked.scheduled_at, locked.timezone = at, tz
        locked.is_exception = locked.recurrence_id is not None
        locked.reminder_sent_at = None
        locked.save(update_fields=["scheduled_at", "timezone", "is_exception", "reminder_sent_at", "updated_at"])
        ContentPost.objects.filter(pk=locked.post_id, status=PostStatus.SCHEDULED).update(scheduled_at=at)
    return locked


def schedule_cancel(*, scheduled: ScheduledPost) -> ScheduledPost:
    with transaction.atomic():
        locked = ScheduledPost.objects.select_for_update().get(pk=scheduled.pk)
        _require_pending(locked)
        locked.status = ScheduleStatus.CANCELLED
        locked.is_exception = locked.recurrence_id is not None
        locked.save(update_fields=["status", "is_exception", "updated_at"])
        still_planned = ScheduledPost.objects.filter(
            post_id=locked.post_id, status__in=[ScheduleStatus.PENDING, ScheduleStatus.PROCESSING]
        ).exists()
        if not still_planned:
            ContentPost.objects.filter(pk=locked.post_id, status=PostStatus.SCHEDULED).update(
                status=PostStatus.DRAFT, scheduled_at=None
            )
    return locked


def dispatch_due_posts(*, now: datetime | None = None, limit: int | None = None) -> list[str]:
    """Claim every due, approved schedule and queue its delivery. Returns the claimed ids.

    Safe to run from several beat processes at once: a row is taken by exactly one of them.
    """
    now = now or timezone.now()
    limit = limit or settings.SCHEDULING_DISPATCH_BATCH
    claimed: list[str] = []
    with transaction.atomic():
        due = list(
            ScheduledPost.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("post__team", "social_account")
            .filter(status=ScheduleStatus.PENDING, scheduled_at__lte=now)
            .order_by("scheduled_at")[:limit]
        )
        for row in due:
            if row.social_account is None or not approval_passed(row.post):
                if row.social_account is not None and row.last_error != "Waiting for approval.":
                    ScheduledPost.objects.filter(pk=row.pk).update(last_error="Waiting for approval.")
                continue
            result = publish_result_prepare(post=row.post, account=row.social_account)
            # The conditional update is the claim (SQLite ignores FOR UPDATE; this still holds).
            won = ScheduledPost.objects.filter(pk=row.pk, status=ScheduleStatus.PENDING).update(
                status=ScheduleStatus.PROCESSING,
                claimed_at=now,
                attempts=F("attempts") + 1,
                publish_result=result,
                updated_at=now,
            )
            if won:
                claimed.append(str(row.pk))
    if claimed:
        from scheduling.tasks import publish_scheduled_post

        transaction.on_commit(lambda: [publish_scheduled_post.delay(pk) for pk in claimed])
    return claimed


def scheduled_post_publish(*, scheduled_id: Any, http: httpx.Client | None = None) -> ScheduledPost:
    """Deliver one claimed schedule (the worker's job) and mirror the outcome onto it."""
    scheduled = ScheduledPost.objects.select_related("publish_result").get(pk=scheduled_id)
    if scheduled.status != ScheduleStatus.PROCESSING or scheduled.publish_result_id is None:
        return scheduled
    publish_result_deliver(result_id=scheduled.publish_result_id, http=http)
    return scheduled_post_sync(scheduled=scheduled)


def scheduled_post_sync(*, scheduled: ScheduledPost) -> ScheduledPost:
    """Copy the delivery's state onto the schedule; notify the author once per outcome."""
    if scheduled.publish_result_id is None:
        return scheduled
    result = PublishResult.objects.get(pk=scheduled.publish_result_id)
    now = timezone.now()
    if result.status == PublishStatus.SUCCESS:
        changed = ScheduledPost.objects.filter(pk=scheduled.pk, status=ScheduleStatus.PROCESSING).update(
            status=ScheduleStatus.COMPLETED, completed_at=now, last_error=None, updated_at=now
        )
        if changed:
            _notify_outcome(scheduled, result, succeeded=True)
    elif result.status == PublishStatus.FAILED:
        changed = ScheduledPost.objects.filter(pk=scheduled.pk, status=ScheduleStatus.PROCESSING).update(
            status=ScheduleStatus.FAILED, completed_at=now, last_error=result.error, updated_at=now
        )
        if changed:
            _notify_outcome(scheduled, result, succeeded=False)
    else:  # still waiting for a retry: keep PROCESSING, show why
        ScheduledPost.objects.filter(pk=scheduled.pk).update(
            last_error=result.error, attempts=result.attempts, updated_at=now
        )
    scheduled.refresh_from_db()
    return scheduled


def _notify_outcome(scheduled: ScheduledPost, result: PublishResult, *, succeeded: bool) -> None:
    post = ContentPost.objects.select_related("author", "team").get(pk=scheduled.post_id)
    if post.author is None:
        return
    label = scheduled.platform.capitalize()
    if succeeded:
        notification_send(
            user=post.author,
            team=post.team,
            kind="success",
            title=f"Published on {label}",
            body=(post.title or post.content)[:140],
            url=result.url or "/calendar/",
        )
    else:
        notification_send(
            user=post.author,
            team=post.team,
            kind="error",
            title=f"Could not publish on {label}",
            body=(result.error or "The platform refused the post.")[:300],
            url="/calendar/?status=FAILED",
        )
    _email_if_wanted(post.author, succeeded=succeeded, post=post, scheduled=scheduled, error=result.error or "")


def _email_if_wanted(user: User, *, succeeded: bool, post: ContentPost, scheduled: ScheduledPost, error: str) -> None:
    from django.core.mail import send_mail

    prefs = getattr(user, "preferences", None)
    wanted = True
    if prefs is not None:
        wanted = bool((prefs.notification_settings or {}).get("emailPublishing", True))
    if not wanted:
        return
    subject = f"{'Published' if succeeded else 'Failed'}: {(post.title or post.content)[:60]}"
    body = f"Your post scheduled for {scheduled.scheduled_at:%Y-%m-%d %H:%M} UTC on {scheduled.platform} " + (
        "was published." if succeeded else f"could not be published.\n\nReason: {error}\n\nRetry it from the calendar."
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email], fail_silently=True))


def scheduled_post_retry_now(*, scheduled: ScheduledPost, http: httpx.Client | None = None) -> ScheduledPost:
    """'Retry now' on a FAILED schedule: back to PROCESSING, delivery retried with read-back."""
    if scheduled.status != ScheduleStatus.FAILED or scheduled.publish_result_id is None:
        raise ConflictError("Only a failed schedule can be retried.")
    ScheduledPost.objects.filter(pk=scheduled.pk, status=ScheduleStatus.FAILED).update(
        status=ScheduleStatus.PROCESSING, attempts=F("attempts") + 1, last_error=None, updated_at=timezone.now()
    )
    result = PublishResult.objects.get(pk=scheduled.publish_result_id)
    publish_result_retry(result=result)
    return scheduled_post_sync(scheduled=scheduled)


def processing_reconcile(*, now: datetime | None = None, limit: int = 500) -> int:
    """Beat: mirror deliveries that finished on a retry (or after a worker died) onto their schedules."""
    now = now or timezone.now()
    rows = list(
        ScheduledPost.objects.filter(status=ScheduleStatus.PROCESSING)
        .filter(Q(publish_result__status__in=[PublishStatus.SUCCESS, PublishStatus.FAILED]))
        .order_by("scheduled_at")[:limit]
    )
    for row in rows:
        scheduled_post_sync(scheduled=row)
    return len(rows)


def reminders_send(*, now: datetime | None = None) -> int:
    """Notify authors a configurable lead time before their posts go out (once per schedule)."""
    now = now or timezone.now()
    lead = timedelta(minutes=settings.SCHEDULING_REMINDER_MINUTES)
    due = list(
        ScheduledPost.objects.select_related("post__author", "post__team")
        .filter(status=ScheduleStatus.PENDING, reminder_sent_at__isnull=True, scheduled_at__gt=now)
        .filter(scheduled_at__lte=now + lead)[:500]
    )
    sent = 0
    for row in due:
        won = ScheduledPost.objects.filter(pk=row.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
        if not won or row.post.author is None:
            continue
        minutes = max(1, int((row.scheduled_at - now).total_seconds() // 60))
        notification_send(
            user=row.post.author,
            team=row.post.team,
            kind="info",
            title=f"Going out on {row.platform.capitalize()} in {minutes} min",
            body=(row.post.title or row.post.content)[:140],
            url="/calendar/",
        )
        sent += 1
    return sent
