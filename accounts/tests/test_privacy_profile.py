"""GDPR export and deletion, profile and preferences, email verification, security headers and CORS."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from accounts import gdpr, selectors, services
from accounts.models import AccountDeletion, DataExport, SecurityEvent, User, UserPreferences
from accounts.tests.factories import UserFactory
from content.models import ContentPost
from content.tests.factories import ContentPostFactory
from teams.models import Membership, Team

PASSWORD = "correct-horse-battery"
pytestmark = pytest.mark.django_db


def _image(fmt: str = "PNG", size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(out, format=fmt)
    return out.getvalue()


# --- export -----------------------------------------------------------------------------------


def test_export_zip_holds_the_users_rows_and_no_secrets(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    other = UserFactory()
    mine = ContentPostFactory(author=user)
    theirs = ContentPostFactory(author=other)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:data_export_request"))
    export = DataExport.objects.get(user=user)
    assert export.status == DataExport.Status.READY
    # The link is signed with a timestamp: the page and this test must sign in the same second.
    with time_machine.travel(timezone.now(), tick=False):
        page = client.get(reverse("accounts:privacy")).content.decode()
        token = gdpr.data_export_link_token(export)
    assert reverse("accounts:data_export_download", args=[token]) in page

    response = client.get(reverse("accounts:data_export_download", args=[token]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))["data"]
    post_ids = {row["id"] for row in data["content.contentpost"]}
    assert str(mine.pk) in post_ids and str(theirs.pk) not in post_ids
    assert "password" not in data["accounts.user"][0]
    assert "session_key" not in json.dumps(data)
    assert "csv/content.contentpost.csv" in archive.namelist()
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.DATA_EXPORT_DOWNLOADED).exists()


def test_export_links_expire_and_belong_to_their_user(client, settings, django_capture_on_commit_callbacks):
    user, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        export = services.data_export_request(user=user)
    token = gdpr.data_export_link_token(export)

    client.force_login(other)
    assert client.get(reverse("accounts:data_export_download", args=[token])).status_code == 404
    client.force_login(user)
    settings.DATA_EXPORT_LINK_MAX_AGE = -1
    assert client.get(reverse("accounts:data_export_download", args=[token])).status_code == 404
    assert client.get(reverse("accounts:data_export_download", args=["forged"])).status_code == 404


# --- deletion ---------------------------------------------------------------------------------


def test_deletion_needs_the_password_logs_out_and_login_cancels_it(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post(reverse("accounts:account_delete"), {"password": "nope"}).status_code == 200
    assert not AccountDeletion.objects.exists()

    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    deletion = AccountDeletion.objects.get(user=user)
    assert timedelta(days=13) < deletion.scheduled_for - timezone.now() <= timedelta(days=14)
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)
    assert not AccountDeletion.objects.filter(user=user).exists()
    assert "no longer scheduled for deletion" in response.content.decode()
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.DELETION_CANCELLED).exists()


# Property 12: User Data Management and Compliance
@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(own_posts=st.integers(0, 3), shared_posts=st.integers(0, 3), owns_shared_team=st.booleans())
def test_due_deletion_removes_own_data_and_keeps_shared_posts_anonymised(own_posts, shared_posts, owns_shared_team):
    # given: a user with posts in their personal team and in a team shared with a colleague
    user, colleague = UserFactory(), UserFactory()
    owner = user if owns_shared_team else colleague
    shared = Team.objects.create(name="Shared", owner=owner)
    Membership.objects.create(team=shared, user=owner, role="owner")
    Membership.objects.create(team=shared, user=colleague if owns_shared_team else user, role="editor")
    own_ids = [ContentPostFactory(author=user).pk for _ in range(own_posts)]
    shared_ids = [ContentPostFactory(author=user, team=shared).pk for _ in range(shared_posts)]
    services.account_deletion_request(user=user)
    AccountDeletion.objects.filter(user=user).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    user_id = user.pk

    # when
    assert gdpr.accounts_delete_due() == 1

    # then: the account and its own data are gone, shared work stays without an author, the trail remains
    assert not User.objects.filter(pk=user_id).exists()
    assert not ContentPost.objects.filter(pk__in=own_ids).exists()
    assert set(ContentPost.objects.filter(pk__in=shared_ids).values_list("author", flat=True)) <= {None}
    assert ContentPost.objects.filter(pk__in=shared_ids).count() == shared_posts
    shared.refresh_from_db()
    assert shared.owner == colleague
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCOUNT_DELETED, data__user_id=str(user_id)).exists()


def test_deletion_not_due_yet_is_left_alone():
    user = UserFactory()
    services.account_deletion_request(user=user)
    assert gdpr.accounts_delete_due() == 0
    assert User.objects.filter(pk=user.pk).exists()


# --- profile, preferences, verification -------------------------------------------------------


def test_preferences_are_created_lazily_and_saved(client):
    user = UserFactory()
    client.force_login(user)
    assert not UserPreferences.objects.filter(user=user).exists()
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(
        reverse("accounts:profile"),
        {
            "form": "preferences",
            "default_platform": "bluesky",
            "default_tone": "casual",
            "default_audience": "indie devs",
            "language": "es",
            "timezone": "Europe/Madrid",
            "notifications": ["email_weekly_digest"],
        },
    )
    assert response.status_code == 302
    prefs = UserPreferences.objects.get(user=user)
    assert (prefs.default_platform, prefs.timezone) == ("bluesky", "Europe/Madrid")
    assert prefs.notification_settings["email_weekly_digest"] is True
    assert prefs.notification_settings["email_publish_failed"] is False


def test_bad_preferences_change_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"form": "preferences", "timezone": "Mars/Olympus"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert UserPreferences.objects.get(user=user).timezone == "UTC"


@pytest.mark.parametrize(
    ("payload", "name", "ok"),
    [
        (_image("PNG"), "a.png", True),
        (_image("JPEG"), "a.jpg", True),
        (_image("WEBP"), "a.webp", True),
        (_image("GIF"), "a.gif", False),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "a.png", False),
        (b"\x89PNG" + b"0" * (2 * 1024 * 1024), "big.png", False),
    ],
)
def test_avatar_upload_checks_type_and_size_and_reencodes(client, payload, name, ok):
    user = UserFactory(first_name="<b>Evil</b>")
    client.force_login(user)
    upload = SimpleUploadedFile(name, payload, content_type="image/png")
    response = client.post(
        reverse("accounts:profile"),
        {"form": "profile", "first_name": "<b>Evil</b>", "last_name": "X", "avatar": upload},
    )
    user.refresh_from_db()
    if ok:
        assert response.status_code == 302
        with default_storage.open(user.avatar.name) as stored, Image.open(stored) as image:
            assert (image.format, image.size) == ("PNG", (256, 256))
        html = client.get(reverse("accounts:profile")).content.decode()
        assert "&lt;b&gt;Evil&lt;/b&gt;" in html and "<b>Evil</b>" not in html
    else:
        assert response.status_code == 200 and not user.avatar


def test_verified_email_is_synced_from_allauth():
    user = UserFactory(email_verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    assert selectors.user_has_verified_email(user) is False
    from allauth.account.signals import email_confirmed

    address.verified = True
    address.save()
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    user.refresh_from_db()
    assert user.email_verified is True and selectors.user_has_verified_email(user) is True


def test_settings_pages_are_clean_and_need_login(client):
    user = UserFactory()
    for name in ("accounts:profile", "accounts:security", "accounts:privacy"):
        assert client.get(reverse(name)).status_code == 302
    client.force_login(user)
    for name in ("accounts:profile", "accounts:security", "accounts:privacy"):
        html = client.get(reverse(name)).content.decode()
        assert "style=" not in html and "<script>" not in html
        assert 'aria-current="page"' in html


# --- security headers and CORS ----------------------------------------------------------------


def test_responses_carry_csp_frame_denial_and_nosniff(client):
    response = client.get(reverse("account_login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_cors_preflight_only_for_allowed_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    headers = {"HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST", "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "authorization"}

    allowed = client.options("/api/auth/login", HTTP_ORIGIN="https://app.example.com", **headers)
    other = client.options("/api/auth/login", HTTP_ORIGIN="https://evil.example.net", **headers)

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "authorization" in allowed["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in other


def test_admin_requires_a_verified_device_when_otp_is_on(client):
    from django.contrib import admin
    from django_otp.admin import OTPAdminSite

    staff = User.objects.create_superuser("boss@example.com", PASSWORD)
    client.force_login(staff)
    original = admin.site.__class__
    try:
        admin.site.__class__ = OTPAdminSite
        assert client.get("/admin/").status_code == 302
    finally:
        admin.site.__class__ = original
    assert client.get("/admin/").status_code == 200
