"""The calendar: month, week and list views, scheduling, queue slots, retry."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core.api.errors import ApiError
from core.messages import error_message
from scheduling import selectors
from scheduling.forms import QueueSlotsForm, ScheduleForm
from scheduling.models import QueueSlot, ScheduleStatus
from scheduling.queueing import queue_add, queue_slots_set
from scheduling.services import post_schedule, scheduled_post_retry_now
from scheduling.templatetags.schedule_tags import status_choices
from scheduling.timeutils import local_to_utc, utc_to_local, zone
from social import selectors as social_selectors
from teams.models import Brand
from teams.permissions import Capability, request_team_context, require

VIEWS = ("month", "week", "list")
WEEK_FIRST_HOUR, WEEK_LAST_HOUR = 7, 21
SERIES_SHOWN = 20
RRULE_PRESETS = [
    ("FREQ=DAILY", _lazy("Every day")),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", _lazy("Every weekday")),
    ("FREQ=WEEKLY", _lazy("Every week")),
    ("FREQ=MONTHLY", _lazy("Every month")),
]


def _parse_day(raw: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else fallback
    except ValueError:
        return fallback


def _week_hours(grid: list[dict], rows: list) -> list[dict]:
    """The week as a time grid: one row per hour (07:00-21:00, plus any hour holding a post), a cell per day."""
    hours = sorted(set(range(WEEK_FIRST_HOUR, WEEK_LAST_HOUR + 1)) | {r.local_at.hour for r in rows})
    return [
        {
            "hour": hour,
            "cells": [
                {**day, "rows": [r for r in day["rows"] if r.local_at.hour == hour]}  # type: ignore[attr-defined]
                for day in grid
            ],
        }
        for hour in hours
    ]


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    tz = zone(ctx.team.timezone)
    today = utc_to_local(timezone.now(), tz).date()
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "month"
    anchor = _parse_day(request.GET.get("date"), today)
    filters = {
        "status": request.GET.get("status") or None,
        "platform": request.GET.get("platform") or None,
        "account_id": request.GET.get("account") or None,
        "brand_id": request.GET.get("brand") or None,
    }
    if filters["status"] and filters["status"] not in ScheduleStatus.values:
        filters["status"] = None
    if view == "month":
        first = anchor.replace(day=1)
        start = first - timedelta(days=first.weekday())
        days = 42
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        title = date_format(first, "YEAR_MONTH_FORMAT")  # "diciembre de 2026", "ديسمبر 2026"
    elif view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        days = 7
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
        title = _("Week of %(day)s") % {"day": date_format(start, "DATE_FORMAT")}
    else:
        start, days = today - timedelta(days=7), 60
        previous, following = start - timedelta(days=60), start + timedelta(days=60)
        start = anchor - timedelta(days=7) if request.GET.get("date") else start
        title = _("Upcoming and recent")
    end = start + timedelta(days=days)
    rows = list(
        selectors.schedules_for_team(
            team=ctx.team,
            start=local_to_utc(datetime.combine(start, datetime.min.time()), tz),
            end=local_to_utc(datetime.combine(end, datetime.min.time()), tz),
            **filters,
        ).exclude(status=ScheduleStatus.CANCELLED if not filters["status"] else "")
    )
    by_day: dict[date, list] = defaultdict(list)
    for row in rows:
        row.local_at = utc_to_local(row.scheduled_at, tz)  # type: ignore[attr-defined]
        by_day[row.local_at.date()].append(row)  # type: ignore[attr-defined]
    grid = [
        {
            "date": start + timedelta(days=i),
            "rows": by_day.get(start + timedelta(days=i), []),
            "in_month": view != "month" or (start + timedelta(days=i)).month == anchor.month,
            "is_today": start + timedelta(days=i) == today,
        }
        for i in range(days)
    ]
    context = {
        "hours": _week_hours(grid, rows) if view == "week" else [],
        "series": list(selectors.series_for_team(team=ctx.team).filter(is_active=True)[:SERIES_SHOWN]),
        "rrule_presets": RRULE_PRESETS,
        "rrule_presets_values": [value for value, _label in RRULE_PRESETS],
        "nav_section": "calendar",
        "view": view,
        "title": title,
        "weeks": [grid[i : i + 7] for i in range(0, len(grid), 7)] if view != "list" else [],
        "rows": rows,
        "previous": previous.isoformat(),
        "following": following.isoformat(),
        "today": today.isoformat(),
        "team": ctx.team,
        "accounts": social_selectors.accounts_for_team(team=ctx.team),
        "brands": Brand.objects.filter(team=ctx.team).order_by("name"),
        "statuses": status_choices(),
        "filters": {k: v or "" for k, v in filters.items()},
        "form": ScheduleForm(team=ctx.team),
        "can_publish": ctx.can(Capability.PUBLISH),
        "can_manage_accounts": ctx.can(Capability.MANAGE_ACCOUNTS),
    }
    template = "scheduling/partials/calendar_body.html" if request.htmx else "scheduling/calendar.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_POST
def schedule(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    require(ctx, Capability.PUBLISH)
    form = ScheduleForm(request.POST, team=ctx.team)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''}: {' '.join(str(e) for e in errors)}",
            )
        return redirect("scheduling:calendar")
    post, accounts = form.cleaned_data["post"], list(form.cleaned_data["accounts"])
    try:
        if "queue" in request.POST:
            rows = [queue_add(post=post, account=a) for a in accounts]
        else:
            when = form.cleaned_data.get("when")
            if when is None:
                messages.error(request, _("Pick a date and time, or add the post to the queue."))
                return redirect("scheduling:calendar")
            rows = post_schedule(
                post=post, accounts=accounts, at=when.replace(tzinfo=None), tz=ctx.team.timezone, actor=ctx
            ).scheduled
    except ApiError as exc:
        error_message(request, exc)  # a plan limit on scheduled posts: the toast offers the upgrade
        return redirect("scheduling:calendar")
    local = utc_to_local(rows[0].scheduled_at, zone(ctx.team.timezone))
    messages.success(request, _("Scheduled for %(when)s.") % {"when": date_format(local, "D j M, H:i")})
    return redirect(f"{reverse('scheduling:calendar')}?date={local.date().isoformat()}")


@login_required
@require_POST
def retry(request: HttpRequest, scheduled_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    require(ctx, Capability.PUBLISH)
    row = selectors.schedule_get(team=ctx.team, scheduled_id=scheduled_id)
    try:
        row = scheduled_post_retry_now(scheduled=row)
    except ApiError as exc:
        messages.error(request, exc.message)
    else:
        if row.status == ScheduleStatus.COMPLETED:
            messages.success(request, _("Published."))
        else:
            messages.warning(request, row.last_error or _("Still not published; we will keep trying."))
    return redirect("scheduling:calendar")


@login_required
def queue_settings(request: HttpRequest, account_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    account = social_selectors.account_get(team=ctx.team, account_id=account_id)
    slots = list(QueueSlot.objects.filter(social_account=account))
    if request.method == "POST":
        require(ctx, Capability.MANAGE_ACCOUNTS)
        form = QueueSlotsForm(request.POST)
        if form.is_valid():
            days = [int(d) for d in form.cleaned_data["weekdays"]]
            queue_slots_set(account=account, slots=[(d, t) for d in days for t in form.cleaned_data["times"]])
            messages.success(request, _("Posting times saved."))
            return redirect("scheduling:queue", account_id=account.pk)
    else:
        form = QueueSlotsForm(
            initial={
                "weekdays": sorted({str(s.weekday) for s in slots}),
                "times": ", ".join(sorted({s.time.strftime("%H:%M") for s in slots})),
            }
        )
    upcoming = selectors.schedules_for_team(team=ctx.team, account_id=account.pk, status=ScheduleStatus.PENDING)
    tz = zone(ctx.team.timezone)
    queued = [{"row": r, "local_at": utc_to_local(r.scheduled_at, tz)} for r in upcoming.filter(in_queue=True)[:50]]
    return render(
        request,
        "scheduling/queue.html",
        {
            "nav_section": "calendar",
            "account": account,
            "form": form,
            "queued": queued,
            "team": ctx.team,
            "can_manage_accounts": ctx.can(Capability.MANAGE_ACCOUNTS),
            "can_publish": ctx.can(Capability.PUBLISH),
        },
    )
