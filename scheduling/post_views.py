"""The post page's "Publish and schedule" panel and its actions: publish now, schedule, add to queue.

Scheduling sits at the top of the import order, so it reads the post's deliveries and schedules and
adds its panel to content's post page (registered in `SchedulingConfig.ready`). Scheduling goes
and publishing now go through `post_schedule` (past and DST-gap times, duplicates, checks, plan
limits, approval), the queue through `queue_add`. Times typed on the page are wall-clock in the
workspace's zone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import selectors as content_selectors
from content.models import ContentPost, PostStatus
from content.workflow import approval_passed, approval_required
from core.api.errors import ApiError, NotFoundError, ValidationFailed
from core.messages import error_message
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.queueing import queue_add
from scheduling.series import recurring_create
from scheduling.services import post_schedule
from scheduling.timeutils import parse_instant, utc_to_local, zone
from social import selectors as social_selectors
from social.models import AccountHealth, SocialAccount
from teams.permissions import Capability, TeamContext, request_team_context, require

DEFAULT_HOUR = time(9, 0)


def _back(post: ContentPost) -> HttpResponse:
    return redirect(reverse("content:post_detail", args=[post.pk]) + "#publishing")


def suggested_time(post: ContentPost, tz_name: str, now: datetime | None = None) -> datetime:
    """The wall-clock time the page offers: the planned time when it is still ahead, else tomorrow 09:00."""
    now = now or timezone.now()
    tz = zone(tz_name)
    if post.scheduled_at and post.scheduled_at > now + timedelta(minutes=1):
        return utc_to_local(post.scheduled_at, tz)
    tomorrow = utc_to_local(now, tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, DEFAULT_HOUR)


def _default_accounts(post: ContentPost, accounts: list[SocialAccount]) -> set[Any]:
    """The accounts ticked at first: the post's own platform where connected, else every account."""
    usable = [a for a in accounts if a.health != AccountHealth.NEEDS_RECONNECT]
    same = [a.pk for a in usable if a.platform == post.platform]
    return set(same or [a.pk for a in usable])


def publishing_panel(request: HttpRequest, ctx: TeamContext, post: ContentPost) -> str:
    """The post page's panel: per-account results with links, schedules, and the actions the role allows."""
    if ctx.is_client:
        return ""
    tz_name = ctx.team.timezone
    tz = zone(tz_name)
    accounts = list(social_selectors.accounts_for_team(team=ctx.team).order_by("platform", "account_name"))
    schedules = list(
        ScheduledPost.objects.filter(post=post)
        .exclude(status=ScheduleStatus.CANCELLED)
        .select_related("social_account")
        .order_by("scheduled_at")
    )
    for row in schedules:
        row.local_at = utc_to_local(row.scheduled_at, tz)  # type: ignore[attr-defined]
    passed = approval_passed(post)
    waiting_reason = ""
    if not passed:
        waiting_reason = (
            _("Waiting for approval: it can be scheduled now and goes out once approved.")
            if post.status == PostStatus.IN_REVIEW
            else _("This workspace requires approval: submit it for approval before publishing now.")
        )
    context = {
        "post": post,
        "accounts": accounts,
        "ticked": _default_accounts(post, accounts),
        "results": list(social_selectors.results_for_post(post=post)),
        "schedules": schedules,
        "tz_name": tz_name,
        "suggested": suggested_time(post, tz_name),
        "can_publish": ctx.can(Capability.PUBLISH),
        "approval_passed": passed,
        "approval_required": approval_required(post),
        "waiting_reason": waiting_reason,
        "published": post.status == PostStatus.PUBLISHED,
    }
    return render_to_string("scheduling/partials/post_publishing.html", context, request=request)


def _accounts(ctx: TeamContext, request: HttpRequest) -> list[SocialAccount]:
    try:
        accounts = social_selectors.accounts_by_ids(team=ctx.team, account_ids=request.POST.getlist("account_ids"))
    except NotFoundError as exc:
        raise ValidationFailed(_("Pick accounts of this workspace."), details={"accountIds": [exc.message]}) from exc
    if not accounts:
        raise ValidationFailed(_("Tick at least one account."), details={"accountIds": [_("No account.")]})
    return accounts


@login_required
@require_POST
def post_schedule_view(request: HttpRequest, post_id: str) -> HttpResponse:
    """Schedule at a wall-clock time in the workspace's zone, or ("queue") in each account's next free slot."""
    ctx = request_team_context(request)
    post = content_selectors.post_get(ctx=ctx, post_id=post_id)
    require(ctx, Capability.PUBLISH)
    try:
        accounts = _accounts(ctx, request)
        if "queue" in request.POST:
            rows = [queue_add(post=post, account=a) for a in accounts]
        else:
            raw = request.POST.get("when", "").strip()
            if not raw:
                raise ValidationFailed(_("Pick a date and time."), details={"when": [_("Required.")]})
            at = parse_instant(raw, zone(ctx.team.timezone))
            rows = post_schedule(post=post, accounts=accounts, at=at, tz=ctx.team.timezone, actor=ctx).scheduled
    except ApiError as exc:
        error_message(request, exc)  # a moderation block lists its reasons
        return _back(post)
    local = utc_to_local(rows[0].scheduled_at, zone(ctx.team.timezone))
    messages.success(
        request,
        _("Scheduled for %(when)s (%(tz)s) on %(n)s account(s).")
        % {"when": local.strftime("%Y-%m-%d %H:%M"), "tz": ctx.team.timezone, "n": len(rows)},
    )
    return _back(post)


@login_required
@require_POST
def post_publish_now_view(request: HttpRequest, post_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    post = content_selectors.post_get(ctx=ctx, post_id=post_id)
    require(ctx, Capability.PUBLISH)
    try:
        outcome = post_schedule(post=post, accounts=_accounts(ctx, request), at=None, tz=ctx.team.timezone, actor=ctx)
    except ApiError as exc:
        error_message(request, exc)  # a moderation block lists its reasons
        return _back(post)
    failed = [r for r in outcome.results if r.status == "FAILED"]
    if failed:
        messages.error(request, _("%(n)s account(s) refused the post; see the results.") % {"n": len(failed)})
    else:
        messages.success(request, _("Published to %(n)s account(s).") % {"n": len(outcome.results)})
    return _back(post)


@login_required
@require_POST
def post_repeat(request: HttpRequest, post_id: str) -> HttpResponse:
    """Repeat the post from a first wall-clock time by an RRULE (the composer's presets, or a custom rule)."""
    ctx = request_team_context(request)
    post = content_selectors.post_get(ctx=ctx, post_id=post_id)
    require(ctx, Capability.PUBLISH)
    try:
        accounts = _accounts(ctx, request)
        raw, rule = request.POST.get("when", "").strip(), request.POST.get("rrule", "").strip()
        if not raw or not rule:
            raise ValidationFailed(_("Pick a first date and time and how often."), details={"rrule": [_("Required.")]})
        start = utc_to_local(parse_instant(raw, zone(ctx.team.timezone)), zone(ctx.team.timezone))
        for account in accounts:
            recurring_create(
                post=post, account=account, rrule=rule, start_local=start, tz=ctx.team.timezone, actor=ctx.user
            )
    except ApiError as exc:
        error_message(request, exc)
        return _back(post)
    messages.success(
        request, _("Repeats on %(n)s account(s); the calendar shows each occurrence.") % {"n": len(accounts)}
    )
    return _back(post)
