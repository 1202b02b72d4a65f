"""Teams through the API: create, switch, invite by email, answer, roles, ownership, leaving, limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from teams.models import ActivityEvent, Invitation, Membership, Notification, Team
from teams.tests.conftest import api_for, on_plan
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """POST an invitation and let its after-commit email go out."""

    def _invite(client, team, email="grace@example.com", role="editor"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("api-team-invitations", args=[team.pk]), {"email": email, "role": role}, format="json"
            )

    return _invite


def token_from_outbox(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"/invitations/([\w-]+)/", message.body).group(1)


@pytest.fixture
def owner(db):
    return UserFactory(email="ada@example.com")


@pytest.fixture
def team(owner):
    return on_plan(TeamFactory(name="Studio", owner=owner))


# Teams ---------------------------------------------------------------------------------------------
def test_creating_a_team_makes_me_its_owner_and_switches_to_it(owner):
    response = api_for(owner).post(reverse("api-teams"), {"name": "Agency", "timezone": "Europe/Paris"}, format="json")

    assert response.status_code == 201
    body = response.json()["team"]
    assert (body["name"], body["role"], body["timezone"], body["isCurrent"]) == (
        "Agency",
        "owner",
        "Europe/Paris",
        True,
    )
    owner.refresh_from_db()
    assert str(owner.current_team_id) == body["id"]
    assert ActivityEvent.objects.filter(team_id=body["id"], verb="team.created").exists()


def test_a_team_with_an_unknown_time_zone_is_refused_and_not_created(owner):
    response = api_for(owner).post(reverse("api-teams"), {"name": "Agency", "timezone": "Mars/Olympus"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"]["timezone"]
    assert not Team.objects.filter(name="Agency").exists()


def test_my_teams_list_only_mine_with_role_and_current_flag(owner, team):
    TeamFactory(name="Not mine")

    body = api_for(owner).get(reverse("api-teams")).json()

    assert {(t["name"], t["role"]) for t in body["results"]} == {
        ("Studio", "owner"),
        (owner.current_team.name, "owner"),
    }
    assert [t["isCurrent"] for t in body["results"] if t["name"] == owner.current_team.name] == [True]


def test_my_teams_list_has_a_flat_query_count(owner):
    client = api_for(owner)
    TeamFactory.create_batch(2, owner=owner)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api-teams"))
    TeamFactory.create_batch(8, owner=owner)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("api-teams")).json()["results"]) == 11
    assert len(many.captured_queries) == len(few.captured_queries)


def test_switching_team_changes_the_team_the_api_acts_in(owner, team):
    client = api_for(owner)

    assert client.post(reverse("api-team-switch", args=[team.pk])).status_code == 200

    owner.refresh_from_db()
    assert owner.current_team == team


# Invitations -------------------------------------------------------------------------------------
def test_an_invitation_emails_a_link_and_stores_only_its_hash(owner, team, invite):
    response = invite(api_for(owner), team)

    assert response.status_code == 201
    invitation = Invitation.objects.get(team=team)
    token = token_from_outbox("grace@example.com")
    assert token not in invitation.token_hash
    assert "token" not in str(response.json()).lower()
    message = mail.outbox[-1]
    assert "Studio" in message.subject and "editor" in message.body
    assert ActivityEvent.objects.filter(team=team, verb="member.invited").exists()


def test_the_invitee_accepts_and_joins_with_the_role_and_the_team_becomes_current(owner, team, invite):
    invite(api_for(owner), team, role="reviewer")
    grace = UserFactory(email="Grace@Example.com")

    response = api_for(grace).post(reverse("api-invitation-accept", args=[token_from_outbox("grace@example.com")]))

    assert response.status_code == 200
    assert Membership.objects.get(team=team, user=grace).role == "reviewer"
    grace.refresh_from_db()
    assert grace.current_team == team
    assert Invitation.objects.get(team=team).status == "accepted"
    assert ActivityEvent.objects.filter(team=team, verb="member.joined", actor=grace).exists()
    assert Notification.objects.filter(user=owner, event="invitation").exists()


def test_someone_else_signed_in_cannot_use_the_link(owner, team, invite):
    invite(api_for(owner), team)
    mallory = UserFactory(email="mallory@example.com")

    response = api_for(mallory).post(reverse("api-invitation-accept", args=[token_from_outbox("grace@example.com")]))

    assert response.status_code == 403
    assert "grace@example.com" in response.json()["error"]["message"]
    assert not Membership.objects.filter(team=team, user=mallory).exists()


def test_an_expired_invitation_is_refused_with_a_clear_message(owner, team, invite):
    invite(api_for(owner), team)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    grace = UserFactory(email="grace@example.com")

    response = api_for(grace).post(reverse("api-invitation-accept", args=[token_from_outbox("grace@example.com")]))

    assert response.status_code == 409
    assert "expired" in response.json()["error"]["message"]
    assert not Membership.objects.filter(team=team, user=grace).exists()


def test_a_used_link_cannot_be_used_again(owner, team, invite):
    invite(api_for(owner), team)
    grace = UserFactory(email="grace@example.com")
    token = token_from_outbox("grace@example.com")
    assert api_for(grace).post(reverse("api-invitation-accept", args=[token])).status_code == 200
    api_for(owner).delete(reverse("api-team-member", args=[team.pk, Membership.objects.get(user=grace, team=team).pk]))

    response = api_for(grace).post(reverse("api-invitation-accept", args=[token]))

    assert response.status_code == 409
    assert "already accepted" in response.json()["error"]["message"]
    assert not Membership.objects.filter(team=team, user=grace).exists()


def test_a_declined_invitation_cannot_be_accepted_later(owner, team, invite):
    invite(api_for(owner), team)
    grace = UserFactory(email="grace@example.com")
    token = token_from_outbox("grace@example.com")

    assert api_for(grace).post(reverse("api-invitation-decline", args=[token])).status_code == 200
    response = api_for(grace).post(reverse("api-invitation-accept", args=[token]))

    assert response.status_code == 409
    assert "declined" in response.json()["error"]["message"]
    assert not Membership.objects.filter(team=team, user=grace).exists()


def test_a_revoked_invitation_cannot_be_accepted(owner, team, invite):
    invite(api_for(owner), team)
    grace = UserFactory(email="grace@example.com")
    token = token_from_outbox("grace@example.com")
    invitation = Invitation.objects.get(team=team)

    assert api_for(owner).delete(reverse("api-team-invitation", args=[team.pk, invitation.pk])).status_code == 200
    response = api_for(grace).post(reverse("api-invitation-accept", args=[token]))

    assert response.status_code == 409
    assert "revoked" in response.json()["error"]["message"]


def test_an_unknown_token_is_a_404(owner):
    response = api_for(owner).post(reverse("api-invitation-accept", args=["not-a-real-token"]))

    assert response.status_code == 404


def test_inviting_again_replaces_the_old_link(owner, team, invite):
    client = api_for(owner)
    invite(client, team)
    first = token_from_outbox("grace@example.com")
    invite(client, team, role="viewer")
    second = token_from_outbox("grace@example.com")
    grace = UserFactory(email="grace@example.com")

    assert api_for(grace).post(reverse("api-invitation-accept", args=[first])).status_code == 404
    assert api_for(grace).post(reverse("api-invitation-accept", args=[second])).status_code == 200
    assert Membership.objects.get(team=team, user=grace).role == "viewer"
    assert Invitation.objects.filter(team=team).count() == 1


def test_inviting_a_member_or_as_owner_is_refused(owner, team, invite):
    member = MembershipFactory(team=team).user
    client = api_for(owner)

    assert invite(client, team, email=member.email).status_code == 409
    response = invite(client, team, role="owner")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["role"]
    assert not Invitation.objects.exists()


def test_pending_invitations_list_has_a_flat_query_count(owner, team, invite):
    on_plan(team, "ENTERPRISE")
    client = api_for(owner)
    for i in range(2):
        invite(client, team, email=f"a{i}@x.test")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api-team-invitations", args=[team.pk]))
    for i in range(8):
        invite(client, team, email=f"b{i}@x.test")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("api-team-invitations", args=[team.pk])).json()["count"] == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_members_list_has_a_flat_query_count(owner, team):
    on_plan(team, "ENTERPRISE")
    client = api_for(owner)
    MembershipFactory.create_batch(2, team=team)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api-team-members", args=[team.pk]))
    MembershipFactory.create_batch(8, team=team)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("api-team-members", args=[team.pk])).json()["count"] == 11
    assert len(many.captured_queries) == len(few.captured_queries)


# Plan limits -------------------------------------------------------------------------------------
def test_a_free_team_cannot_invite(owner, invite):
    team = owner.current_team  # personal workspace, FREE

    response = invite(api_for(owner), team)

    assert response.status_code == 402
    assert response.json()["error"]["code"] == "PLAN_FEATURE_REQUIRED"
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_pending_invitations_count_against_the_member_limit(owner, team, invite):
    # PRO allows 5 members: the owner, 2 members and 2 pending invitations fill it.
    MembershipFactory.create_batch(2, team=team)
    client = api_for(owner)
    assert invite(client, team, email="one@x.test").status_code == 201
    assert invite(client, team, email="two@x.test").status_code == 201

    response = invite(client, team, email="three@x.test")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "QUOTA_EXCEEDED"
    assert response.json()["error"]["details"]["max"] == 5
    assert Invitation.objects.filter(team=team).count() == 2


def test_acceptance_is_refused_when_the_plan_lost_collaboration_meanwhile(owner, team, invite):
    invite(api_for(owner), team)
    on_plan(team, "FREE")
    grace = UserFactory(email="grace@example.com")

    response = api_for(grace).post(reverse("api-invitation-accept", args=[token_from_outbox("grace@example.com")]))

    assert response.status_code == 402
    assert not Membership.objects.filter(team=team, user=grace).exists()
    assert Invitation.objects.get(team=team).status == "pending"


# Roles, ownership, leaving ---------------------------------------------------------------------
def test_the_owners_role_cannot_be_changed_and_the_owner_cannot_be_removed(owner, team):
    admin = MembershipFactory(team=team, role="admin").user
    owner_membership = Membership.objects.get(team=team, user=owner)
    client = api_for(admin)

    patch = client.patch(
        reverse("api-team-member", args=[team.pk, owner_membership.pk]), {"role": "viewer"}, format="json"
    )
    delete = client.delete(reverse("api-team-member", args=[team.pk, owner_membership.pk]))

    assert (patch.status_code, delete.status_code) == (409, 409)
    assert Membership.objects.get(pk=owner_membership.pk).role == "owner"


def test_a_role_change_is_recorded(owner, team):
    member = MembershipFactory(team=team, role="editor")

    response = api_for(owner).patch(
        reverse("api-team-member", args=[team.pk, member.pk]), {"role": "reviewer"}, format="json"
    )

    assert response.json()["member"]["role"] == "reviewer"
    event = ActivityEvent.objects.get(team=team, verb="member.role_changed")
    assert event.data == {"from": "editor", "to": "reviewer"}


def test_an_unknown_role_is_a_400_and_nothing_changes(owner, team):
    member = MembershipFactory(team=team, role="editor")

    response = api_for(owner).patch(
        reverse("api-team-member", args=[team.pk, member.pk]), {"role": "boss"}, format="json"
    )

    assert response.status_code == 400
    assert Membership.objects.get(pk=member.pk).role == "editor"


def test_transferring_ownership_makes_the_old_owner_an_admin(owner, team):
    heir = MembershipFactory(team=team, role="editor")

    response = api_for(owner).post(
        reverse("api-team-transfer", args=[team.pk]), {"memberId": str(heir.pk)}, format="json"
    )

    assert response.status_code == 200
    team.refresh_from_db()
    assert team.owner == heir.user
    assert dict(Membership.objects.filter(team=team).values_list("user_id", "role")) == {
        owner.pk: "admin",
        heir.user_id: "owner",
    }
    assert ActivityEvent.objects.filter(team=team, verb="team.ownership_transferred").exists()


def test_a_personal_workspace_cannot_be_transferred(owner):
    personal = on_plan(owner.current_team)
    other = MembershipFactory(team=personal, role="admin")

    response = api_for(owner).post(
        reverse("api-team-transfer", args=[personal.pk]), {"memberId": str(other.pk)}, format="json"
    )

    assert response.status_code == 409
    personal.refresh_from_db()
    assert personal.owner == owner


def test_the_owner_cannot_leave_but_a_member_can_and_falls_back_to_their_workspace(owner, team):
    member = MembershipFactory(team=team, role="editor").user
    member.current_team = team
    member.save()

    refused = api_for(owner).post(reverse("api-team-leave", args=[team.pk]))
    left = api_for(member).post(reverse("api-team-leave", args=[team.pk]))

    assert refused.status_code == 409
    assert "Transfer ownership" in refused.json()["error"]["message"]
    assert left.status_code == 200
    member.refresh_from_db()
    assert member.current_team.is_personal and member.current_team.owner == member
    assert ActivityEvent.objects.filter(team=team, verb="member.left").exists()


def test_a_removed_member_loses_access_at_once(owner, team):
    member = MembershipFactory(team=team, role="editor")
    client = api_for(member.user)
    assert client.get(reverse("api-team", args=[team.pk])).status_code == 200

    api_for(owner).delete(reverse("api-team-member", args=[team.pk, member.pk]))

    assert client.get(reverse("api-team", args=[team.pk])).status_code == 404
    assert ActivityEvent.objects.filter(team=team, verb="member.removed").exists()


def test_another_teams_member_id_is_a_404_here(owner, team):
    elsewhere = MembershipFactory(team=TeamFactory())

    response = api_for(owner).patch(
        reverse("api-team-member", args=[team.pk, elsewhere.pk]), {"role": "viewer"}, format="json"
    )

    assert response.status_code == 404
    assert Membership.objects.get(pk=elsewhere.pk).role == "editor"


def test_accepting_an_invitation_verifies_the_invited_address(owner, team, invite):
    # Grace signed up from her invitation link and never opened the verification mail: the link
    # reached only her address, so accepting it proves the address, and she can publish and schedule.
    from accounts.models import SecurityEvent
    from accounts.selectors import user_has_verified_email

    grace = UserFactory(email="grace@example.com", email_verified=False)
    assert invite(api_for(owner), team).status_code == 201
    token = token_from_outbox("grace@example.com")

    response = api_for(grace).post(reverse("api-invitation-accept", args=[token]), format="json")

    assert response.status_code == 200, response.content
    grace.refresh_from_db()
    assert grace.email_verified is True and user_has_verified_email(grace)
    assert SecurityEvent.objects.filter(user=grace, kind=SecurityEvent.Kind.EMAIL_VERIFIED).count() == 1


def test_declining_an_invitation_leaves_the_address_unverified(owner, team, invite):
    grace = UserFactory(email="grace@example.com", email_verified=False)
    assert invite(api_for(owner), team).status_code == 201
    token = token_from_outbox("grace@example.com")

    api_for(grace).post(reverse("api-invitation-decline", args=[token]), format="json")

    grace.refresh_from_db()
    assert grace.email_verified is False
