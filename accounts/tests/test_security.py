"""Security events and intrusion detection, sessions, two-factor, and one user never reaching another's rows."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from accounts import services
from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.models import RecoveryCode, RecoveryCodeDevice, SecurityEvent, User, UserSession
from accounts.models import SealedTOTPDevice as TOTPDevice
from accounts.tests.factories import UserFactory
from teams.models import Notification

PASSWORD = "correct-horse-battery"
pytestmark = pytest.mark.django_db


def _log_in(client: Client, user: User) -> Client:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enable_2fa(user: User) -> tuple[TOTPDevice, list[str]]:
    device = services.totp_device_start(user=user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    codes = services.totp_device_confirm(device=device, token=code)
    assert codes is not None
    device.refresh_from_db()
    user.refresh_from_db()
    return device, codes


def _next_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, 1):06d}"


# --- security events and intrusion detection ---------------------------------------------------


def test_login_ok_and_failed_are_recorded_with_ip(client):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    _log_in(client, user)

    failed = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert (failed.user, str(failed.ip), failed.data["email"]) == (user, "203.0.113.9", user.email)
    assert "password" not in failed.data
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGIN_OK).count() == 1
    assert UserSession.objects.filter(user=user).count() == 1


# Property 29: Security Monitoring and Intrusion Detection
@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(failures=st.integers(min_value=0, max_value=12), threshold=st.integers(min_value=1, max_value=8))
def test_repeated_failures_from_one_ip_alert_admins_exactly_once(
    settings, failures, threshold, django_capture_on_commit_callbacks
):
    # given
    settings.INTRUSION_FAILED_LOGIN_THRESHOLD = threshold
    settings.ADMINS = [("Ops", "ops@example.com")]
    cache.clear()
    SecurityEvent.objects.all().delete()
    Notification.objects.all().delete()
    mail.outbox.clear()
    admin = User.objects.filter(email="root@example.com").first() or User.objects.create_superuser(
        "root@example.com", "pw-123456789"
    )
    # when: failures on unknown emails from one IP
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(failures):
            services.security_event_record(
                user=None, kind=SecurityEvent.Kind.LOGIN_FAILED, ip="198.51.100.7", email=f"nobody{i}@example.com"
            )
    # then: every failure is logged, and the threshold raises one alert (mail + admin notification)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, ip="198.51.100.7").count() == failures
    alerts = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.INTRUSION_SUSPECTED, data__scope="ip")
    expected = 1 if failures >= threshold else 0
    assert alerts.count() == expected
    assert len([m for m in mail.outbox if "ops@example.com" in m.to and "(ip 198.51.100.7)" in m.subject]) == expected
    assert Notification.objects.filter(user=admin, title__contains="(ip 198.51.100.7)").count() == expected


def test_repeated_failures_on_one_account_alert_once(settings, django_capture_on_commit_callbacks):
    settings.INTRUSION_FAILED_LOGIN_THRESHOLD = 3
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            services.security_event_record(
                user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, ip=f"192.0.2.{i}", email=user.email
            )
    alert = SecurityEvent.objects.get(kind=SecurityEvent.Kind.INTRUSION_SUSPECTED)
    assert alert.user == user and alert.data["scope"] == "account" and alert.data["failures"] == 3


def test_brute_force_locks_out(settings, client):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT, user=user).exists()


# --- sessions ---------------------------------------------------------------------------------


def test_revoking_a_session_signs_that_browser_out():
    user = UserFactory()
    laptop, phone = _log_in(Client(), user), _log_in(Client(), user)
    phone_row = UserSession.objects.get(session_key=phone.session.session_key)

    response = laptop.post(reverse("accounts:session_revoke", args=[phone_row.pk]))

    assert response.status_code == 302
    assert not UserSession.objects.filter(pk=phone_row.pk).exists()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert not store().exists(phone_row.session_key)
    assert phone.get(reverse("accounts:security")).status_code == 302  # back to login
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.SESSION_REVOKED).exists()


def test_idle_sessions_are_signed_out(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    user = UserFactory()
    _log_in(client, user)
    assert client.get(reverse("accounts:security")).status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = timezone.now().timestamp() - 120
    session.save()

    response = client.get(reverse("accounts:security"))

    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert "_auth_user_id" not in client.session


# --- two-factor -------------------------------------------------------------------------------


# Property 13: Two-Factor Authentication
def test_login_needs_the_second_factor_and_a_recovery_code_works_once(client):
    user = UserFactory()
    device, codes = _enable_2fa(user)
    assert RecoveryCode.objects.filter(device__user=user).count() == 10
    assert all(codes[0] not in rc.code_hash for rc in RecoveryCode.objects.all())  # stored hashed

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert client.get(reverse("accounts:security")).status_code == 302  # not signed in yet
    response = client.post(reverse("accounts:two_factor_verify"), {"otp_token": "000000"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    device.throttle_reset()
    response = client.post(reverse("accounts:two_factor_verify"), {"otp_token": _next_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:security")).status_code == 200

    RecoveryCodeDevice.objects.get(user=user).throttle_reset()  # "000000" counted against it as well
    assert services.two_factor_verify(user=user, token=codes[3]) is not None
    assert services.two_factor_verify(user=user, token=codes[3]) is None


def test_disabling_2fa_needs_the_password_and_a_code(client):
    user = UserFactory()
    _device, codes = _enable_2fa(user)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("accounts:two_factor_verify"), {"otp_token": codes[0]})

    response = client.post(reverse("accounts:two_factor_disable"), {"password": "wrong", "otp_token": codes[1]})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.two_factor_enabled is True

    client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD, "otp_token": codes[2]})
    user.refresh_from_db()
    assert user.two_factor_enabled is False
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_DISABLED).exists()


def test_enrolment_page_shows_a_qr_code_as_a_data_uri(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert 'src="data:image/png;base64,' in html
    assert "style=" not in html and "<script>" not in html


# --- isolation: another user's rows are 404s and never listed -------------------------------------


def test_a_user_cannot_see_or_revoke_another_users_sessions_keys_devices_or_events(client):
    from accounts.api_keys import api_key_create

    alice, mallory = UserFactory(), UserFactory()
    _log_in(Client(), alice)
    alice_session = UserSession.objects.get(user=alice)
    alice_key, _ = api_key_create(user=alice, name="alice-zapier", scopes=["read"])
    alice_device, _codes = _enable_2fa(alice)
    services.security_event_record(user=alice, kind=SecurityEvent.Kind.PASSWORD_CHANGED, ip="192.0.2.55")
    client.force_login(mallory)

    assert client.post(reverse("accounts:session_revoke", args=[alice_session.pk])).status_code == 404
    assert client.post(reverse("accounts:api_key_revoke", args=[alice_key.pk])).status_code == 404
    html = client.get(reverse("accounts:security")).content.decode()
    assert "alice-zapier" not in html and "192.0.2.55" not in html and alice_session.session_key not in html
    client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD})
    assert TOTPDevice.objects.filter(pk=alice_device.pk, confirmed=True).exists()
    assert UserSession.objects.filter(pk=alice_session.pk).exists()
    alice_key.refresh_from_db()
    assert alice_key.revoked_at is None


def test_security_page_query_count_stays_flat(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    for i in range(3):
        services.security_event_record(user=user, kind=SecurityEvent.Kind.LOGIN_OK, ip=f"192.0.2.{i}")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("accounts:security"))
    for i in range(30):
        services.security_event_record(user=user, kind=SecurityEvent.Kind.LOGIN_OK, ip=f"192.0.2.{i}")
        UserSession.objects.create(user=user, session_key=f"k{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:security"))


def test_api_keys_created_and_revoked_from_the_security_page(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:api_key_create"), {"name": "CI", "scopes": ["read", "write"]})
    page = client.get(reverse("accounts:security")).content.decode()
    key = user.api_keys.get()
    assert key.prefix in page and "Copy your new key now" in page
    assert "Copy your new key now" not in client.get(reverse("accounts:security")).content.decode()  # shown once
    client.post(reverse("accounts:api_key_revoke", args=[key.pk]))
    key.refresh_from_db()
    assert key.revoked_at is not None
