"""Roles × endpoints, across the apps: every team role, the platform roles and the plan tiers, each
against real endpoints, with the status written out here by hand (not derived from the code's own
ROLE_CAPABILITIES, so a change to that table has to change this one too).

Team-only endpoints are covered in depth by teams/tests/test_permission_matrix.py and the
collaboration ones by content/tests/test_collaboration_permissions.py; this matrix is the cross-app
view the accounts issue asks for: one endpoint per capability, platform role and plan feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from billing.models import Subscription
from content.tests.factories import ContentPostFactory
from social.tests.factories import SocialAccountFactory
from teams.models import Membership, Team
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

TEAM_ROLES = ["owner", "admin", "editor", "reviewer", "viewer", "client", "stranger"]


@dataclass
class Agency:
    team: Team
    users: dict[str, User]


@pytest.fixture
def agency(settings) -> Agency:
    settings.STRIPE_TEST_SECRET_KEY = ""  # checkout past the role check stops at "Stripe is not set up"
    cache.clear()
    owner = UserFactory()
    team = TeamFactory(name="Matrix agency", owner=owner)
    Subscription.objects.filter(team=team).update(tier="ENTERPRISE")
    users = {"owner": owner}
    for role in TEAM_ROLES[1:6]:
        users[role] = UserFactory()
        MembershipFactory(team=team, user=users[role], role=role)
    users["stranger"] = UserFactory()  # a member of their own personal team only
    User.objects.filter(pk__in=[u.pk for r, u in users.items() if r != "stranger"]).update(current_team=team)
    return Agency(team=team, users=users)


def _client(agency: Agency, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(agency.users[role])
    client.credentials(HTTP_X_TEAM_ID=str(agency.team.pk))
    return client


def _post(agency: Agency) -> Any:
    return ContentPostFactory(author=agency.users["owner"], team=agency.team, content="Matrix post text.")


def _account(agency: Agency) -> Any:
    return SocialAccountFactory(team=agency.team)


@dataclass(frozen=True)
class Row:
    name: str
    call: Callable[[APIClient, Agency], Any]
    expected: dict[str, int]


def _row(name: str, call: Callable[[APIClient, Agency], Any], statuses: str) -> Row:
    """`statuses`: one HTTP status per column of TEAM_ROLES, in that order."""
    codes = [int(code) for code in statuses.split()]
    assert len(codes) == len(TEAM_ROLES), name
    return Row(name, call, dict(zip(TEAM_ROLES, codes, strict=True)))


def _publish(c: APIClient, a: Agency) -> Any:
    body = {"postId": str(_post(a).pk), "accountIds": [str(_account(a).pk)]}
    return c.post("/api/social/publish", body, format="json")


def _schedule(c: APIClient, a: Agency) -> Any:
    at = (timezone.now() + timedelta(days=2)).isoformat()
    body = {"postId": str(_post(a).pk), "scheduledAt": at, "platforms": [_account(a).platform]}
    return c.post("/api/content/schedule", body, format="json")


def _save(c: APIClient, a: Agency) -> Any:
    return c.post("/api/content/save", {"title": "T", "content": "Body text.", "platform": "linkedin"}, format="json")


def _invite(c: APIClient, a: Agency) -> Any:
    body = {"email": "new@matrix.test", "role": "viewer"}
    return c.post(f"/api/teams/{a.team.pk}/invitations/", body, format="json")


def _checkout(c: APIClient, a: Agency) -> Any:
    return c.post("/api/billing/checkout/", {"tier": "PRO", "interval": "month"}, format="json")


def _list_posts(c: APIClient, a: Agency) -> Any:
    return c.get("/api/posts/")


def _analytics(c: APIClient, a: Agency) -> Any:
    return c.get("/api/analytics/dashboard?timeRange=7d")


def _disconnect(c: APIClient, a: Agency) -> Any:
    return c.delete(f"/api/social/accounts/{_account(a).pk}/")


# A client is an outside approver: it sees only the posts shared with it (an empty list here) and
# the internal areas answer it 403. A stranger (not a member) gets 404 everywhere: the team does not
# exist for them. The owner's checkout passes the role check and meets the unconfigured Stripe (503).
# fmt: off
TEAM_ROWS = [  #                                              owner admin editor reviewer viewer client stranger
    _row("list posts (VIEW)", _list_posts,                   "200   200   200    200      200    200    404"),
    _row("analytics (VIEW)", _analytics,                     "200   200   200    200      200    403    404"),
    _row("save a post (CREATE_CONTENT)", _save,              "201   201   201    403      403    403    404"),
    _row("publish now (PUBLISH)", _publish,                  "200   200   200    403      403    403    404"),
    _row("schedule (PUBLISH)", _schedule,                    "201   201   201    403      403    403    404"),
    _row("disconnect (MANAGE_ACCOUNTS)", _disconnect,        "204   204   403    403      403    403    404"),
    _row("invite (MANAGE_MEMBERS)", _invite,                 "201   201   403    403      403    403    404"),
    _row("checkout (MANAGE_BILLING)", _checkout,             "503   403   403    403      403    403    404"),
]
# fmt: on


@pytest.mark.parametrize(
    ("row", "role"),
    [(row, role) for row in TEAM_ROWS for role in TEAM_ROLES],
    ids=[f"{row.name} as {role}" for row in TEAM_ROWS for role in TEAM_ROLES],
)
def test_team_roles_across_the_apps(agency, row, role):
    response = row.call(_client(agency, role), agency)

    assert response.status_code == row.expected[role], response.content[:500]
    if response.status_code == 204:
        return
    body = response.json()
    assert body["success"] is (response.status_code < 400)
    if response.status_code in (403, 404):
        assert body["error"]["code"] == {403: "PERMISSION_DENIED", 404: "NOT_FOUND"}[response.status_code]


# --- Platform roles: cross-team moderation and the compliance export ----------------------------

PLATFORM_ROLES = ["user", "moderator", "admin", "superuser"]


def _platform_user(role: str) -> User:
    if role == "superuser":
        # a superuser counts as a platform admin whatever the column says
        return UserFactory(is_superuser=True, is_staff=True, platform_role=User.PlatformRole.USER)
    return UserFactory(platform_role=role)


PLATFORM_ROWS = {
    "audit export": (
        lambda c: c.get("/api/moderation/audit/export?fileType=json"),
        {"user": 403, "moderator": 403, "admin": 200, "superuser": 200},
    ),
    "another team's open case": (
        "case",
        {"user": 404, "moderator": 200, "admin": 200, "superuser": 200},
    ),
}


@pytest.mark.parametrize("role", PLATFORM_ROLES)
@pytest.mark.parametrize("row", sorted(PLATFORM_ROWS))
def test_platform_roles(row, role):
    from moderation.models import ModerationCase

    cache.clear()
    call, expected = PLATFORM_ROWS[row]
    client = APIClient()
    client.force_authenticate(_platform_user(role))

    if call == "case":
        elsewhere = TeamFactory()
        case = ModerationCase.objects.create(
            team=elsewhere, text="Held for review.", text_hash="0" * 64, decision="flag"
        )
        response = client.get(f"/api/moderation/cases/{case.pk}/")
    else:
        response = call(client)

    assert response.status_code == expected[role], response.content[:500]


# --- Plan features: the tier decides, whatever the role ------------------------------------------


@pytest.mark.parametrize(
    ("tier", "expected"), [("FREE", 402), ("PRO", 200), ("ENTERPRISE", 200)], ids=["FREE", "PRO", "ENTERPRISE"]
)
def test_advanced_analytics_follows_the_plan_for_the_owner(tier, expected):
    cache.clear()
    owner = UserFactory()
    Subscription.objects.filter(team=owner.current_team).update(tier=tier)
    client = APIClient()
    client.force_authenticate(owner)

    response = client.get("/api/analytics/forecast?timeRange=30d")

    assert response.status_code == expected, response.content[:500]
    if expected == 402:
        assert response.json()["error"]["code"] == "PLAN_FEATURE_REQUIRED"


def test_every_team_role_is_a_column():
    assert set(TEAM_ROLES) - {"stranger"} == set(Membership.Role.values)
