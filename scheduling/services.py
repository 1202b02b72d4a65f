"""Scheduling writes: create, reschedule, cancel, dispatch due posts exactly once, mirror outcomes.

Exactly once: the dispatcher claims due rows with `select_for_update(skip_locked=True)` and a
conditional PENDING → PROCESSING update in one transaction, so two beat processes never take the
same row. The delivery itself goes through social's PublishResult claim (one row per post and
account, a lease, read-back before any retry), so a worker killed mid-publish is retried by read-
back, never by a blind second post.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.i18n import user_locale
from accounts.models import User
from billing.entitlements import require_within_limit
from content.models import ContentPost, PostStatus
from content.workflow import approval_passed_q, post_mark_scheduled, post_mark_unscheduled
from core.api.errors import ConflictError, NotFoundError, ValidationFailed
from core.events import POST_SCHEDULED, event_emit, post_summary
from core.stored_messages import Message
from scheduling.live import calendar_changed
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.timeutils import wall_clock_to_utc, zone
from social.models import PublishResult, PublishStatus, SocialAccount
from social.services.publishing import (
    PublishOutcome,
    deliveries_check_count,
    post_publish,
    posts_ensure_approved,
    posts_ensure_deliverable,
    posts_ensure_publishable,
    publish_result_retry,
    publish_results_deliver,
    publish_results_prepare,
    update_returning,
)
from teams.models import Notification, Team
from teams.permissions import Capability, TeamContext, require
from teams.services import notification_send

logger = logging.getLogger(__name__)

PAST_TOLERANCE = timedelta(seconds=60)


def _pending_count(team: Team) -> int:
    return ScheduledPost.objects.filter(team=team, status=ScheduleStatus.PENDING).count()


def schedule_instant(*, at: datetime | None, tz: str, now: datetime | None = None) -> datetime | None:
    """The UTC instant of "publish at `at` in `tz`", or None for "now"; refused the same way everywhere.

    `at` without an offset is wall-clock time in `tz` (the hour skipped by a DST change is refused);
    an unknown zone and a time in the past are refused too.
    """
    tz_info = zone(tz)
    if at is None:
        return None
    instant = wall_clock_to_utc(at, tz_info)
    if instant < (now or timezone.now()) - PAST_TOLERANCE:
        raise ValidationFailed("That time is in the past.", details={"scheduledAt": ["Pick a time in the future."]})
    return instant


def _check_accounts(post: ContentPost, accounts: Sequence[SocialAccount]) -> None:
    if not accounts:
        raise ValidationFailed("Choose at least one connected account.", details={"platforms": ["No account."]})
    for account in accounts:
        if account.team_id != post.team_id or not account.is_active:
            raise ValidationFailed("An account is not connected to this team.", details={"platforms": ["Unknown."]})


def post_schedule(
    *,
    post: ContentPost,
    accounts: Sequence[SocialAccount],
    at: datetime | None,
    tz: str,
    actor: TeamContext | None = None,
    in_queue: bool = False,
    now: datetime | None = None,
    http: httpx.Client | None = None,
) -> PublishOutcome:
    """Publish `post` to `accounts` now (`at=None`) or at `at` in zone `tz`.

    The one path for "publish now or at time T": the post page, the publish and bulk pages, the
    calendar, the queue, the API, imports and every later entry point call it. `at` without an
    offset is wall-clock time in `tz`. `actor`, when given, must be allowed to publish in the post's
    team (system callers such as the queue pass None).

    Refused with nothing written: an unknown zone, a time in a DST gap or in the past (400), no
    account or one of another team (400), moderation (422), a pre-publish check (400), the plan's
    limit, an account already holding a pending schedule of this post (409). A post still waiting
    for approval may be scheduled (it keeps its review state and goes out once approved) but not
    published now (409). A schedule is one PENDING ScheduledPost per account (`outcome.scheduled`);
    publishing now is one delivery attempt per account in this request (`outcome.results`).
    """
    if actor is not None:
        require(actor, Capability.PUBLISH)
        if actor.team.pk != post.team_id:
            raise NotFoundError("No such post.")
    now = now or timezone.now()
    instant = schedule_instant(at=at, tz=tz, now=now)
    _check_accounts(post, accounts)
    if instant is None:
        return post_publish(post=post, accounts=list(accounts), http=http)
    posts_ensure_publishable(posts=[post], accounts=list(accounts))
    posts_ensure_deliverable(posts=[post], accounts=accounts)  # limits and media: refused now, not at its time
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
                    post=post,
                    team_id=post.team_id,
                    social_account=a,
                    platform=a.platform,
                    scheduled_at=instant,
                    timezone=tz,
                    in_queue=in_queue,
                )
                for a in accounts
            ]
        )
        post_mark_scheduled(post=post, at=instant)
        event_emit(
            name=POST_SCHEDULED,
            team_id=post.team_id,
            data={
                "post": post_summary(post),
                "scheduled_posts": [
                    {
                        "id": str(row.pk),
                        "account_id": str(row.social_account_id),
                        "platform": row.platform,
                        "scheduled_at": row.scheduled_at.isoformat(),
                        "timezone": row.timezone,
                        "in_queue": row.in_queue,
                    }
                    for row in rows
                ],
            },
        )
    calendar_changed(team_ids=[post.team_id])
    return PublishOutcome(scheduled=rows)


def posts_schedule(
    *,
    posts: Sequence[ContentPost],
    accounts: Sequence[SocialAccount],
    at: datetime | None,
    tz: str,
    actor: TeamContext | None = None,
    http: httpx.Client | None = None,
) -> PublishOutcome:
    """`post_schedule` for several posts (the bulk page and API), all or nothing up front.

    Moderation, the pre-publish checks (when scheduling) and approval (when publishing now) are
    settled for the whole batch before anything is stored or sent; schedules are stored in one
    transaction, and deliveries made now succeed or fail one by one.
    """
    deliveries_check_count(len(posts) * len(accounts))
    now = timezone.now()
    instant = schedule_instant(at=at, tz=tz, now=now)
    posts_ensure_publishable(posts=list(posts), accounts=list(accounts))
    if instant is None:
        posts_ensure_approved(posts=list(posts))
    else:
        posts_ensure_deliverable(posts=posts, accounts=accounts)
    total = PublishOutcome()
    with transaction.atomic() if instant is not None else nullcontext():
        for post in posts:
            outcome = post_schedule(post=post, accounts=accounts, at=instant, tz=tz, actor=actor, now=now, http=http)
            total.results += outcome.results
            total.scheduled += outcome.scheduled
    return total


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
        calendar_changed(team_ids=ContentPost.objects.filter(pk=locked.post_id).values_list("team_id", flat=True))
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
            post_mark_unscheduled(post=locked.post)
        calendar_changed(team_ids=ContentPost.objects.filter(pk=locked.post_id).values_list("team_id", flat=True))
    return locked


WAITING_FOR_APPROVAL = "Waiting for approval."


def dispatch_due_posts(*, now: datetime | None = None, limit: int | None = None) -> list[str]:
    """Claim every due, approved schedule and queue its delivery. Returns the claimed ids.

    Safe to run from several beat processes at once: a row is taken by exactly one of them. The
    claim is one conditional UPDATE for the whole batch; RETURNING names the rows this call won.
    """
    now = now or timezone.now()
    limit = limit or settings.SCHEDULING_DISPATCH_BATCH
    with transaction.atomic():
        due_rows = ScheduledPost.objects.filter(status=ScheduleStatus.PENDING, scheduled_at__lte=now)
        # Posts still waiting for approval stay PENDING, marked once, and are left out of the claim
        # in SQL, so however many there are they never push approved ones out of the batch.
        due_rows.exclude(approval_passed_q("post__")).exclude(last_error=WAITING_FOR_APPROVAL).update(
            last_error=WAITING_FOR_APPROVAL
        )
        # The filter is the approval gate (content.workflow.approval_passed, in SQL); a row whose
        # account was disconnected has nowhere to go and waits too.
        # Only the ids the claim needs: loading each row's post, team and account cost the dispatcher
        # more than the claim itself.
        ready = list(
            due_rows.select_for_update(skip_locked=True, of=("self",))
            .filter(approval_passed_q("post__"), social_account__isnull=False)
            .order_by("scheduled_at")
            .values_list("pk", "post_id", "social_account_id", "social_account__platform")[:limit]
        )
        ready_ids = [pk for pk, *_ in ready]
        publish_results_prepare(
            deliveries=[(post_id, account_id, platform) for _, post_id, account_id, platform in ready]
        )
        delivery = PublishResult.objects.filter(
            post_id=OuterRef("post_id"), social_account_id=OuterRef("social_account_id")
        ).values("pk")[:1]
        # The conditional update is the claim (SQLite ignores FOR UPDATE; this still holds).
        won = update_returning(
            ScheduledPost.objects.filter(pk__in=ready_ids, status=ScheduleStatus.PENDING),
            ["id"],
            status=ScheduleStatus.PROCESSING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            publish_result=Subquery(delivery),
            updated_at=now,
        )
        won_ids = {item["id"] for item in won}
        claimed = [str(pk) for pk in ready_ids if pk in won_ids]  # in due order
    if claimed:
        transaction.on_commit(lambda: _enqueue_deliveries(claimed))
    return claimed


def _enqueue_deliveries(claimed: list[str]) -> None:
    """One task per chunk of claimed schedules (at most SCHEDULING_DELIVERY_BATCH each).

    A handful of due posts is still spread over a few tasks so idle workers share it.
    """
    from scheduling.tasks import publish_scheduled_posts

    size = max(1, min(settings.SCHEDULING_DELIVERY_BATCH, -(-len(claimed) // 4)))
    for start in range(0, len(claimed), size):
        publish_scheduled_posts.delay(claimed[start : start + size])


def scheduled_post_publish(*, scheduled_id: Any, http: httpx.Client | None = None) -> ScheduledPost:
    """Deliver one claimed schedule (the worker's job) and mirror the outcome onto it."""
    return scheduled_posts_publish(scheduled_ids=[scheduled_id], http=http)[0]


def scheduled_posts_publish(*, scheduled_ids: list[Any], http: httpx.Client | None = None) -> list[ScheduledPost]:
    """Deliver claimed schedules one after the other and mirror each outcome onto its schedule.

    Each delivery keeps its own claim, lease and read-back (social's PublishResult); what is shared
    is the loading, the bookkeeping at the end, and one notification per author for the successes.
    A schedule that is not PROCESSING any more (done, or redelivered after a crash) is skipped.
    """
    rows = list(ScheduledPost.objects.filter(pk__in=scheduled_ids))
    todo = [r for r in rows if r.status == ScheduleStatus.PROCESSING and r.publish_result_id is not None]
    if todo:
        results = publish_results_deliver(result_ids=[r.publish_result_id for r in todo], http=http)
        _sync_many(list(zip(todo, results, strict=True)))
        calendar_changed(
            team_ids=ScheduledPost.objects.filter(pk__in=[r.pk for r in todo]).values_list("team_id", flat=True)
        )
    return list(ScheduledPost.objects.filter(pk__in=[r.pk for r in rows]).order_by("scheduled_at"))


def _sync_many(pairs: list[tuple[ScheduledPost, PublishResult]]) -> None:
    """Mirror many deliveries: successes in one UPDATE, the rest one by one (they carry their reasons)."""
    now = timezone.now()
    succeeded = {s.pk: (s, r) for s, r in pairs if r.status == PublishStatus.SUCCESS}
    if succeeded:
        changed = update_returning(
            ScheduledPost.objects.filter(pk__in=list(succeeded), status=ScheduleStatus.PROCESSING),
            ["id"],
            status=ScheduleStatus.COMPLETED,
            completed_at=now,
            last_error=None,
            updated_at=now,
        )
        _notify_published([succeeded[item["id"]] for item in changed])
    for scheduled, result in pairs:
        if result.status != PublishStatus.SUCCESS:
            scheduled_post_sync(scheduled=scheduled, result=result, refresh=False)


def scheduled_post_sync(
    *, scheduled: ScheduledPost, result: PublishResult | None = None, refresh: bool = True
) -> ScheduledPost:
    """Copy the delivery's state onto the schedule; notify the author once per outcome."""
    if scheduled.publish_result_id is None:
        return scheduled
    if result is None:
        result = PublishResult.objects.select_related("post__author__preferences", "post__team").get(
            pk=scheduled.publish_result_id
        )
    now = timezone.now()
    if result.status == PublishStatus.SUCCESS:
        changed = ScheduledPost.objects.filter(pk=scheduled.pk, status=ScheduleStatus.PROCESSING).update(
            status=ScheduleStatus.COMPLETED, completed_at=now, last_error=None, updated_at=now
        )
        if changed:
            _notify_published([(scheduled, result)])
    elif result.status == PublishStatus.FAILED:
        changed = ScheduledPost.objects.filter(pk=scheduled.pk, status=ScheduleStatus.PROCESSING).update(
            status=ScheduleStatus.FAILED, completed_at=now, last_error=result.error, updated_at=now
        )
        if changed:
            _notify_failed(scheduled, result)
    else:  # still waiting for a retry: keep PROCESSING, show why
        ScheduledPost.objects.filter(pk=scheduled.pk).update(
            last_error=result.error, attempts=result.attempts, updated_at=now
        )
    if refresh:
        scheduled.refresh_from_db()
    return scheduled


def _notify_published(done: list[tuple[ScheduledPost, PublishResult]]) -> None:
    """One notification (and at most one email) per author for the posts one batch published."""
    by_author: dict[Any, list[tuple[ScheduledPost, PublishResult]]] = {}
    for scheduled, result in done:
        if result.post.author_id is not None:
            by_author.setdefault(result.post.author_id, []).append((scheduled, result))
    for items in by_author.values():
        scheduled, result = items[0]
        post, author = result.post, result.post.author
        assert author is not None
        if len(items) == 1:
            title = Message(gettext_noop("Published on %(platform)s"), platform=scheduled.platform.capitalize())
            body = (post.title or post.content)[:140]
            url = result.url or "/calendar/"
        else:
            platforms = ", ".join(sorted({s.platform.capitalize() for s, _ in items}))
            title = Message(
                gettext_noop("Published %(count)s scheduled posts on %(platforms)s"),
                count=len(items),
                platforms=platforms,
            )
            body = "; ".join((r.post.title or r.post.content)[:60] for _, r in items[:5])[:300]
            url = "/calendar/?status=COMPLETED"
        notification_send(
            user=author,
            team=post.team,
            kind="success",
            title=title,
            body=body,
            url=url,
            event=Notification.Event.PUBLISH_RESULT,
        )
        _email_if_wanted(author, succeeded=True, items=items)


def _notify_failed(scheduled: ScheduledPost, result: PublishResult) -> None:
    post, author = result.post, result.post.author
    if author is None:
        return
    notification_send(
        user=author,
        team=post.team,
        kind="error",
        title=Message(gettext_noop("Could not publish on %(platform)s"), platform=scheduled.platform.capitalize()),
        body=result.error[:300] if result.error else Message(gettext_noop("The platform refused the post.")),
        url="/calendar/?status=FAILED",
        event=Notification.Event.PUBLISH_RESULT,
    )
    _email_if_wanted(author, succeeded=False, items=[(scheduled, result)])


def _email_if_wanted(user: User, *, succeeded: bool, items: list[tuple[ScheduledPost, PublishResult]]) -> None:
    from django.core.mail import send_mail

    prefs = getattr(user, "preferences", None)
    wanted = True
    if prefs is not None:
        wanted = bool((prefs.notification_settings or {}).get("emailPublishing", True))
    if not wanted:
        return
    scheduled, result = items[0]
    post = result.post
    with translation.override(user_locale(user).language or settings.LANGUAGE_CODE):
        if len(items) > 1:
            subject = _("Published: %(count)s scheduled posts") % {"count": len(items)}
            body = (
                _("These scheduled posts were published:")
                + "\n\n"
                + "\n".join(
                    _("- %(when)s UTC on %(platform)s: %(post)s")
                    % {
                        "when": f"{s.scheduled_at:%Y-%m-%d %H:%M}",
                        "platform": s.platform,
                        "post": (r.post.title or r.post.content)[:80],
                    }
                    for s, r in items
                )
            )
        else:
            values = {
                "post": (post.title or post.content)[:60],
                "when": f"{scheduled.scheduled_at:%Y-%m-%d %H:%M}",
                "platform": scheduled.platform,
                "reason": result.error or "",
            }
            if succeeded:
                subject = _("Published: %(post)s") % values
                body = _("Your post scheduled for %(when)s UTC on %(platform)s was published.") % values
            else:
                subject = _("Failed: %(post)s") % values
                body = (
                    _(
                        "Your post scheduled for %(when)s UTC on %(platform)s could not be published.\n\n"
                        "Reason: %(reason)s\n\nRetry it from the calendar."
                    )
                    % values
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
        .select_related("publish_result__post__author__preferences", "publish_result__post__team")
        .order_by("scheduled_at")[:limit]
    )
    _sync_many([(row, row.publish_result) for row in rows])  # type: ignore[misc]
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
            title=Message(
                gettext_noop("Going out on %(platform)s in %(minutes)s min"),
                platform=row.platform.capitalize(),
                minutes=minutes,
            ),
            body=(row.post.title or row.post.content)[:140],
            url="/calendar/",
        )
        sent += 1
    return sent
