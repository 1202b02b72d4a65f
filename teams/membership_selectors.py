"""Team management reads. Every lookup is scoped by a team the caller already belongs to."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from core.lookups import uuid_or_404
from teams.models import Invitation, Membership, Team


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    """The user's teams (as memberships, so the role comes along), with each team's member count."""
    return (
        Membership.objects.filter(user=user)
        .select_related("team")
        .annotate(member_count=Count("team__memberships", distinct=True))
        .order_by("-team__is_personal", "team__name")
    )


def members_for_team(*, team: Team) -> QuerySet[Membership]:
    return Membership.objects.filter(team=team).select_related("user").order_by("user__email")


def member_get(*, team: Team, membership_id: Any) -> Membership:
    """A membership of this team, or 404: members of other teams do not exist here."""
    membership = (
        Membership.objects.select_related("user", "team")
        .filter(team=team, pk=uuid_or_404(membership_id, "member"))
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    return membership


def invitations_for_team(*, team: Team, pending_only: bool = True) -> QuerySet[Invitation]:
    rows = Invitation.objects.filter(team=team).select_related("invited_by").order_by("-created_at")
    if pending_only:
        rows = rows.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())
    return rows


def invitation_get(*, team: Team, invitation_id: Any) -> Invitation:
    invitation = (
        Invitation.objects.select_related("team", "invited_by")
        .filter(team=team, pk=uuid_or_404(invitation_id, "invitation"))
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def invitations_for_email(*, email: str) -> QuerySet[Invitation]:
    """Open invitations addressed to this email (shown to the invitee on the team page)."""
    return (
        Invitation.objects.filter(email__iexact=email, status=Invitation.Status.PENDING, expires_at__gt=timezone.now())
        .select_related("team", "invited_by")
        .annotate(team_name=F("team__name"))
    )
