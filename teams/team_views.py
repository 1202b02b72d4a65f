"""Team pages: members and roles, invitations, settings, switching, leaving, ownership,
and the invitation link's accept/decline page.

Writes go through teams.membership_services, which check the role; a refused write shows its
message on the team page (403 for a role that may not act, 404 for another team's row).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.api.errors import ApiError, NotFoundError, PermissionDeniedError
from core.messages import error_message
from teams import membership_selectors as selectors
from teams import membership_services as services
from teams.forms import InviteForm, RoleForm, TeamCreateForm, TeamSettingsForm
from teams.models import Membership
from teams.permissions import Capability, TeamContext, clients_allowed, request_team_context, require, team_context
from teams.selectors import team_brands


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_page(ctx: TeamContext, capability: Capability) -> None:
    try:
        require(ctx, capability)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _act(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a service; its refusal becomes a message (a role refusal a 403 page, a missing row a 404)."""
    try:
        action()
    except (PermissionDeniedError, NotFoundError):
        raise  # the error middleware renders the 403 or 404 page
    except ApiError as exc:
        error_message(request, exc)  # a plan refusal (collaboration, seats): the toast offers the upgrade
        return False
    if success:
        messages.success(request, success)
    return True


def _team_context_data(request: HttpRequest, ctx: TeamContext, **extra: Any) -> dict[str, Any]:
    can_manage_members = ctx.can(Capability.MANAGE_MEMBERS)
    team = ctx.team
    return {
        "team": team,
        "ctx": ctx,
        "my_role": ctx.role,
        "members": list(selectors.members_for_team(team=team)),
        "invitations": list(selectors.invitations_for_team(team=team)) if can_manage_members else [],
        "brands": list(team_brands(team=team)),
        "memberships": list(selectors.memberships_for_user(user=ctx.user)),
        "my_invitations": list(selectors.invitations_for_email(email=ctx.user.email)),
        "can_manage_members": can_manage_members,
        "can_manage_team": ctx.can(Capability.MANAGE_TEAM),
        "can_manage_brands": ctx.can(Capability.MANAGE_BRANDS),
        "is_owner": ctx.role == Membership.Role.OWNER,
        "invite_form": extra.pop("invite_form", None) or InviteForm(),
        "settings_form": extra.pop("settings_form", None)
        or TeamSettingsForm(
            initial={"name": team.name, "timezone": team.timezone, "requires_approval": team.requires_approval}
        ),
        "create_form": extra.pop("create_form", None) or TeamCreateForm(),
        "role_form": RoleForm(),
        "nav_section": "team",
        **extra,
    }


