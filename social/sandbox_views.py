"""The sandbox platform's timeline in the app: what it received from this workspace, newest first,
and a permalink per delivery (the "View post" link of a sandbox publish)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from social.sandbox import sandbox_delivery_get, sandbox_timeline
from teams.permissions import request_team_context


@login_required
@require_GET
def sandbox_page(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    before = parse_datetime(request.GET.get("before", "") or "")
    deliveries, next_before = sandbox_timeline(team=ctx.team, viewer=ctx, before=before)
    return render(
        request,
        "social/sandbox.html",
        {"nav_section": "accounts", "deliveries": deliveries, "next_before": next_before, "paged": before},
    )


@login_required
@require_GET
def sandbox_delivery_page(request: HttpRequest, delivery_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    delivery = sandbox_delivery_get(team=ctx.team, viewer=ctx, delivery_id=delivery_id)
    return render(request, "social/sandbox_delivery.html", {"nav_section": "accounts", "delivery": delivery})
