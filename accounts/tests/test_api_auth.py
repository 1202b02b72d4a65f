"""The spec's /api/auth/* contract: register, login (with and without 2FA), refresh rotation, logout."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import SecurityEvent, User
from accounts.tests.api_support import PASSWORD, assert_error, bearer, enable_two_factor, login, totp_now
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USER_KEYS = {
    "id",
    "email",
    "firstName",
    "lastName",
    "avatar",
    "subscriptionTier",
    "subscriptionStatus",
    "emailVerified",
    "twoFactorEnabled",
    "usageQuota",
    "preferences",
    "createdAt",
    "updatedAt",
}
TOKEN_KEYS = {"accessToken", "refreshToken", "tokenType", "expiresIn", "refreshExpiresIn"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # throttle windows live in the cache
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _register(api, **overrides):
    body = {"email": "Ada@Example.com", "password": "a-long-unusual-passphrase", "firstName": "Ada", "lastName": "L"}
    return api.post("/api/auth/register", {**body, **overrides}, format="json")


# --- register ---------------------------------------------------------------------------------


def test_register_returns_user_and_tokens_and_sends_the_verification_email(api, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(api)

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["success"] is True
    assert set(body["user"]) == USER_KEYS
    assert set(body["tokens"]) == TOKEN_KEYS
    assert body["tokens"]["tokenType"] == "Bearer"
    assert body["tokens"]["expiresIn"] == 15 * 60
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["subscriptionTier"] == "FREE"
    assert body["user"]["usageQuota"]["maxContentGenerations"] == 10
    assert body["user"]["emailVerified"] is False
    user = User.objects.get(email="ada@example.com")
    assert user.current_team is not None and user.current_team.is_personal
    assert EmailAddress.objects.filter(user=user, email="ada@example.com", primary=True, verified=False).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_register_ignores_a_user_id_in_the_body(api):
    other = UserFactory()

    response = _register(api, userId=str(other.pk), id=str(other.pk))

    assert response.status_code == 201
    assert response.json()["user"]["id"] != str(other.pk)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"firstName": ""}, "firstName"),
    ],
)
def test_register_bad_input_is_a_400_naming_the_field_and_creates_nothing(api, overrides, field):
    response = _register(api, **overrides)

    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert field in error["details"]
    assert not User.objects.exists()


def test_register_twice_with_one_email_is_refused(api):
    UserFactory(email="ada@example.com")

    error = assert_error(_register(api), 400, "VALIDATION_ERROR")

    assert "email" in error["details"]
    assert User.objects.count() == 1


# --- login ------------------------------------------------------------------------------------


def test_login_with_valid_credentials_returns_user_and_tokens(api):
    user = UserFactory(email="bo@example.com")

    response = login(api, "BO@example.com")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True and body["user"]["id"] == str(user.pk)
    assert set(body["tokens"]) == TOKEN_KEYS
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGIN_OK).exists()


@pytest.mark.parametrize(("email", "password"), [("bo@example.com", "wrong"), ("nobody@example.com", PASSWORD)])
def test_login_with_wrong_credentials_is_401_and_recorded(api, email, password):
    UserFactory(email="bo@example.com")

    assert_error(login(api, email, password), 401, "INVALID_AUTHENTICATION")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).count() == 1


def test_inactive_user_cannot_log_in(api):
    UserFactory(email="bo@example.com", is_active=False)

    assert_error(login(api, "bo@example.com"), 401, "INVALID_AUTHENTICATION")


def test_login_with_2fa_needs_a_valid_code(api):
    user = UserFactory(email="bo@example.com")
    device, _codes = enable_two_factor(user)

    assert_error(login(api, user.email), 401, "OTP_REQUIRED")
    ok = login(api, user.email, otpToken=totp_now(device, at=time.time() + 30))

    assert ok.status_code == 200, ok.content
    assert ok.json()["user"]["twoFactorEnabled"] is True


def test_a_wrong_code_is_refused_and_throttles_the_device(api):
    user = UserFactory(email="bo@example.com")
    device, _codes = enable_two_factor(user)
    right_code = totp_now(device, at=time.time() + 30)

    error = assert_error(login(api, user.email, otpToken="000000"), 401, "OTP_REQUIRED")
    # django-otp's throttling: right after a failure even the right code waits (guessing stays slow).
    throttled = login(api, user.email, otpToken=right_code)

    assert "otpToken" in error["details"]
    assert_error(throttled, 401, "OTP_REQUIRED")
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_FAILED).count() == 2


def test_a_recovery_code_works_as_otp_token_exactly_once(api):
    user = UserFactory(email="bo@example.com")
    _device, codes = enable_two_factor(user)

    first = login(api, user.email, otpToken=codes[0])
    again = login(api, user.email, otpToken=codes[0])

    assert first.status_code == 200, first.content
    assert_error(again, 401, "OTP_REQUIRED")
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.RECOVERY_CODE_USED).count() == 1


def test_wrong_password_with_2fa_never_reveals_that_2fa_is_on(api):
    user = UserFactory(email="bo@example.com")
    enable_two_factor(user)

    assert_error(login(api, user.email, "wrong"), 401, "INVALID_AUTHENTICATION")


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_brute_force_locks_the_account_out_even_for_the_right_password(api):
    user = UserFactory(email="bo@example.com")
    for _ in range(2):
        assert_error(login(api, user.email, "wrong"), 401, "INVALID_AUTHENTICATION")

    locking = login(api, user.email, "wrong")
    after = login(api, user.email)

    for response in (locking, after):
        error = assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
        assert "Too many failed login attempts" in error["message"]
        assert error["retryAfter"] == 15 * 60
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT).exists()


# --- refresh ----------------------------------------------------------------------------------


def test_refresh_rotates_and_the_new_pair_works(api):
    user = UserFactory()
    tokens = bearer(api, user)

    response = api.post("/api/auth/refresh", {"refreshToken": tokens["refreshToken"]}, format="json")

    assert response.status_code == 200, response.content
    new = response.json()["tokens"]
    assert set(new) == TOKEN_KEYS
    assert new["refreshToken"] != tokens["refreshToken"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {new['accessToken']}")
    assert api.get("/api/me/").status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(api):
    user = UserFactory()
    first = bearer(api, user)["refreshToken"]
    second = api.post("/api/auth/refresh", {"refreshToken": first}, format="json").json()["tokens"]["refreshToken"]
    other_login = bearer(APIClient(), user)["refreshToken"]  # another device: a different family

    # when: the stolen first token is replayed
    replay = api.post("/api/auth/refresh", {"refreshToken": first}, format="json")

    # then: the replay fails, and so does the legitimate holder of the family's newest token
    assert_error(replay, 401, "INVALID_AUTHENTICATION")
    assert_error(api.post("/api/auth/refresh", {"refreshToken": second}, format="json"), 401, "INVALID_AUTHENTICATION")
    assert api.post("/api/auth/refresh", {"refreshToken": other_login}, format="json").status_code == 200
    # Each replay is recorded; only the first one still had a live token to revoke.
    events = SecurityEvent.objects.filter(user=user, kind="token_family_revoked")
    assert sorted(e.data["revoked"] for e in events) == [0, 1]


def test_refresh_rejects_garbage_an_access_token_and_an_expired_token(api):
    user = UserFactory()
    tokens = bearer(api, user)

    assert_error(api.post("/api/auth/refresh", {"refreshToken": "x.y.z"}, format="json"), 401, "INVALID_AUTHENTICATION")
    assert_error(
        api.post("/api/auth/refresh", {"refreshToken": tokens["accessToken"]}, format="json"),
        401,
        "INVALID_AUTHENTICATION",
    )
    assert_error(api.post("/api/auth/refresh", {}, format="json"), 400, "VALIDATION_ERROR")
    with time_machine.travel(timedelta(days=15), tick=False):
        expired = api.post("/api/auth/refresh", {"refreshToken": tokens["refreshToken"]}, format="json")
    assert_error(expired, 401, "INVALID_AUTHENTICATION")


# --- logout -----------------------------------------------------------------------------------


def test_logout_revokes_the_refresh_token(api):
    user = UserFactory()
    tokens = bearer(api, user)

    response = api.post("/api/auth/logout", {"refreshToken": tokens["refreshToken"]}, format="json")

    assert response.status_code == 200 and response.json() == {"success": True}
    refresh = api.post("/api/auth/refresh", {"refreshToken": tokens["refreshToken"]}, format="json")
    assert_error(refresh, 401, "INVALID_AUTHENTICATION")


def test_logout_without_body_ends_the_family_of_the_access_token(api):
    user = UserFactory()
    tokens = bearer(api, user)

    assert api.post("/api/auth/logout", {}, format="json").status_code == 200

    rows = OutstandingToken.objects.filter(user=user)
    assert rows.exists() and BlacklistedToken.objects.filter(token__in=rows).count() == rows.count()
    refresh = api.post("/api/auth/refresh", {"refreshToken": tokens["refreshToken"]}, format="json")
    assert_error(refresh, 401, "INVALID_AUTHENTICATION")


def test_logout_with_someone_elses_refresh_token_changes_nothing(api):
    victim_tokens = bearer(APIClient(), UserFactory())
    bearer(api, UserFactory())

    response = api.post("/api/auth/logout", {"refreshToken": victim_tokens["refreshToken"]}, format="json")

    assert_error(response, 401, "INVALID_AUTHENTICATION")
    again = APIClient().post("/api/auth/refresh", {"refreshToken": victim_tokens["refreshToken"]}, format="json")
    assert again.status_code == 200


def test_logout_needs_authentication(api):
    assert_error(api.post("/api/auth/logout", {}, format="json"), 401, "INVALID_AUTHENTICATION")


def test_access_token_expires(api):
    user = UserFactory()
    bearer(api, user)

    with time_machine.travel(timedelta(minutes=16), tick=False):
        response = api.get("/api/me/")

    assert_error(response, 401, "INVALID_AUTHENTICATION")


def test_after_logout_the_access_token_is_refused_too(api):
    user = UserFactory()
    bearer(api, user)

    api.post("/api/auth/logout", {}, format="json")

    assert_error(api.get("/api/me/"), 401, "INVALID_AUTHENTICATION")


def test_a_replayed_refresh_token_also_ends_the_familys_access_tokens(api):
    user = UserFactory()
    first = bearer(api, user)["refreshToken"]
    rotated = APIClient().post("/api/auth/refresh", {"refreshToken": first}, format="json").json()["tokens"]
    victim = APIClient()
    victim.credentials(HTTP_AUTHORIZATION=f"Bearer {rotated['accessToken']}")
    assert victim.get("/api/me/").status_code == 200

    APIClient().post("/api/auth/refresh", {"refreshToken": first}, format="json")  # replay

    assert_error(victim.get("/api/me/"), 401, "INVALID_AUTHENTICATION")
    other_login = APIClient()
    bearer(other_login, user)
    assert other_login.get("/api/me/").status_code == 200
