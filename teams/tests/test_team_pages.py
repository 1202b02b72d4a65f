"""The team page, the invitation link's page, switching and leaving from the dashboard."""

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
from teams.models import Invitation, Membership
from teams.tests.conftest import on_plan
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(email="ada@example.com")


@pytest.fixture
def team(owner):
    team = on_plan(TeamFactory(name="Studio", owner=owner))
    owner.current_team = team
    owner.save()
    return team


@pytest.fixture
def logged_in(client, owner):
    client.force_login(owner)
    return client


def invite_link(client, django_capture_on_commit_callbacks, email="grace@example.com", role="editor") -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teams:invite"), {"email": email, "role": role})
    assert response.status_code == 302
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"https?://[^/\s]+(/invitations/[\w-]+/)", message.body).group(1)


def test_the_team_page_shows_members_invitations_brands_and_settings(logged_in, team):
    MembershipFactory(team=team, role="reviewer", user=UserFactory(email="rita@example.com"))

    html = logged_in.get(reverse("teams:team")).content.decode()

    assert "rita@example.com" in html and "Reviewer" in html
    assert 'data-testid="invite-form"' in html
    assert 'data-testid="settings-form"' in html
    assert 'data-testid="create-team-form"' in html


def test_an_editor_sees_members_but_no_invite_or_settings(client, team):
    editor = MembershipFactory(team=team, role="editor").user
    editor.current_team = team
    editor.save()
    client.force_login(editor)

    html = client.get(reverse("teams:team")).content.decode()

    assert "ada@example.com" in html
    assert 'data-testid="invite-form"' not in html and 'data-testid="settings-form"' not in html
    assert "Leave team" in html


def test_the_team_page_has_a_flat_query_count(logged_in, team):
    on_plan(team, "ENTERPRISE")
    MembershipFactory.create_batch(2, team=team)
    with CaptureQueriesContext(connection) as few:
        logged_in.get(reverse("teams:team"))
    MembershipFactory.create_batch(8, team=team)
    for i in range(5):
        Invitation.objects.create(
            team=team, email=f"p{i}@x.test", token_hash=f"h{i}", expires_at=timezone.now() + timedelta(days=1)
        )
    with CaptureQueriesContext(connection) as many:
        assert logged_in.get(reverse("teams:team")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_htmx_invite_answers_with_the_refreshed_invitations(logged_in, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            reverse("teams:invite"), {"email": "grace@example.com", "role": "viewer"}, HTTP_HX_REQUEST="true"
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert "grace@example.com" in html and "Invitation sent" in html
    assert "<html" not in html
    assert len(mail.outbox) == 1


def test_an_invalid_invite_shows_the_field_error_and_sends_nothing(logged_in, team):
    response = logged_in.post(reverse("teams:invite"), {"email": "not-an-email", "role": "editor"})

    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_free_team_invite_shows_the_upgrade_message(client, owner):
    client.force_login(owner)
    owner.current_team = owner.teams.get(is_personal=True)
    owner.save()

    response = client.post(reverse("teams:invite"), {"email": "grace@example.com", "role": "editor"}, follow=True)

    assert "does not include team collaboration" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_link_asks_a_signed_out_visitor_to_sign_in_with_the_address(
    client, logged_in, team, django_capture_on_commit_callbacks
):
    path = invite_link(logged_in, django_capture_on_commit_callbacks)
    client.logout()

    html = client.get(path).content.decode()

    assert "Join Studio" in html and "Sign in with grace@example.com" in html
    assert f"next={path}" in html


def test_accepting_through_the_page_joins_and_switches(client, logged_in, team, django_capture_on_commit_callbacks):
    path = invite_link(logged_in, django_capture_on_commit_callbacks)
    grace = UserFactory(email="grace@example.com")
    client.force_login(grace)

    response = client.post(path + "accept/")

    assert response.status_code == 302 and response["Location"] == reverse("teams:team")
    grace.refresh_from_db()
    assert grace.current_team == team
    assert Membership.objects.get(team=team, user=grace).role == "editor"


def test_the_wrong_account_is_told_which_address_to_use(client, logged_in, team, django_capture_on_commit_callbacks):
    path = invite_link(logged_in, django_capture_on_commit_callbacks)
    client.force_login(UserFactory(email="mallory@example.com"))

    page = client.get(path).content.decode()
    client.post(path + "accept/")

    assert "This invitation is for grace@example.com" in page
    assert not Membership.objects.filter(team=team, user__email="mallory@example.com").exists()


def test_an_expired_link_shows_why_with_a_4xx(client, logged_in, team, django_capture_on_commit_callbacks):
    path = invite_link(logged_in, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(hours=1))

    response = client.get(path)

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_made_up_link_is_a_404_page(client):
    assert client.get(reverse("teams:invitation", args=["made-up"])).status_code == 404


def test_declining_through_the_page(client, logged_in, team, django_capture_on_commit_callbacks):
    path = invite_link(logged_in, django_capture_on_commit_callbacks)
    client.force_login(UserFactory(email="grace@example.com"))

    client.post(path + "decline/")

    assert Invitation.objects.get().status == "declined"
    assert client.get(path).status_code == 410


def test_switching_from_the_top_bar_and_back(logged_in, owner, team):
    personal = owner.teams.get(is_personal=True)

    response = logged_in.post(reverse("teams:switch", args=[personal.pk]), {"next": reverse("content:posts")})

    assert response["Location"] == reverse("content:posts")
    owner.refresh_from_db()
    assert owner.current_team == personal
    html = logged_in.get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="team-switcher"' in html and "Studio" in html


def test_switching_refuses_an_outside_redirect(logged_in, owner, team):
    response = logged_in.post(reverse("teams:switch", args=[team.pk]), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("dashboard:home")


def test_creating_a_team_from_the_page(logged_in, owner):
    response = logged_in.post(reverse("teams:create"), {"name": "Side project", "timezone": "Europe/Paris"})

    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.current_team.name, owner.current_team.timezone) == ("Side project", "Europe/Paris")


def test_settings_save_from_the_page(logged_in, team):
    logged_in.post(reverse("teams:settings"), {"name": "Studio 2", "timezone": "Asia/Tokyo", "requires_approval": "on"})

    team.refresh_from_db()
    assert (team.name, team.timezone, team.requires_approval) == ("Studio 2", "Asia/Tokyo", True)


def test_the_owner_cannot_leave_from_the_page(logged_in, team):
    response = logged_in.post(reverse("teams:leave"), follow=True)

    assert "Transfer ownership" in response.content.decode()
    assert Membership.objects.filter(team=team, role="owner").count() == 1
