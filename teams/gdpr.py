"""The teams side of GDPR export and deletion, registered with accounts.gdpr by TeamsConfig.ready."""

from __future__ import annotations

from accounts.models import User
from teams.models import Membership, Team


def solo_teams(user: User) -> list[Team]:
    """Teams where this user is the owner and the only member: everything in them is theirs alone."""
    return [
        team
        for team in Team.objects.filter(owner=user)
        if not Membership.objects.filter(team=team).exclude(user=user).exists()
    ]


def shared_teams_hand_over(user: User) -> None:
    """Teams the user owns with other members survive: the longest-standing admin (else member) becomes owner."""
    for team in Team.objects.filter(owner=user):
        others = Membership.objects.filter(team=team).exclude(user=user)
        heir = (
            others.filter(role__in=["owner", "admin"]).order_by("created_at").first()
            or others.order_by("created_at").first()
        )
        if heir is None:
            continue
        team.owner_id = heir.user_id
        team.save(update_fields=["owner", "updated_at"])
        if heir.role != "owner":
            heir.role = "owner"
            heir.save(update_fields=["role", "updated_at"])
