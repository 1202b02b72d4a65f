"""Accounts page: connect (OAuth, Mastodon server, Bluesky app password), health, budgets, disconnect."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.api.errors import ApiError
from core.messages import error_message
from social import selectors
from social.models import Platform, SocialAccount
from social.platforms.registry import get_connector
from social.serializers import SocialAccountSerializer, public_metadata
from social.services.accounts import account_disconnect, account_refresh_tokens
from social.services.budgets import account_budget_sync
from social.services.oauth import credentials_connect, oauth_finish, oauth_start, platform_is_configured
from teams.permissions import Capability, TeamContext, request_team_context, require

PLATFORM_ORDER = ["linkedin", "twitter", "instagram", "facebook", "tiktok", "mastodon", "bluesky", "sandbox"]


def require_page(ctx: TeamContext, capability: Capability) -> None:
    """The role check for pages: a 403 page instead of the API's envelope."""
    try:
        require(ctx, capability)
    except ApiError as exc:
        raise PermissionDenied(exc.message) from exc


def _ctx(request: HttpRequest, capability: Capability | None = None) -> TeamContext:
    ctx = request_team_context(request)
    if capability is not None:
        require_page(ctx, capability)
    return ctx


def _callback_uri(request: HttpRequest, platform: str) -> str:
    return request.build_absolute_uri(reverse("social:callback", args=[platform]))


def _error_message(exc: ApiError) -> str:
    return exc.message


@login_required
@require_GET
def accounts_page(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    accounts = list(selectors.accounts_for_team(team=ctx.team).order_by("platform", "account_name"))
    rows = [
        {"account": a, "health": SocialAccountSerializer.health_of(a), "metadata": public_metadata(a.metadata)}
        for a in accounts
    ]
    platforms = [
        {"value": p, "label": Platform(p).label, "configured": platform_is_configured(p)}
        for p in PLATFORM_ORDER
        if p != "sandbox" or settings.SOCIAL_SANDBOX_ENABLED
    ]
    return render(
        request,
        "social/accounts.html",
        {
            "rows": rows,
            "platforms": platforms,
            "can_manage": ctx.can(Capability.MANAGE_ACCOUNTS),
            "nav_section": "accounts",
        },
    )


@login_required
@require_POST
def connect_start(request: HttpRequest, platform: str) -> HttpResponse:
    """The Connect button: off to the platform's consent page, or straight in for app passwords."""
    if platform not in PLATFORM_ORDER or not platform_is_configured(platform):
        raise Http404("Unknown platform.")
    ctx = _ctx(request, Capability.MANAGE_ACCOUNTS)
    try:
        if not get_connector(platform).uses_oauth:
            account = credentials_connect(
                team=ctx.team,
                user=ctx.user,
                platform=platform,
                identifier=request.POST.get("identifier", ""),
                password=request.POST.get("password", ""),
            )
            messages.success(request, _("Connected %(name)s.") % {"name": account.account_name})
            return redirect("social:accounts")
        url = oauth_start(
            session=request.session,
            team=ctx.team,
            platform=platform,
            redirect_uri=_callback_uri(request, platform),
            instance_url=request.POST.get("instance_url", ""),
        )
    except ApiError as exc:
        error_message(request, exc)  # a plan limit on accounts: the toast offers the upgrade
        return redirect("social:accounts")
    return redirect(url)


@login_required
@require_GET
def connect_callback(request: HttpRequest, platform: str) -> HttpResponse:
    """Where the platform sends the user back with `code` and our `state`."""
    ctx = _ctx(request, Capability.MANAGE_ACCOUNTS)
    if request.GET.get("error"):
        messages.error(request, _("The connection was cancelled: %(why)s") % {"why": request.GET.get("error")})
        return redirect("social:accounts")
    try:
        account = oauth_finish(
            session=request.session,
            team=ctx.team,
            user=ctx.user,
            platform=platform,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
        )
    except ApiError as exc:
        messages.error(request, _error_message(exc))
        return redirect("social:accounts")
    messages.success(request, _("Connected %(name)s.") % {"name": account.account_name})
    return redirect("social:accounts")


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_authorize(request: HttpRequest) -> HttpResponse:
    """The sandbox's own consent page, so connecting it walks the same path as a real platform."""
    if not settings.SOCIAL_SANDBOX_ENABLED:
        raise Http404("The sandbox is off.")
    params: dict[str, Any] = request.POST if request.method == "POST" else request.GET
    state = params.get("state", "")
    redirect_uri = params.get("redirect_uri", "")
    expected = request.build_absolute_uri(reverse("social:callback", args=["sandbox"]))
    if redirect_uri != expected or not state:
        raise Http404("Unknown redirect.")
    if request.method == "POST":
        if request.POST.get("decision") == "allow":
            code = request.POST.get("profile", "").strip() or f"{request.user.pk}:default"
            return redirect(f"{redirect_uri}?{urlencode({'state': state, 'code': code})}")
        return redirect(f"{redirect_uri}?{urlencode({'state': state, 'error': 'access_denied'})}")
    return render(
        request,
        "social/sandbox_authorize.html",
        {"state": state, "redirect_uri": redirect_uri, "scope": params.get("scope", ""), "nav_section": "accounts"},
    )


def _team_account(request: HttpRequest, account_id: str) -> tuple[TeamContext, SocialAccount]:
    ctx = _ctx(request)
    account = selectors.account_get(team=ctx.team, account_id=account_id)
    require_page(ctx, Capability.MANAGE_ACCOUNTS)
    return ctx, account


@login_required
@require_POST
def account_disconnect_view(request: HttpRequest, account_id: str) -> HttpResponse:
    account = _team_account(request, account_id)[1]
    account_disconnect(account=account)
    messages.success(request, _("Disconnected %(name)s.") % {"name": account.account_name})
    return redirect("social:accounts")


@login_required
@require_POST
def account_check_view(request: HttpRequest, account_id: str) -> HttpResponse:
    """Refresh the tokens now: the quickest way to learn whether the platform still accepts them."""
    account = _team_account(request, account_id)[1]
    refreshed = account_refresh_tokens(account_id=str(account.pk))
    if refreshed is not None and refreshed.health == "healthy":
        account_budget_sync(refreshed)  # the platform's own posting quota, where it has an endpoint
        messages.success(request, _("%(name)s is connected and healthy.") % {"name": account.account_name})
    else:
        messages.warning(request, _("%(name)s has a problem; see its last error.") % {"name": account.account_name})
    return redirect("social:accounts")
