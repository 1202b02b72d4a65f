"""Every team endpoint and page I added, for each role and for a non-member (404)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from social.tests.factories import SocialAccountFactory
from teams.models import Invitation, Membership
from teams.tests.conftest import ROLES, Agency, api_for
from teams.tests.factories import BrandFactory, MembershipFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"owner", "admin"}
EVERYONE = set(ROLES)
INSIDERS = EVERYONE - {"client"}  # a client sees only the posts shared with them, not the roster or brands


@dataclass
class World:
    agency: Agency
    target: Membership
    invitation: Invitation
    brand: Any
    account: Any


@pytest.fixture
def world(agency: Agency) -> World:
    from teams.membership_services import invitation_create
    from teams.permissions import team_context

    target = MembershipFactory(team=agency.team, role="editor")
    invitation = invitation_create(
        ctx=team_context(user=agency.owner, requested_team_id=str(agency.team.pk)),
        email="pending@x.test",
        role="viewer",
    )
    brand = BrandFactory(team=agency.team)
    account = SocialAccountFactory(team=agency.team)
    return World(agency=agency, target=target, invitation=invitation, brand=brand, account=account)


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[Any, World], Any]  # (client, world) -> response
    allowed: set[str]
    ok: int
    denied: int = 403
    page: bool = False


def team_url(name: str, w: World, *extra: Any) -> str:
    return reverse(name, args=[str(w.agency.team.pk), *extra])


API_CASES = [
    Case("team detail", lambda c, w: c.get(team_url("api-team", w)), EVERYONE, 200),
    Case(
        "team settings",
        lambda c, w: c.patch(team_url("api-team", w), {"name": "Renamed"}, format="json"),
        {"owner"},
        200,
    ),
    Case("switch", lambda c, w: c.post(team_url("api-team-switch", w)), EVERYONE, 200),
    Case("members list", lambda c, w: c.get(team_url("api-team-members", w)), INSIDERS, 200),
    Case(
        "member role",
        lambda c, w: c.patch(team_url("api-team-member", w, w.target.pk), {"role": "viewer"}, format="json"),
        MANAGERS,
        200,
    ),
    Case("member remove", lambda c, w: c.delete(team_url("api-team-member", w, w.target.pk)), MANAGERS, 200),
    Case("invitations list", lambda c, w: c.get(team_url("api-team-invitations", w)), MANAGERS, 200),
    Case(
        "invite",
        lambda c, w: c.post(
            team_url("api-team-invitations", w), {"email": "new@x.test", "role": "editor"}, format="json"
        ),
        MANAGERS,
        201,
    ),
    Case("revoke", lambda c, w: c.delete(team_url("api-team-invitation", w, w.invitation.pk)), MANAGERS, 200),
    Case(
        "transfer",
        lambda c, w: c.post(team_url("api-team-transfer", w), {"memberId": str(w.target.pk)}, format="json"),
        {"owner"},
        200,
    ),
    Case("analytics", lambda c, w: c.get(team_url("api-team-analytics", w)), INSIDERS, 200),
    Case(
        "brand assets list",
        lambda c, w: c.get(reverse("api-brand-assets", args=[w.brand.pk]), HTTP_X_TEAM_ID=str(w.agency.team.pk)),
        INSIDERS,
        200,
    ),
    Case(
        "brand colour add",
        lambda c, w: c.post(
            reverse("api-brand-assets", args=[w.brand.pk]),
            {"kind": "color", "color": "#112233"},
            HTTP_X_TEAM_ID=str(w.agency.team.pk),
        ),
        MANAGERS,
        201,
    ),
    Case(
        "brand accounts set",
        lambda c, w: c.put(
            reverse("api-brand-accounts", args=[w.brand.pk]),
            {"accountIds": [str(w.account.pk)]},
            format="json",
            HTTP_X_TEAM_ID=str(w.agency.team.pk),
        ),
        MANAGERS,
        200,
    ),
    Case("leave", lambda c, w: c.post(team_url("api-team-leave", w)), EVERYONE - {"owner"}, 200, denied=409),
]

PAGE_CASES = [
    Case("team page", lambda c, w: c.get(reverse("teams:team")), INSIDERS, 200, page=True),
    Case(
        "switch page", lambda c, w: c.post(reverse("teams:switch", args=[w.agency.team.pk])), EVERYONE, 302, page=True
    ),
    Case(
        "settings page",
        lambda c, w: c.post(reverse("teams:settings"), {"name": "Renamed", "timezone": "UTC"}),
        {"owner"},
        302,
        page=True,
    ),
    Case(
        "invite page",
        lambda c, w: c.post(reverse("teams:invite"), {"email": "new@x.test", "role": "editor"}),
        MANAGERS,
        302,
        page=True,
    ),
    Case(
        "role page",
        lambda c, w: c.post(reverse("teams:member_role", args=[w.target.pk]), {"role": "viewer"}),
        MANAGERS,
        302,
        page=True,
    ),
    Case(
        "remove page", lambda c, w: c.post(reverse("teams:member_remove", args=[w.target.pk])), MANAGERS, 302, page=True
    ),
    Case(
        "transfer page", lambda c, w: c.post(reverse("teams:transfer", args=[w.target.pk])), {"owner"}, 302, page=True
    ),
    Case(
        "revoke page",
        lambda c, w: c.post(reverse("teams:invitation_revoke", args=[w.invitation.pk])),
        MANAGERS,
        302,
        page=True,
    ),
    Case("analytics page", lambda c, w: c.get(reverse("analytics:team_analytics")), INSIDERS, 200, page=True),
    Case("brand page", lambda c, w: c.get(reverse("content:brand", args=[w.brand.pk])), INSIDERS, 200, page=True),
    Case(
        "brand accounts page",
        lambda c, w: c.post(reverse("content:brand_accounts", args=[w.brand.pk]), {"accounts": [str(w.account.pk)]}),
        MANAGERS,
        302,
        page=True,
    ),
    Case(
        "brand asset page",
        lambda c, w: c.post(
            reverse("content:brand_asset_upload", args=[w.brand.pk]), {"kind": "color", "color": "#112233"}
        ),
        MANAGERS,
        302,
        page=True,
    ),
]


def _client(case: Case, user: Any, team_id: str) -> Any:
    # Every request names the agency's team, as the switcher would: a non-member must get a 404.
    if case.page:
        client = Client(HTTP_X_TEAM_ID=team_id)
        client.force_login(user)
        return client
    client = api_for(user)
    client.credentials(HTTP_X_TEAM_ID=team_id)
    return client


def _status_in_savepoint(case: Case, world: World, user: Any) -> int:
    """Run one request and roll its writes back, so each role meets the same starting state."""
    with transaction.atomic():
        response = case.call(_client(case, user, str(world.agency.team.pk)), world)
        if not case.page and response.status_code >= 400:
            assert response.json()["success"] is False
        transaction.set_rollback(True)
    return response.status_code


# One test per endpoint walks every role (and a stranger) over one shared setup: the matrix is
# the same, at a seventh of the setup cost.
@pytest.mark.parametrize("case", API_CASES + PAGE_CASES, ids=lambda c: c.name)
def test_each_role_gets_what_the_matrix_says_and_a_non_member_a_404(world: World, stranger: Any, case: Case) -> None:
    expected = {role: case.ok if role in case.allowed else case.denied for role in ROLES} | {"non-member": 404}
    users = {**world.agency.by_role, "non-member": stranger}

    got = {role: _status_in_savepoint(case, world, users[role]) for role in expected}

    assert got == expected


@pytest.mark.parametrize("case", [c for c in API_CASES + PAGE_CASES if c.ok != 200 or c.page], ids=lambda c: c.name)
def test_a_non_member_changes_nothing(world: World, stranger: Any, case: Case) -> None:
    members_before = set(Membership.objects.filter(team=world.agency.team).values_list("user_id", "role"))

    response = case.call(_client(case, stranger, str(world.agency.team.pk)), world)

    assert response.status_code == 404
    assert set(Membership.objects.filter(team=world.agency.team).values_list("user_id", "role")) == members_before
    assert Invitation.objects.get(pk=world.invitation.pk).status == "pending"
    world.account.refresh_from_db()
    assert world.account.brand_id is None
