"""On a server without billing (no Stripe keys: self-hosted) a user can make a second workspace,
invite someone and work with them: nothing is refused for a plan, and nobody is sent to upgrade."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory
from teams.models import Membership, Team

pytestmark = pytest.mark.django_db


def test_a_new_workspace_invites_and_the_invitee_joins(client, settings, django_capture_on_commit_callbacks):
    settings.SELF_HOSTED = True
    owner = UserFactory(email_verified=True)
    invitee = UserFactory(email="friend@example.com", email_verified=True)
    client.force_login(owner)

    created = client.post(reverse("teams:create"), {"name": "Side project", "timezone": "Europe/Lisbon"})
    assert created.status_code == 302
    team = Team.objects.get(name="Side project")
    owner.refresh_from_db()
    assert owner.current_team == team
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(reverse("teams:invite"), {"email": invitee.email, "role": "editor"}, follow=True)
    html = invited.content.decode()
    assert "friend@example.com" in html
    assert not re.search(r"(?i)upgrade|see plans", re.sub(r"<[^>]+>", " ", html))
    (message,) = [m for m in mail.outbox if invitee.email in m.to]
    token = re.search(r"/invitations/([\w-]+)/", message.body).group(1)

    client.force_login(invitee)
    accepted = client.post(reverse("teams:invitation_accept", args=[token]))

    assert accepted.status_code == 302
    assert Membership.objects.filter(team=team, user=invitee, role=Membership.Role.EDITOR).exists()
    invitee.refresh_from_db()
    assert invitee.current_team == team
