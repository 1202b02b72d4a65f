"""Billing pages: plans and prices, the current plan, usage bars, invoices, plan changes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.payments import (
    checkout_session_create,
    portal_session_create,
    subscription_cancel,
    subscription_change_plan,
)
from billing.plans import CURRENCIES, INTERVALS, PLAN_NAMES, TIER_RANK
from billing.selectors import effective_tier, plan_catalogue, team_invoices, team_usage
from billing.services import quota_ensure, subscription_ensure
from billing.stripe_api import stripe_configured
from core.api.errors import ApiError
from teams.permissions import Capability, TeamContext, request_team_context, require


def _context(request: HttpRequest) -> TeamContext:
    if settings.SELF_HOSTED:
        raise Http404("Billing is not available on self-hosted installations.")
    return request_team_context(request)


def _self_hosted(request: HttpRequest) -> HttpResponse:
    """A server without billing: one sentence for members; how to turn payments on, for staff."""
    ctx = request_team_context(request)
    return render(request, "billing/self_hosted.html", {"nav_section": "billing", "team": ctx.team})


def _choice(request: HttpRequest, source: Any) -> tuple[str, str]:
    interval = source.get("interval", "month")
    currency = str(source.get("currency", settings.BILLING_DEFAULT_CURRENCY)).lower()
    return (
        interval if interval in INTERVALS else "month",
        currency if currency in CURRENCIES else settings.BILLING_DEFAULT_CURRENCY,
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if settings.SELF_HOSTED:
        return _self_hosted(request)
    ctx = _context(request)
    subscription = subscription_ensure(team=ctx.team)
    quota_ensure(team=ctx.team)
    quota, meters = team_usage(team=ctx.team)
    interval, currency = _choice(request, request.GET)
    current = effective_tier(subscription)
    plans = []
    for plan in plan_catalogue():
        price = next((p for p in plan["prices"] if p["interval"] == interval and p["currency"] == currency), None)
        plans.append({**plan, "price": price, "is_current": plan["tier"] == current})
    live = bool(subscription.stripe_subscription_id) and subscription.status != "CANCELLED"
    return render(
        request,
        "billing/overview.html",
        {
            "nav_section": "billing",
            "team": ctx.team,
            "subscription": subscription,
            "current_tier": current,
            "current_rank": TIER_RANK.get(current, 0),
            "current_name": PLAN_NAMES.get(current, current),
            "pending_name": PLAN_NAMES.get(subscription.pending_tier, ""),
            "has_live_subscription": live,
            "can_manage": ctx.can(Capability.MANAGE_BILLING),
            "configured": stripe_configured(),
            "plans": plans,
            "interval": interval,
            "currency": currency,
            "intervals": INTERVALS,
            "currencies": CURRENCIES,
            "quota": quota,
            "meters": meters,
            "invoices": team_invoices(team=ctx.team) if stripe_configured() else [],
            "checkout_state": request.GET.get("checkout", ""),
        },
    )


@login_required
def usage(request: HttpRequest) -> HttpResponse:
    if settings.SELF_HOSTED:
        return _self_hosted(request)  # nothing is metered against a limit here
    ctx = _context(request)
    quota_ensure(team=ctx.team)
    quota, meters = team_usage(team=ctx.team)
    exhausted = [m for m in meters if m.exhausted]
    return render(
        request,
        "billing/usage.html",
        {
            "nav_section": "billing",
            "team": ctx.team,
            "quota": quota,
            "meters": meters,
            "exhausted": exhausted,
            "current_name": PLAN_NAMES.get(effective_tier(subscription_ensure(team=ctx.team)), ""),
        },
    )


def _manage(request: HttpRequest) -> TeamContext:
    ctx = _context(request)
    try:
        require(ctx, Capability.MANAGE_BILLING)
    except ApiError as exc:
        raise PermissionDenied(exc.message) from exc
    return ctx


def _back(request: HttpRequest) -> HttpResponseRedirect:
    return redirect("billing:overview")


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    ctx = _manage(request)
    interval, currency = _choice(request, request.POST)
    page = request.build_absolute_uri(reverse("billing:overview"))
    try:
        url = checkout_session_create(
            team=ctx.team,
            tier=request.POST.get("tier", ""),
            interval=interval,
            currency=currency,
            success_url=f"{page}?checkout=success",
            cancel_url=f"{page}?checkout=cancelled",
        )
    except ApiError as exc:
        messages.error(request, exc.message)
        return _back(request)
    return HttpResponseRedirect(url)


@login_required
@require_POST
def change_plan(request: HttpRequest) -> HttpResponse:
    ctx = _manage(request)
    interval, currency = _choice(request, request.POST)
    try:
        subscription = subscription_change_plan(
            team=ctx.team, tier=request.POST.get("tier", ""), interval=interval, currency=currency
        )
    except ApiError as exc:
        messages.error(request, exc.message)
        return _back(request)
    if subscription.pending_tier:
        messages.success(
            request,
            _("Your plan changes to %(plan)s at the end of this period.")
            % {"plan": PLAN_NAMES[subscription.pending_tier]},
        )
    else:
        messages.success(request, _("You are now on %(plan)s.") % {"plan": PLAN_NAMES[subscription.tier]})
    return _back(request)


@login_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    ctx = _manage(request)
    try:
        subscription_cancel(team=ctx.team)
    except ApiError as exc:
        messages.error(request, exc.message)
        return _back(request)
    messages.success(request, _("Your subscription ends at the end of this period."))
    return _back(request)


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    ctx = _manage(request)
    try:
        url = portal_session_create(team=ctx.team, return_url=request.build_absolute_uri(reverse("billing:overview")))
    except ApiError as exc:
        messages.error(request, exc.message)
        return _back(request)
    return HttpResponseRedirect(url)
