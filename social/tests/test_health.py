"""Token health: refresh before expiry; temporary failures never disconnect; revocation notifies once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from social.models import AccountHealth
from social.tasks import refresh_expiring_tokens
from social.tests.factories import SocialAccountFactory
from teams.models import Notification

pytestmark = pytest.mark.django_db


def _expiring(team, user, **metadata):
    return SocialAccountFactory(
        team=team, connected_by=user, token_expires_at=timezone.now() + timedelta(minutes=5), metadata=metadata
    )


def test_refresh_rotates_tokens_before_expiry(team, user):
    account = _expiring(team, user)
    old_token = account.access_token
    assert refresh_expiring_tokens.delay().get() == 1
    account.refresh_from_db()
    assert account.access_token != old_token
    assert account.token_expires_at > timezone.now() + timedelta(hours=1)
    assert account.health == AccountHealth.HEALTHY and account.last_checked_at


def test_transient_refresh_failure_keeps_the_account(team, user):
    account = _expiring(team, user, sandbox_fail="transient")
    refresh_expiring_tokens.delay().get()
    account.refresh_from_db()
    assert account.is_active
    assert account.health == AccountHealth.DEGRADED
    assert "503" in account.last_error
    assert not Notification.objects.exists()


def test_revoked_token_needs_reconnect_and_one_notification(team, user):
    account = _expiring(team, user, sandbox_fail="auth")
    refresh_expiring_tokens.delay().get()
    refresh_expiring_tokens.delay().get()  # the next beat skips it: no second message
    account.refresh_from_db()
    assert account.health == AccountHealth.NEEDS_RECONNECT
    assert account.is_active
    (notification,) = Notification.objects.filter(user=user)
    assert "Reconnect" in notification.title


def test_accounts_page_shows_health_and_last_error(client, team, user):
    SocialAccountFactory(team=team, health=AccountHealth.NEEDS_RECONNECT, last_error="token revoked (401)")
    client.force_login(user)
    response = client.get("/social/")
    assert response.status_code == 200
    assert b"Needs reconnect" in response.content
    assert b"token revoked (401)" in response.content
    assert b"posts left" in response.content
