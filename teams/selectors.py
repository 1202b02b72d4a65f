"""Team reads, and the access helper every view and API goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from teams.models import Membership, Notification, Team


def team_groups_for_user(*, user: User) -> list[str]:
    """Channel-layer groups a user's websocket joins: their own and each team's (a client's teams excluded:
    team-wide events are the team's workings, not what is shared with them)."""
    team_ids = (
        Membership.objects.filter(user=user).exclude(role=Membership.Role.CLIENT).values_list("team_id", flat=True)
    )
    return [user_group_name(user.pk)] + [team_group_name(team_id) for team_id in team_ids]


def user_group_name(user_id: object) -> str:
    return f"user.{user_id}"


def team_group_name(team_id: object) -> str:
    return f"team.{team_id}"


def teams_for_user(*, user: User) -> QuerySet[Team]:
    return Team.objects.filter(memberships__user=user)


def membership_get(*, user: User, team_id: str | UUID) -> Membership:
    """The user's membership of a team, or 404: another team's objects do not exist for them."""
    try:
        membership = Membership.objects.select_related("team").get(user=user, team_id=team_id)
    except (Membership.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404("No such team.") from exc
    return membership


def current_team_for_user(*, user: User, requested_team_id: str | None = None) -> Membership:
    """The membership the request acts in: X-Team-ID when given, else the user's current team."""
    if requested_team_id:
        return membership_get(user=user, team_id=requested_team_id)
    if user.current_team_id:
        membership = Membership.objects.select_related("team").filter(user=user, team_id=user.current_team_id).first()
        if membership:
            return membership
    membership = Membership.objects.select_related("team").filter(user=user).order_by("-team__is_personal").first()
    if membership is None:
        raise Http404("You do not belong to any team.")
    return membership


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first. Never another user's."""
    return Notification.objects.filter(user=user).order_by("-created_at")


def notification_get(*, user: User, notification_id: UUID | str) -> Notification:
    """One of the user's notifications, or 404: another user's notification does not exist for them."""
    try:
        return Notification.objects.get(user=user, pk=notification_id)
    except (Notification.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404("No such notification.") from exc


# Brands belong to content, above teams: content registers its brand list from ContentConfig.ready, and
# the team pages read it through here.
_brand_listing: list[Callable[..., QuerySet[Any]]] = []


def team_brands_register(listing: Callable[..., QuerySet[Any]]) -> None:
    _brand_listing[:] = [listing]


def team_brands(*, team: Team) -> QuerySet[Any]:
    """The team's brands by name (content.selectors.brand_list)."""
    return _brand_listing[0](team=team)