@login_required
@require_GET
def team_page(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    return render(request, "teams/team.html", _team_context_data(request, ctx))


@login_required
@require_POST
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamCreateForm(request.POST)
    if form.is_valid():
        created = _act(
            request,
            lambda: services.team_create_for(
                user=_user(request), name=form.cleaned_data["name"], tz=form.cleaned_data["timezone"]
            ),
            _("Team created. You are now working in it."),
        )
        if created:
            return redirect("teams:team")
    ctx = request_team_context(request)
    return render(request, "teams/team.html", _team_context_data(request, ctx, create_form=form), status=400)


@login_required
@require_POST
def team_switch(request: HttpRequest, team_id: str) -> HttpResponse:
    ctx = team_context(user=_user(request), requested_team_id=str(team_id))
    services.team_switch(user=ctx.user, team=ctx.team)
    messages.success(request, _("Now working in %(team)s.") % {"team": ctx.team.name})
    return redirect(_safe_next(request, reverse("dashboard:home")))


@login_required
@require_POST
def team_settings(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    _require_page(ctx, Capability.MANAGE_TEAM)
    form = TeamSettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _act(
            request,
            lambda: services.team_settings_update(
                ctx=ctx, name=data["name"], tz=data["timezone"], requires_approval=data["requires_approval"]
            ),
            _("Settings saved."),
        )
        return redirect("teams:team")
    return render(request, "teams/team.html", _team_context_data(request, ctx, settings_form=form), status=400)


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    _require_page(ctx, Capability.MANAGE_MEMBERS)
    form = InviteForm(request.POST)
    ok = False
    if form.is_valid():
        email = form.cleaned_data["email"]
        ok = _act(
            request,
            lambda: services.invitation_create(
                ctx=ctx, email=email, role=form.cleaned_data["role"], base_url=request.build_absolute_uri("/")
            ),
            _("Invitation sent to %(email)s.") % {"email": email},
        )
    if getattr(request, "htmx", False):
        data = _team_context_data(request, ctx, invite_form=InviteForm() if ok else form, htmx_partial=True)
        return render(request, "teams/partials/invitations.html", data, status=200 if ok or form.is_valid() else 400)
    if not form.is_valid():
        return render(request, "teams/team.html", _team_context_data(request, ctx, invite_form=form), status=400)
    return redirect("teams:team")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    _require_page(ctx, Capability.MANAGE_MEMBERS)
    invitation = selectors.invitation_get(team=ctx.team, invitation_id=invitation_id)
    _act(request, lambda: services.invitation_revoke(ctx=ctx, invitation=invitation), _("Invitation revoked."))
    if getattr(request, "htmx", False):
        return render(request, "teams/partials/invitations.html", _team_context_data(request, ctx, htmx_partial=True))
    return redirect("teams:team")


@login_required
@require_POST
def member_role(request: HttpRequest, member_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    membership = selectors.member_get(team=ctx.team, membership_id=member_id)
    _require_page(ctx, Capability.MANAGE_MEMBERS)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose admin, editor, reviewer, viewer or client."))
    else:
        _act(
            request,
            lambda: services.member_role_change(ctx=ctx, membership=membership, role=form.cleaned_data["role"]),
            _("%(email)s is now %(role)s.")
            % {"email": membership.user.email, "role": Membership.Role(form.cleaned_data["role"]).label.lower()},
        )
    if getattr(request, "htmx", False):
        return render(request, "teams/partials/members.html", _team_context_data(request, ctx))
    return redirect("teams:team")


@login_required
@require_POST
def member_remove(request: HttpRequest, member_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    membership = selectors.member_get(team=ctx.team, membership_id=member_id)
    _require_page(ctx, Capability.MANAGE_MEMBERS)
    email = membership.user.email
    _act(
        request,
        lambda: services.member_remove(ctx=ctx, membership=membership),
        _("%(email)s was removed.") % {"email": email},
    )
    return redirect("teams:team")


@clients_allowed
@login_required
@require_POST
def team_leave(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    left = _act(request, lambda: services.member_leave(ctx=ctx), _("You left %(team)s.") % {"team": ctx.team.name})
    return redirect("dashboard:home" if left else "teams:team")


@login_required
@require_POST
def ownership_transfer(request: HttpRequest, member_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    membership = selectors.member_get(team=ctx.team, membership_id=member_id)
    _require_page(ctx, Capability.MANAGE_TEAM)
    _act(
        request,
        lambda: services.ownership_transfer(ctx=ctx, membership=membership),
        _("%(email)s now owns the team; you are an admin.") % {"email": membership.user.email},
    )
    return redirect("teams:team")


# The invitation link ---------------------------------------------------------------------------
@require_GET
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees which team invites which address; answering needs that account."""
    try:
        invitation = services.invitation_by_token(token=token)
    except NotFoundError:
        return render(request, "teams/invitation.html", {"invalid": True}, status=404)
    user = request.user if request.user.is_authenticated else None
    problem = ""
    try:
        services._check_open(invitation)
    except ApiError as exc:
        problem = exc.message
    wrong_account = bool(user) and user.email.lower() != invitation.email.lower()  # type: ignore[union-attr]
    return render(
        request,
        "teams/invitation.html",
        {
            "invitation": invitation,
            "token": token,
            "problem": problem,
            "wrong_account": wrong_account,
            "next": request.get_full_path(),
            "email_known": User.objects.filter(email__iexact=invitation.email).exists(),
        },
        status=410 if problem else 200,
    )


@login_required
@require_http_methods(["POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        membership = services.invitation_accept(token=token, user=_user(request))
    except ApiError as exc:
        error_message(request, exc)
        return redirect("teams:invitation", token=token)
    messages.success(request, _("Welcome to %(team)s.") % {"team": membership.team.name})
    return redirect("teams:team")


@login_required
@require_POST
def invitation_decline(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.invitation_decline(token=token, user=_user(request))
    except ApiError as exc:
        messages.error(request, exc.message)
        return redirect("teams:invitation", token=token)
    messages.info(request, _("Invitation declined."))
    return redirect("dashboard:home")
