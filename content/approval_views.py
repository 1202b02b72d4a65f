"""Approvals: the queue of posts waiting for my decision (approve or request changes inline), then mine."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from content.approvals import approvals_submitted_by, approvals_waiting_for
from teams.permissions import Capability, clients_allowed, request_team_context

SUBMITTED_SHOWN = 50


@clients_allowed
@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    context = {
        "waiting": approvals_waiting_for(ctx=ctx),
        "submitted": list(approvals_submitted_by(ctx=ctx)[:SUBMITTED_SHOWN]),
        "can_review": ctx.can(Capability.REVIEW),
        "can_manage_workflows": ctx.can(Capability.MANAGE_MEMBERS),
        "nav_section": "approvals",
    }
    return render(request, "content/approvals.html", context)
