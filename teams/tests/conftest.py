from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from billing.models import Subscription
from teams.models import Membership, Team
from teams.tests.factories import MembershipFactory, TeamFactory

ROLES = ["owner", "admin", "editor", "reviewer", "viewer", "client"]


def on_plan(team: Team, tier: str = "PRO") -> Team:
    Subscription.objects.filter(team=team).update(tier=tier)
    return team


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@dataclass
class Agency:
    team: Team
    by_role: dict[str, User] = field(default_factory=dict)

    @property
    def owner(self) -> User:
        return self.by_role["owner"]

    def membership(self, role: str) -> Membership:
        return Membership.objects.get(team=self.team, user=self.by_role[role])


@pytest.fixture
def agency(db) -> Agency:
    """An ENTERPRISE team (no seat limit) with one member in each role, each working in it."""
    owner = UserFactory(email="owner@agency.test")
    team = on_plan(TeamFactory(name="Agency", owner=owner), "ENTERPRISE")
    agency = Agency(team=team, by_role={"owner": owner})
    for role in ROLES[1:]:
        user = UserFactory(email=f"{role}@agency.test")
        MembershipFactory(team=team, user=user, role=role)
        agency.by_role[role] = user
    User.objects.filter(pk__in=[u.pk for u in agency.by_role.values()]).update(current_team=team)
    for user in agency.by_role.values():
        user.refresh_from_db()
    return agency


@pytest.fixture
def stranger(db) -> User:
    """Someone in another PRO team only."""
    user = UserFactory(email="stranger@elsewhere.test")
    on_plan(user.current_team)
    return user
