"""A user may sign in and write before verifying their address; publishing, scheduling, billing and
inviting need a verified one (pages and API alike, through teams.permissions.require)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import user_email_verified_sync
from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from social.tests.factories import SocialAccountFactory
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

GATE = "EMAIL_NOT_VERIFIED"


@pytest.fixture
def unverified():
    user = UserFactory(email_verified=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _verify(user) -> None:
    EmailAddress.objects.filter(user=user).update(verified=True)
    user_email_verified_sync(user=user)


def _is_gated(response) -> bool:
    return response.status_code == 403 and (response.json()["error"]["details"] or {}).get("reason") == GATE


def _publish(user):
    post = ContentPostFactory(author=user, team=user.current_team, content="A launch note for the gate test.")
    SocialAccountFactory(team=user.current_team)
    return _api(user).post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")


def _schedule(user):
    post = ContentPostFactory(author=user, team=user.current_team, content="A scheduled note for the gate test.")
    SocialAccountFactory(team=user.current_team)
    at = (timezone.now() + timedelta(days=1)).isoformat()
    return _api(user).post(
        "/api/content/schedule", {"postId": str(post.pk), "scheduledAt": at, "platforms": ["sandbox"]}, format="json"
    )


def _checkout(user):
    return _api(user).post("/api/billing/checkout/", {"tier": "PRO", "interval": "month"}, format="json")


def _invite(user):
    team = TeamFactory(owner=user)
    return _api(user).post(
        f"/api/teams/{team.pk}/invitations/", {"email": "guest@example.com", "role": "editor"}, format="json"
    )


ACTIONS = {"publish": _publish, "schedule": _schedule, "checkout": _checkout, "invite": _invite}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_unverified_address_cannot_publish_schedule_pay_or_invite(unverified, action):
    response = ACTIONS[action](unverified)

    assert _is_gated(response), response.content
    assert "Verify your email address" in response.json()["error"]["message"]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_once_verified_the_same_action_passes_the_gate(unverified, action, settings):
    settings.STRIPE_TEST_SECRET_KEY = ""  # checkout then stops at "Stripe is not set up", past the gate
    _verify(unverified)

    response = ACTIONS[action](unverified)

    assert not _is_gated(response), response.content


def test_an_unverified_user_signs_in_and_saves_drafts(unverified):
    client = APIClient()
    login = client.post(
        "/api/auth/login", {"email": unverified.email, "password": "correct-horse-battery"}, format="json"
    )
    assert login.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['tokens']['accessToken']}")

    saved = client.post(
        "/api/content/save", {"title": "Draft", "content": "Still a draft.", "platform": "linkedin"}, format="json"
    )

    assert saved.status_code == 201, saved.content


def test_the_publish_page_says_why_it_refused(client, unverified):
    post = ContentPostFactory(author=unverified, team=unverified.current_team, content="Page gate test text.")
    account = SocialAccountFactory(team=unverified.current_team)
    client.force_login(unverified)

    response = client.post(f"/social/publish/{post.pk}/submit/", {"account_ids": [str(account.pk)]})

    assert response.status_code == 403
    assert "Verify your email address" in response.content.decode()


def test_with_verification_switched_off_nobody_is_held_back(unverified, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"

    assert not _is_gated(_invite(unverified))
