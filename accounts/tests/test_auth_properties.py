"""Hypothesis properties of authentication (spec Properties 8-11 and 13; Property 12 is in test_privacy_profile)."""

from __future__ import annotations

import re
import string
import time
from datetime import timedelta

import time_machine
from allauth.account.models import EmailConfirmationHMAC
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.api_keys import api_key_allows, api_key_create
from accounts.models import ApiKey, User
from accounts.permissions import IsPlatformAdmin, IsPlatformModerator
from accounts.tests.api_support import PASSWORD, enable_two_factor, login, totp_now
from accounts.tests.factories import UserFactory
from accounts.tokens import tokens_issue, tokens_rotate
from core.api.errors import PermissionDeniedError
from teams.models import Membership
from teams.permissions import ROLE_CAPABILITIES, Capability, require, team_context

NO_AUTH_LIMIT = {"API_RATE_LIMIT_AUTH": "100000/minute"}
passwords = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " é", min_size=1, max_size=40)
local_parts = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=20)


def _refresh_works(raw: str) -> bool:
    return APIClient().post("/api/auth/refresh", {"refreshToken": raw}, format="json").status_code == 200


def _me_status(access: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/me/").status_code


@override_settings(**NO_AUTH_LIMIT)
class TokenProperties(TestCase):
    # Property 8: Secure User Registration and Token Management
    @settings(max_examples=15, deadline=None)
    @given(names=st.lists(local_parts, min_size=2, max_size=5, unique=True), expire_days=st.integers(1, 7))
    def test_verification_and_api_tokens_are_random_unique_and_expire(self, names, expire_days):
        cache.clear()
        mail.outbox.clear()
        client = APIClient()
        for name in names:
            with self.captureOnCommitCallbacks(execute=True):
                response = client.post(
                    "/api/auth/register",
                    {
                        "email": f"{name}@example.com",
                        "password": "a-long-unusual-passphrase",
                        "firstName": "A",
                        "lastName": "B",
                    },
                    format="json",
                )
            assert response.status_code == 201, response.content
        keys = [m.body.split("/accounts/confirm-email/")[1].split("/")[0] for m in mail.outbox]
        assert len(keys) == len(names) == len(set(keys))
        with override_settings(ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS=expire_days):
            assert all(EmailConfirmationHMAC.from_key(k) is not None for k in keys)
            with time_machine.travel(timezone.now() + timedelta(days=expire_days, minutes=1)):
                assert all(EmailConfirmationHMAC.from_key(k) is None for k in keys)

        user = User.objects.get(email=f"{names[0]}@example.com")
        pairs = [tokens_issue(user=user) for _ in names]
        secrets_ = [api_key_create(user=user, name=n, scopes=["read"])[1] for n in names]
        jtis = [AccessToken(p.access)["jti"] for p in pairs]
        assert len(set(jtis)) == len(jtis)
        assert len({p.family for p in pairs}) == len(pairs)
        assert len(set(secrets_)) == len(secrets_)
        # 32 random bytes, url-safe: 43 characters after the prefix.
        assert all(len(s.split("_", 3)[3]) >= 43 for s in secrets_)

    # Property 10: JWT Session Management
    @settings(max_examples=20, deadline=None)
    @given(rotations=st.integers(0, 4), elapsed_minutes=st.integers(0, 60 * 24 * 20))
    def test_issue_rotate_and_expiry_are_honoured(self, rotations, elapsed_minutes):
        cache.clear()
        user = UserFactory()
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            pair = tokens_issue(user=user)
            family = pair.family
            used = []
            for _ in range(rotations):
                used.append(RefreshToken(pair.refresh, verify=False)["jti"])
                pair = tokens_rotate(raw_refresh=pair.refresh)
                assert pair.family == family  # rotation keeps the login's family
            # every rotated-away token is dead
            assert BlacklistedToken.objects.filter(token__jti__in=used).count() == len(used)
            clock.shift(timedelta(minutes=elapsed_minutes))
            access_ok = _me_status(pair.access) == 200
            assert access_ok == (elapsed_minutes < 15)
            refresh_ok = _refresh_works(pair.refresh)
            assert refresh_ok == (elapsed_minutes < 14 * 24 * 60)


@override_settings(**NO_AUTH_LIMIT)
class CredentialProperties(TestCase):
    # Property 9: Multi-Method Authentication Support (valid credentials in, everything else out)
    @settings(max_examples=30, deadline=None)
    @given(password=passwords, wrong_password=passwords, wrong_local=local_parts)
    def test_only_the_right_email_and_password_authenticate(self, password, wrong_password, wrong_local):
        assume(wrong_password != password)
        cache.clear()
        user = UserFactory(email="holder@example.com", password=password)
        client = APIClient()
        assume(f"{wrong_local}@example.com" != user.email)

        ok = login(client, user.email, password)
        wrong_pass = login(client, user.email, wrong_password)
        wrong_email = login(client, f"{wrong_local}@example.com", password)

        assert ok.status_code == 200 and ok.json()["tokens"]["accessToken"]
        for refused in (wrong_pass, wrong_email):
            assert refused.status_code == 401
            assert "tokens" not in refused.json()

    # Property 13: Two-Factor Authentication
    @settings(max_examples=30, deadline=None)
    @given(
        otp=st.one_of(
            st.none(),
            st.text(alphabet=string.digits, min_size=1, max_size=8),
            st.text(alphabet="abcdefghjkmnpqrstuvwxyz23456789-", min_size=1, max_size=12),
            st.text(max_size=20),
        )
    )
    def test_with_2fa_no_valid_code_means_no_tokens(self, otp):
        cache.clear()
        user = UserFactory()
        device, codes = enable_two_factor(user)
        now = time.time()
        valid = {totp_now(device, at=now + step * device.step) for step in (-1, 0, 1, 2)}
        assume(
            otp is None
            or ("".join(otp.split()) not in valid and otp.replace("-", "") not in {c.replace("-", "") for c in codes})
        )
        body = {} if otp is None else {"otpToken": otp}

        response = login(APIClient(), user.email, PASSWORD, **body)

        assert response.status_code in (400, 401)
        assert "tokens" not in response.json()


class RoleProperties(TestCase):
    # Property 11: Role-Based Access Control (team roles, platform roles, key scopes)
    @settings(max_examples=60, deadline=None)
    @given(role=st.sampled_from(list(Membership.Role)), capability=st.sampled_from(list(Capability)))
    def test_team_role_capabilities_match_the_matrix(self, role, capability):
        user = UserFactory()
        Membership.objects.filter(team=user.current_team, user=user).update(role=role)
        ctx = team_context(user=user)

        allowed = capability in ROLE_CAPABILITIES[role]

        assert ctx.can(capability) is allowed
        if allowed:
            require(ctx, capability)
        else:
            with self.assertRaises(PermissionDeniedError):
                require(ctx, capability)

    @settings(max_examples=30, deadline=None)
    @given(platform_role=st.sampled_from(list(User.PlatformRole)), active=st.booleans())
    def test_platform_roles_are_ordered(self, platform_role, active):
        user = UserFactory(platform_role=platform_role, is_active=active)
        request = type("Req", (), {"user": user})()

        moderator = IsPlatformModerator().has_permission(request, None)  # type: ignore[arg-type]
        admin = IsPlatformAdmin().has_permission(request, None)  # type: ignore[arg-type]

        assert moderator is (active and platform_role in ("moderator", "admin"))
        assert admin is (active and platform_role == "admin")

    @settings(max_examples=30, deadline=None)
    @given(
        scopes=st.lists(st.sampled_from(["read", "write"]), min_size=1, max_size=2, unique=True),
        method=st.sampled_from(["get", "patch"]),
    )
    def test_api_key_scopes_decide_the_api_outcome(self, scopes, method):
        cache.clear()
        user = UserFactory()
        key, raw = api_key_create(user=user, name="k", scopes=scopes)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")

        response = getattr(client, method)("/api/me/", {"firstName": "Z"} if method == "patch" else None, format="json")

        expected = 200 if api_key_allows(ApiKey.objects.get(pk=key.pk), method.upper()) else 403
        assert response.status_code == expected
        assert (response.status_code == 200) is ("write" in scopes or method == "get")


RESET_LINK = re.compile(r"/accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>[^/\s]+)/")


def _reset_link_works(client: Client, uidb36: str, key: str) -> bool:
    response = client.get(f"/accounts/password/reset/key/{uidb36}-{key}/")
    return response.status_code == 302 and not (response.context or {}).get("token_fail")


class PasswordResetProperties(TestCase):
    # Property 8: Secure User Registration and Token Management (password reset)
    @settings(max_examples=12, deadline=None)
    @given(
        elapsed=st.one_of(st.integers(0, 3 * 24 * 3600 - 60), st.integers(3 * 24 * 3600 + 60, 6 * 24 * 3600)),
        tamper_at=st.integers(0, 200),
        # anything the password validators accept: never all digits, never a common password
        new_password=st.text(alphabet=string.ascii_letters + string.digits, min_size=4, max_size=30).map(
            lambda tail: f"reset-{tail}-Qx"
        ),
    )
    def test_reset_links_are_unforgeable_expire_and_work_once(self, elapsed, tamper_at, new_password):
        cache.clear()
        mail.outbox.clear()
        user = UserFactory()
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            Client().post("/accounts/password/reset/", {"email": user.email})
            match = RESET_LINK.search(mail.outbox[-1].body)
            assert match is not None, mail.outbox[-1].body
            uidb36, key = match["uidb36"], match["key"]

            # a key changed in any one character is refused
            at = tamper_at % len(key)
            forged = key[:at] + ("a" if key[at] != "a" else "b") + key[at + 1 :]
            assert not _reset_link_works(Client(), uidb36, forged)

            clock.shift(timedelta(seconds=elapsed))
            client = Client()
            in_time = elapsed < 3 * 24 * 3600  # Django's PASSWORD_RESET_TIMEOUT: three days
            assert _reset_link_works(client, uidb36, key) is in_time
            if not in_time:
                return
            response = client.post(
                f"/accounts/password/reset/key/{uidb36}-set-password/",
                {"password1": new_password, "password2": new_password},
            )
            assert response.status_code == 302, response.context["form"].errors if response.context else response

            user.refresh_from_db()
            assert user.check_password(new_password)
            # the link is spent: the password it changed is part of what it signs
            assert not _reset_link_works(Client(), uidb36, key)


class IdleSessionProperties(TestCase):
    # Property 10: JWT Session Management (automatic logout after inactivity, for the browser session)
    @settings(max_examples=15, deadline=None)
    @given(
        limit_minutes=st.integers(1, 120),
        idle_seconds=st.integers(0, 3 * 3600),
        through_api=st.booleans(),
    )
    def test_a_session_ends_once_idle_longer_than_the_limit(self, limit_minutes, idle_seconds, through_api):
        assume(abs(idle_seconds - limit_minutes * 60) > 1)
        cache.clear()
        user = UserFactory()
        client = Client()
        with override_settings(SESSION_IDLE_TIMEOUT=limit_minutes * 60):
            with time_machine.travel(timezone.now(), tick=False) as clock:
                client.force_login(user)
                assert client.get("/dashboard/").status_code == 200  # records the activity

                clock.shift(timedelta(seconds=idle_seconds))
                response = client.get("/api/me/" if through_api else "/dashboard/")

        expired = idle_seconds > limit_minutes * 60
        if not expired:
            assert response.status_code == 200
        elif through_api:
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "INVALID_AUTHENTICATION"
        else:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert ("_auth_user_id" in client.session) is not expired
