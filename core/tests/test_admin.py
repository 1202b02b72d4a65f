"""The admin: every model registered, list pages at a constant query count, secrets never shown."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from moderation import simhash
from moderation.checks.duplicates import fingerprints_record_many
from social.models import SocialAccount
from social.tests.factories import SocialAccountFactory
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

OUR_APPS = [
    "core",
    "accounts",
    "teams",
    "billing",
    "moderation",
    "content",
    "social",
    "analytics",
    "scheduling",
    "integrations",
]
INLINE_ONLY = {
    "accounts.UserPreferences",  # edited on the User page
    "moderation.FingerprintKey",  # shown on its fingerprint's page
}
OUR_MODELS = [
    m for label in OUR_APPS for m in apps.get_app_config(label).get_models() if m._meta.label not in INLINE_ONLY
]


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("root@example.com", "pw-root-123456"))
    return client


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_every_model_is_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_every_model_has_list_columns_filters_and_search(model):
    model_admin = admin.site._registry[model]

    assert tuple(model_admin.list_display) != ("__str__",), "no list columns beyond the default"
    assert model_admin.list_filter, "no list filters"
    assert model_admin.search_fields, "no search"


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_every_changelist_filters_and_searches_without_error(staff_client, model):
    url = _changelist(model)
    model_admin = admin.site._registry[model]

    assert staff_client.get(url, {"q": "x"}).status_code == 200
    # every filter's first choice (its "All" is the plain list) answers 200, not a 500 or a redirect
    page = staff_client.get(url)
    for spec in page.context["cl"].filter_specs:
        for choice in list(spec.choices(page.context["cl"]))[1:2]:
            assert staff_client.get(url + choice["query_string"]).status_code == 200, (model_admin, choice)


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_every_changelist_and_add_page_renders(staff_client, model):
    assert staff_client.get(_changelist(model)).status_code == 200
    add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    # Records written only by the system (audit logs, indexes) refuse the add page on purpose.
    request = RequestFactory().get("/")
    request.user = _superuser()
    addable = admin.site._registry[model].has_add_permission(request)
    assert staff_client.get(add).status_code == (200 if addable else 403)


def _superuser() -> User:
    return User(is_superuser=True, is_staff=True, is_active=True)


def test_admin_header(staff_client):
    assert b"ContentGenAI admin" in staff_client.get(reverse("admin:index")).content


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_content_post_changelist_runs_a_constant_number_of_queries(staff_client):
    url = _changelist(ContentPostFactory._meta.model)
    ContentPostFactory.create_batch(2)
    few = _queries_for(staff_client, url)

    ContentPostFactory.create_batch(20)

    assert _queries_for(staff_client, url) == few


def test_social_account_changelist_runs_a_constant_number_of_queries(staff_client):
    url = _changelist(SocialAccount)
    SocialAccountFactory.create_batch(2)
    few = _queries_for(staff_client, url)

    SocialAccountFactory.create_batch(20)

    assert _queries_for(staff_client, url) == few


def test_social_account_tokens_never_reach_the_admin(staff_client):
    account = SocialAccountFactory(access_token="sekret-token-123", refresh_token="sekret-refresh-456")
    change = reverse("admin:social_socialaccount_change", args=[account.pk])

    pages = [
        staff_client.get(_changelist(SocialAccount)),
        staff_client.get(change),
        staff_client.get(_changelist(SocialAccount), {"q": "sekret"}),
    ]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "sekret-token-123" not in html
        assert "sekret-refresh-456" not in html
        assert 'name="access_token"' not in html
        assert 'name="refresh_token"' not in html
    assert "token stored" in pages[0].content.decode().lower()


def test_saving_a_social_account_in_the_admin_keeps_its_tokens(staff_client):
    account = SocialAccountFactory(access_token="sekret-token-123", refresh_token="sekret-refresh-456")
    change = reverse("admin:social_socialaccount_change", args=[account.pk])

    response = staff_client.post(
        change,
        {
            "team": account.team_id,
            "connected_by": account.team.owner_id,
            "platform": account.platform,
            "account_id": account.account_id,
            "account_name": "Renamed",
            "token_expires_at_0": "",
            "token_expires_at_1": "",
            "is_active": "on",
            "permissions": "[]",
            "metadata": "{}",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert account.account_name == "Renamed"
    assert account.access_token == "sekret-token-123"
    assert account.refresh_token == "sekret-refresh-456"


def test_admin_creates_a_user_with_email_and_password(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.person@example.com",
            "usable_password": "true",
            "password1": "a-long-enough-pass-42",
            "password2": "a-long-enough-pass-42",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("a-long-enough-pass-42")
    assert user.current_team is not None  # the personal workspace came with it


def test_user_change_page_edits_preferences_inline(staff_client):
    user = UserFactory()

    response = staff_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert response.status_code == 200
    assert b'name="preferences-TOTAL_FORMS"' in response.content


# --- Secrets never show -------------------------------------------------------------------------
# Each case stores a known secret in a credential column (ours and the third-party apps'), then
# renders the model's list, search and change pages: the secret must appear in none of them.


def _user_session(secret: str):
    from accounts.models import UserSession

    return UserSession.objects.create(user=UserFactory(), session_key=secret, ip="10.0.0.1")


def _api_key(secret: str):
    from accounts.models import ApiKey

    return ApiKey.objects.create(user=UserFactory(), name="CI", prefix="cg_1a2b3c4d", secret_hash=secret)


def _recovery_code(secret: str):
    from accounts.models import RecoveryCode, RecoveryCodeDevice

    device = RecoveryCodeDevice.objects.create(user=UserFactory(), name="recovery", confirmed=True)
    return RecoveryCode.objects.create(device=device, code_hash=secret)


def _invitation(secret: str):
    from datetime import timedelta

    from django.utils import timezone

    from teams.models import Invitation

    user = UserFactory()
    return Invitation.objects.create(
        team=user.current_team,
        email="guest@example.com",
        token_hash=secret,
        expires_at=timezone.now() + timedelta(days=7),
        invited_by=user,
    )


def _ai_provider(secret: str):
    from content.models import AIProviderConfig

    return AIProviderConfig.objects.create(name="openai", model="gpt-4o-mini", api_key=secret)


def _totp_device(secret: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=UserFactory(), name="phone", key=secret, confirmed=True)


def _sealed_totp_device(secret: str):
    from accounts.models import SealedTOTPDevice

    return SealedTOTPDevice.objects.create(user=UserFactory(), name="phone", key=secret, confirmed=True)


def _static_device(secret: str):
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=UserFactory(), name="backup", confirmed=True)
    device.token_set.create(token=secret)
    return device


def _outstanding_token(secret: str):
    from django.utils import timezone
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    return OutstandingToken.objects.create(
        user=UserFactory(), jti="jti-visible-1", token=secret, expires_at=timezone.now(), created_at=timezone.now()
    )


def _social_app(secret: str):
    from allauth.socialaccount.models import SocialApp

    return SocialApp.objects.create(provider="google", name="Google", client_id="client-visible", secret=secret)


def _social_token(secret: str):
    from allauth.socialaccount.models import SocialAccount as AllauthAccount
    from allauth.socialaccount.models import SocialApp, SocialToken

    app = SocialApp.objects.create(provider="google", name="Google", client_id="client-visible", secret="x" * 20)
    account = AllauthAccount.objects.create(user=UserFactory(), provider="google", uid="uid-1")
    return SocialToken.objects.create(app=app, account=account, token=secret, token_secret=secret)


SECRET_CASES = {
    "accounts.UserSession": _user_session,
    "accounts.ApiKey": _api_key,
    "accounts.RecoveryCode": _recovery_code,
    "teams.Invitation": _invitation,
    "content.AIProviderConfig": _ai_provider,
    "otp_totp.TOTPDevice": _totp_device,
    "accounts.SealedTOTPDevice": _sealed_totp_device,
    "otp_static.StaticDevice": _static_device,
    "token_blacklist.OutstandingToken": _outstanding_token,
    "socialaccount.SocialApp": _social_app,
    "socialaccount.SocialToken": _social_token,
}


@pytest.mark.parametrize("label", sorted(SECRET_CASES))
def test_credentials_never_show_in_the_admin(staff_client, label):
    # given
    secret = "S3cr3tValue0123z"  # 16 characters: the longest a static recovery code column holds
    obj = SECRET_CASES[label](secret)
    model = type(obj)
    change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])

    # when
    pages = [
        staff_client.get(_changelist(model)),
        staff_client.get(_changelist(model), {"q": "S3cr3t"}),
        staff_client.get(change),
    ]

    # then
    for page in pages:
        assert page.status_code == 200
        assert secret not in page.content.decode(), f"{label}: the secret shows on {page.request['PATH_INFO']}"


def test_totp_admin_offers_no_qr_code(staff_client):
    device = _totp_device("3132333435363738393031323334353637383930")

    page = staff_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert page.status_code == 200
    assert "qrcode" not in page.content.decode().lower()


def test_social_app_secret_is_kept_when_saved_blank(staff_client):
    app = _social_app("the-stored-secret-123")

    response = staff_client.post(
        reverse("admin:socialaccount_socialapp_change", args=[app.pk]),
        {
            "provider": "google",
            "provider_id": "",
            "name": "Google renamed",
            "client_id": "client-visible",
            "secret": "",
            "key": "",
            "settings": "{}",
            "sites": [],
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    app.refresh_from_db()
    assert app.name == "Google renamed"
    assert app.secret == "the-stored-secret-123"


def test_a_fingerprints_page_shows_its_band_pair_keys(staff_client):
    text = "Our spring collection is here with light fabrics bright colours and free returns"
    [fingerprint] = fingerprints_record_many([(TeamFactory(), "post-1", text)])

    page = staff_client.get(reverse("admin:moderation_contentfingerprint_change", args=[fingerprint.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert all(f">{key}<" in html for key in simhash.pair_keys(fingerprint.simhash))
