from __future__ import annotations

import pytest
from django.http import Http404

from accounts.tests.factories import UserFactory
from core.api.errors import PermissionDeniedError
from teams.models import Membership
from teams.permissions import ROLE_CAPABILITIES, Capability, require, team_context
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_every_role_has_a_capability_set_and_only_the_owner_manages_billing():
    assert set(ROLE_CAPABILITIES) == set(Membership.Role.values)
    holders = {role for role, caps in ROLE_CAPABILITIES.items() if Capability.MANAGE_BILLING in caps}
    assert holders == {Membership.Role.OWNER}


@pytest.mark.parametrize(
    ("role", "capability", "allowed"),
    [
        ("viewer", Capability.CREATE_CONTENT, False),
        ("viewer", Capability.VIEW, True),
        ("editor", Capability.CREATE_CONTENT, True),
        ("editor", Capability.REVIEW, False),
        ("reviewer", Capability.REVIEW, True),
        ("reviewer", Capability.PUBLISH, False),
        ("client", Capability.REVIEW, True),
        ("client", Capability.CREATE_CONTENT, False),
        ("admin", Capability.MANAGE_MEMBERS, True),
        ("admin", Capability.MANAGE_TEAM, False),
        ("owner", Capability.MANAGE_TEAM, True),
    ],
)
def test_role_matrix(role, capability, allowed):
    membership = MembershipFactory(role=role)
    ctx = team_context(user=membership.user, requested_team_id=str(membership.team_id))

    assert ctx.can(capability) is allowed
    if allowed:
        require(ctx, capability)
    else:
        with pytest.raises(PermissionDeniedError):
            require(ctx, capability)


def test_another_teams_id_is_a_404_not_a_403():
    outsider = UserFactory()
    other_team = TeamFactory()

    with pytest.raises(Http404):
        team_context(user=outsider, requested_team_id=str(other_team.pk))


def test_garbage_team_id_is_a_404():
    with pytest.raises(Http404):
        team_context(user=UserFactory(), requested_team_id="not-a-uuid")


def test_without_a_requested_team_the_current_team_is_used():
    user = UserFactory()

    assert team_context(user=user).team == user.current_team


def test_request_context_reads_the_x_team_id_header(rf):
    membership = MembershipFactory(role="viewer")
    request = rf.get("/", HTTP_X_TEAM_ID=str(membership.team_id))
    request.user = membership.user

    from teams.permissions import request_team_context

    ctx = request_team_context(request)

    assert ctx.team == membership.team
    assert ctx.role == "viewer"


def test_a_client_member_is_refused_by_team_apis_not_open_to_clients():
    # given: a client member of an agency's team, which is not their current team
    from rest_framework.test import APIClient

    client_membership = MembershipFactory(role="client")
    api = APIClient()
    api.force_authenticate(client_membership.user)
    team_id = str(client_membership.team_id)

    # when: the team is named in the URL (the members list is not open to clients; the team itself is)
    roster = api.get(f"/api/teams/{team_id}/members/")
    team = api.get(f"/api/teams/{team_id}/")

    # then
    assert roster.status_code == 403
    assert roster.json()["error"]["code"] == "PERMISSION_DENIED"
    assert team.status_code == 200
