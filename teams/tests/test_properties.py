"""Property tests for team management."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from analytics.team_analytics import parse_range, team_analytics
from core.api.errors import ApiError
from teams import membership_services as services
from teams.membership_selectors import members_for_team
from teams.models import Membership
from teams.permissions import ROLE_CAPABILITIES, Capability, team_context
from teams.tests.conftest import on_plan
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

PEOPLE = 4  # index 0 owns the team at the start; 1..3 start outside it
OPS = ["invite", "role", "remove", "transfer", "leave"]


def _can(model: dict[int, str], who: int, capability: Capability) -> bool:
    return who in model and capability in ROLE_CAPABILITIES[model[who]]


def expected_outcome(model: dict[int, str], op: str, actor: int, target: int, role: str) -> str:
    """What the rules say should happen, from the model alone."""
    if actor not in model:
        return "404"
    if op == "invite":
        if not _can(model, actor, Capability.MANAGE_MEMBERS):
            return "denied"
        return "conflict" if target in model else "ok"
    if op == "leave":
        return "conflict" if model[actor] == "owner" else "ok"
    if target not in model:
        return "404"
    if op == "role":
        if not _can(model, actor, Capability.MANAGE_MEMBERS):
            return "denied"
        return "conflict" if model[target] == "owner" else "ok"
    if op == "remove":
        if not _can(model, actor, Capability.MANAGE_MEMBERS):
            return "denied"
        return "conflict" if model[target] == "owner" or target == actor else "ok"
    if not _can(model, actor, Capability.MANAGE_TEAM):  # transfer
        return "denied"
    return "conflict" if target == actor else "ok"


def apply_to_model(model: dict[int, str], op: str, actor: int, target: int, role: str) -> None:
    if op == "invite" or op == "role":
        model[target] = role
    elif op == "remove":
        del model[target]
    elif op == "leave":
        del model[actor]
    elif op == "transfer":
        model[actor], model[target] = "admin", "owner"


def run(team: Any, people: list[Any], op: str, actor: int, target: int, role: str) -> str:
    try:
        ctx = team_context(user=people[actor], requested_team_id=str(team.pk))
        if op == "invite":
            services.invitation_create(ctx=ctx, email=people[target].email, role=role)
            # The link's secret only travels by email: give the invitation a known one to accept with.
            invitation = team.invitations.get(email=people[target].email, status="pending")
            token = f"token-{invitation.pk}"
            invitation.token_hash = services.token_hash(token)
            invitation.save()
            services.invitation_accept(token=token, user=people[target])
        elif op == "leave":
            services.member_leave(ctx=ctx)
        else:
            from teams.membership_selectors import member_get

            membership = Membership.objects.filter(team=team, user=people[target]).first()
            if membership is None:
                raise Http404
            membership = member_get(team=team, membership_id=membership.pk)
            if op == "role":
                services.member_role_change(ctx=ctx, membership=membership, role=role)
            elif op == "remove":
                services.member_remove(ctx=ctx, membership=membership)
            else:
                services.ownership_transfer(ctx=ctx, membership=membership)
    except Http404:
        return "404"
    except ApiError as exc:
        return {403: "denied", 409: "conflict"}.get(exc.status_code, f"error {exc.status_code}")
    return "ok"


# Property 36: Team Account Management
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(OPS),
            st.integers(0, PEOPLE - 1),
            st.integers(0, PEOPLE - 1),
            st.sampled_from(services.INVITABLE_ROLES),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_role_based_team_management_follows_the_rules_and_keeps_one_owner(ops):
    with transaction.atomic():
        people = [UserFactory() for _ in range(PEOPLE)]
        team = on_plan(TeamFactory(owner=people[0]), "ENTERPRISE")
        model = {0: "owner"}

        for op, actor, target, role in ops:
            expected = expected_outcome(model, op, actor, target, role)
            assert run(team, people, op, actor, target, role) == expected, (op, actor, target, role, model)
            if expected == "ok":
                apply_to_model(model, op, actor, target, role)

            # role-based permissions: the stored roles are exactly the model's, with one owner
            stored = {people.index(m.user): m.role for m in members_for_team(team=team)}
            assert stored == model
            assert list(model.values()).count("owner") == 1
            team.refresh_from_db()
            assert model[people.index(team.owner)] == "owner"

        # team visibility: members reach the team (its calendar and analytics), others get a 404
        for index, person in enumerate(people):
            if index in model:
                assert team_context(user=person, requested_team_id=str(team.pk)).role == model[index]
            else:
                with pytest.raises(Http404):
                    team_context(user=person, requested_team_id=str(team.pk))
        # team analytics: one row per current member, nobody else
        start, end = parse_range(None, None)
        report = team_analytics(team=team, start=start, end=end)
        assert {row.key for row in report.members} == {str(people[i].pk) for i in model}
        transaction.set_rollback(True)
