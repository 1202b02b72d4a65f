"""Team roles in one place: what each role may do, and the request's team context.

Pages and APIs call `team_context(...)` to learn which team a request acts in (404 for a team the
user is not in) and `require(ctx, Capability.X)` for what the role allows (403: the user can see
the team but may not do this). Plan features are checked by `billing.entitlements`.

Clients are outside approvers: they see only the posts shared with them. Two rules make that so:
`request_team_context` refuses a client (403) on every page and API that is not marked
`clients_allowed` (default deny: a new page is closed to clients until someone opens it), and the
marked post views read posts through `content.selectors.posts_visible`, which keeps a client to
the posts shared with them (any other post is a 404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.http import Http404, HttpRequest

from accounts.models import User
from accounts.permissions import verified_email_require
from core.api.errors import PermissionDeniedError
from teams.models import Membership, Team
from teams.selectors import current_team_for_user

Role = Membership.Role


class Capability(StrEnum):
    VIEW = "view"  # read all the team's posts, calendar, analytics, activity (not clients)
    COMMENT = "comment"
    CREATE_CONTENT = "create_content"  # write, generate, edit drafts
    REVIEW = "review"  # approve or request changes
    PUBLISH = "publish"  # schedule and publish without review
    MANAGE_ACCOUNTS = "manage_accounts"  # connect and disconnect social accounts
    MANAGE_BRANDS = "manage_brands"
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove
    MANAGE_BILLING = "manage_billing"
    MANAGE_TEAM = "manage_team"  # rename, settings, delete, transfer ownership
    MANAGE_MODERATION = "manage_moderation"  # the team's moderation policy and protected terms


_EVERYONE = {Capability.VIEW, Capability.COMMENT}
_EDITOR = _EVERYONE | {Capability.CREATE_CONTENT, Capability.PUBLISH}
_ADMIN = _EDITOR | {
    Capability.REVIEW,
    Capability.MANAGE_ACCOUNTS,
    Capability.MANAGE_BRANDS,
    Capability.MANAGE_MEMBERS,
    Capability.MANAGE_MODERATION,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: frozenset(_ADMIN | {Capability.MANAGE_BILLING, Capability.MANAGE_TEAM}),
    Role.ADMIN: frozenset(_ADMIN),
    Role.EDITOR: frozenset(_EDITOR),
    Role.REVIEWER: frozenset(_EVERYONE | {Capability.REVIEW}),
    Role.VIEWER: frozenset({Capability.VIEW}),
    # An outside approver: sees only the posts shared with them, comments and approves; never writes.
    Role.CLIENT: frozenset({Capability.COMMENT, Capability.REVIEW}),
}


@dataclass(frozen=True)
class TeamContext:
    user: User
    team: Team
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_client(self) -> bool:
        return self.membership.role == Role.CLIENT

    def can(self, capability: Capability) -> bool:
        return capability in ROLE_CAPABILITIES.get(self.membership.role, frozenset())


def team_context(*, user: User, requested_team_id: str | None = None) -> TeamContext:
    """The team a request acts in: `X-Team-ID`/`?team=` when given, else the user's current team.

    Raises Http404 when the user is not a member of that team.
    """
    membership = current_team_for_user(user=user, requested_team_id=requested_team_id)
    return TeamContext(user=user, team=membership.team, membership=membership)


# What reaches people outside the workspace or moves money also needs a verified email address
# (invitations check it in `invitation_create`, since MANAGE_MEMBERS also covers role changes).
VERIFIED_EMAIL_CAPABILITIES = frozenset({Capability.PUBLISH, Capability.MANAGE_BILLING})


def require(ctx: TeamContext, capability: Capability) -> None:
    if not ctx.can(capability):
        raise PermissionDeniedError(
            f"Your role ({ctx.membership.get_role_display()}) cannot {capability.value.replace('_', ' ')} "
            f"in {ctx.team.name}."
        )
    if capability in VERIFIED_EMAIL_CAPABILITIES:
        verified_email_require(ctx.user)


def require_insider(ctx: TeamContext) -> None:
    """Clients are outside approvers: they see what is shared with them, not the team's workings."""
    if ctx.is_client:
        raise PermissionDeniedError(f"Clients cannot see this in {ctx.team.name}.")


ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def clients_allowed(view: ViewT) -> ViewT:
    """Open a page view (or an APIView class) to client members. It must read posts through
    `content.selectors.posts_visible` (or `post_get`/`post_list` with `viewer=ctx`)."""
    view.clients_allowed = True  # type: ignore[attr-defined]
    return view


def _view_allows_clients(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    func = match.func
    view_class = getattr(func, "view_class", None)
    return bool(getattr(func, "clients_allowed", False) or getattr(view_class, "clients_allowed", False))


def request_team_context(request: HttpRequest, *, team_id: str | None = None) -> TeamContext:
    """The team context of a page or API request: a team id in the URL (`/api/teams/<team_id>/...`) wins,
    then the `X-Team-ID` header, then the user's current team.

    A client member gets a 403 here unless the view is marked `@clients_allowed`.
    """
    user = request.user
    if not isinstance(user, User):
        raise Http404("Not signed in.")
    cached: TeamContext | None = getattr(request, "_team_context", None)
    if team_id is not None:
        ctx = team_context(user=user, requested_team_id=team_id)
    elif cached is not None:
        ctx = cached
    else:
        ctx = team_context(user=user, requested_team_id=request.headers.get("X-Team-ID") or None)
        request._team_context = ctx  # type: ignore[attr-defined]
    if ctx.is_client and not _view_allows_clients(request):
        require_insider(ctx)
    return ctx


class TeamContextMixin:
    """For DRF views and Django class-based views: `self.team_ctx` is the request's TeamContext."""

    @property
    def team_ctx(self) -> TeamContext:
        # DRF's Request and Django's HttpRequest both carry `user` and `headers`.
        return request_team_context(self.request)  # type: ignore[attr-defined]
