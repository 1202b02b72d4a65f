"""The calendar: month, week and list views, scheduling, queue slots, retry."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from content import selectors as content_selectors
from content.models import UNSCHEDULED_STATUSES, Brand
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
from teams.models import Team
from teams.permissions import Capability, TeamContext, request_team_context, require

VIEWS = ("month", "week", "list")
WEEK_FIRST_HOUR, WEEK_LAST_HOUR = 7, 21
SERIES_SHOWN = 20
PER_DAY = 3  # entries a month or week day shows before "+N more"
LIST_LIMIT = 100  # rows of the list view
DAY_PAGE = 50  # entries of one opened day per page
POST_CHOICES = 10  # posts the side form offers at once; the search narrows them
POST_QUERY_MAX = 100
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
            "label": f"{hour:02d}",
            "cells": [
                {**day, "rows": [r for r in day["rows"] if r.local_at.hour == hour]}  # type: ignore[attr-defined]
                for day in grid
            ],
        }
        for hour in hours
    ]


def _filters(request: HttpRequest) -> dict[str, str | None]:
    filters = {
        "status": request.GET.get("status") or None,
        "platform": request.GET.get("platform") or None,
        "account_id": request.GET.get("account") or None,
        "brand_id": request.GET.get("brand") or None,
    }
    if filters["status"] and filters["status"] not in ScheduleStatus.values:
        filters["status"] = None
    return filters


def _filter_query(filters: dict[str, str | None]) -> str:
    """The filters as they were given, for links that must keep them ("+N more", the day's pages)."""
    names = {"status": "status", "platform": "platform", "account_id": "account", "brand_id": "brand"}
    return urlencode({names[k]: v for k, v in filters.items() if v})


def _schedules(team: Team, filters: dict[str, str | None], tz: ZoneInfo, start: date, end: date) -> QuerySet:
    return selectors.schedules_for_team(
        team=team,
        start=local_to_utc(datetime.combine(start, datetime.min.time()), tz),
        end=local_to_utc(datetime.combine(end, datetime.min.time()), tz),
        **filters,
    ).exclude(status=ScheduleStatus.CANCELLED if not filters["status"] else "")


def _with_local_time(rows: list, tz: ZoneInfo) -> list:
    """Each row's local time, and what its calendar chip shows, worked out once here: the date and
    truncatechars filters on every chip were most of a busy month's rendering time."""
    for row in rows:
        row.local_at = utc_to_local(row.scheduled_at, tz)
        row.local_time = f"{row.local_at.hour:02d}:{row.local_at.minute:02d}"
        text = Truncator(row.post.title or row.post.content)
        row.chip_text, row.chip_title = text.chars(40), text.chars(120)
    return rows


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """Month, week or list. The page costs what it shows: a day holds at most PER_DAY entries and
    says how many more it has, the list at most LIST_LIMIT rows, and the side form searches posts
    instead of listing them, so neither a busy month nor a large team makes the page grow."""
    ctx = request_team_context(request)
    tz = zone(ctx.team.timezone)
    today = utc_to_local(timezone.now(), tz).date()
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "month"
    anchor = _parse_day(request.GET.get("date"), today)
    filters = _filters(request)
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
    schedules = _schedules(ctx.team, filters, tz, start, end)
    list_truncated = False
    counts: dict[date, int] = {}
    if view == "list":
        rows = list(schedules[: LIST_LIMIT + 1])
        list_truncated = len(rows) > LIST_LIMIT
        rows = rows[:LIST_LIMIT]
    else:
        rows, counts = selectors.schedules_by_day(rows=schedules, tz=tz, per_day=PER_DAY)
    _with_local_time(rows, tz)
    by_day: dict[date, list] = defaultdict(list)
    for row in rows:
        by_day[row.local_at.date()].append(row)  # type: ignore[attr-defined,union-attr]
    grid = []
    for i in range(days):
        day = start + timedelta(days=i)
        shown = by_day.get(day, [])
        more = max(0, counts.get(day, 0) - len(shown))
        grid.append(
            {
                "date": day,
                "iso": day.isoformat(),
                "rows": shown,
                "more": more,
                # The "+N more" link's words, here rather than two {% blocktranslate %} per busy day.
                "more_text": ngettext("+%(n)s more", "+%(n)s more", more) % {"n": more} if more else "",
                "more_label": (
                    ngettext("%(n)s more post on %(when)s", "%(n)s more posts on %(when)s", more)
                    % {"n": more, "when": date_format(day, "l j F")}
                    if more
                    else ""
                ),
                "in_month": view != "month" or day.month == anchor.month,
                "is_today": day == today,
            }
        )
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
        "list_limit": LIST_LIMIT,
        "list_truncated": list_truncated,
        "previous": previous.isoformat(),
        "following": following.isoformat(),
        "today": today.isoformat(),
        "team": ctx.team,
        "accounts": social_selectors.accounts_for_team(team=ctx.team),
        "brands": Brand.objects.filter(team=ctx.team).order_by("name"),
        "statuses": status_choices(),
        "filters": {k: v or "" for k, v in filters.items()},
        "filter_query": _filter_query(filters),
        "day_url": reverse("scheduling:calendar_day"),
        "can_publish": ctx.can(Capability.PUBLISH),
        "can_manage_accounts": ctx.can(Capability.MANAGE_ACCOUNTS),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "scheduling/partials/calendar_body.html", context)
    if context["can_publish"]:
        form = ScheduleForm(team=ctx.team)
        query = request.GET.get("post_q", "")[:POST_QUERY_MAX]
        choices = _post_choices(ctx, query)
        has_accounts = form.fields["accounts"].queryset.exists()  # type: ignore[attr-defined]
        show_form = has_accounts and bool(choices["post_choices"] or query)
        context |= {"form": form, "post_q": query, "show_schedule_form": show_form, **choices}
    return render(request, "scheduling/calendar.html", context)


