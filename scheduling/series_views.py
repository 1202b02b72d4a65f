"""Recurring series on the calendar: change the rule or the time of the whole series, or stop it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.api.errors import ApiError
from core.messages import error_message
from scheduling import selectors
from scheduling.series import recurring_stop, recurring_update
from scheduling.timeutils import parse_instant, utc_to_local, zone
from teams.permissions import Capability, request_team_context, require


@login_required
@require_POST
def series_update_view(request: HttpRequest, series_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    series = selectors.series_get(team=ctx.team, series_id=series_id)
    require(ctx, Capability.PUBLISH)
    raw = request.POST.get("when", "").strip()
    try:
        tz = zone(series.timezone)
        start = utc_to_local(parse_instant(raw, tz), tz) if raw else None
        recurring_update(series=series, rrule=request.POST.get("rrule", "").strip() or None, start_local=start)
    except ApiError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Series updated: its upcoming posts follow the new rule."))
    return redirect("scheduling:calendar")


@login_required
@require_POST
def series_stop_view(request: HttpRequest, series_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    series = selectors.series_get(team=ctx.team, series_id=series_id)
    require(ctx, Capability.PUBLISH)
    recurring_stop(series=series)
    messages.success(request, _("Series stopped: its upcoming posts were removed."))
    return redirect("scheduling:calendar")
