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
from social.models import SocialAccount
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

OUR_APPS = ["core", "accounts", "teams", "billing", "moderation", "content", "social", "analytics", "scheduling"]
INLINE_ONLY = {"accounts.UserPreferences"}  # edited on the User page
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