@login_required
def calendar_day(request: HttpRequest) -> HttpResponse:
    """Everything on one day ("+N more"), DAY_PAGE entries a page; an htmx partial or a page of its own."""
    ctx = request_team_context(request)
    tz = zone(ctx.team.timezone)
    day = _parse_day(request.GET.get("date"), utc_to_local(timezone.now(), tz).date())
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    filters = _filters(request)
    offset = (page - 1) * DAY_PAGE
    rows = _with_local_time(
        list(_schedules(ctx.team, filters, tz, day, day + timedelta(days=1))[offset : offset + DAY_PAGE + 1]), tz
    )
    context = {
        "nav_section": "calendar",
        "team": ctx.team,
        "day": day,
        "rows": rows[:DAY_PAGE],
        "page": page,
        "has_next": len(rows) > DAY_PAGE,
        "filter_query": _filter_query(filters),
        "can_publish": ctx.can(Capability.PUBLISH),
    }
    template = "scheduling/partials/calendar_day.html" if request.htmx else "scheduling/calendar_day.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _post_choices(ctx: TeamContext, query: str) -> dict[str, object]:
    """The newest POST_CHOICES unscheduled posts matching `query` (title or text), for the side form."""
    posts = list(
        content_selectors.post_list(team=ctx.team, q=query, viewer=ctx)
        .filter(status__in=UNSCHEDULED_STATUSES)
        .select_related(None)
        .only("pk", "title", "content", "status", "created_at")[: POST_CHOICES + 1]
    )
    return {"post_choices": posts[:POST_CHOICES], "post_choices_more": len(posts) > POST_CHOICES}


@login_required
def post_search(request: HttpRequest) -> HttpResponse:
    """The side form's post picker: radio choices over the team's unscheduled posts (htmx partial)."""
    ctx = request_team_context(request)
    require(ctx, Capability.PUBLISH)
    query = request.GET.get("post_q", "")[:POST_QUERY_MAX]
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(f"{reverse('scheduling:calendar')}?{urlencode({'post_q': query})}")
    return render(request, "scheduling/partials/post_choices.html", {"post_q": query, **_post_choices(ctx, query)})


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
