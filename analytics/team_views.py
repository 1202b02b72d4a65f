"""The team analytics page: output and performance per member and per brand (`/team/analytics/`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analytics.team_analytics import parse_range, team_analytics
from core.api.errors import ApiError
from teams.models import Membership
from teams.permissions import request_team_context


@login_required
@require_GET
def analytics_page(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    if ctx.role == Membership.Role.CLIENT:
        raise PermissionDenied(_("Clients cannot see the team's analytics."))
    error = ""
    try:
        start, end = parse_range(request.GET.get("from"), request.GET.get("to"))
    except ApiError as exc:
        error = exc.message
        start, end = parse_range(None, None)
    report = team_analytics(team=ctx.team, start=start, end=end)
    return render(
        request,
        "teams/analytics.html",
        {"team": ctx.team, "report": report, "error": error, "nav_section": "team"},
        status=400 if error else 200,
    )
