"""The admin index is organised by job: sections, readable names, the review queue one click away."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from moderation.models import CaseStatus
from moderation.tests.factories import ModerationCaseFactory
from monitoring.admin_site import OTPOperatorAdminSite

pytestmark = pytest.mark.django_db

SECTION_ORDER = [
    "Users & security",
    "Workspaces",
    "Content & publishing",
    "Moderation",
    "Billing",
    "Stripe mirror (dj-stripe)",
    "Operations",
]


def test_the_index_shows_job_sections_in_order_with_the_stripe_mirror_folded(staff_client):
    html = staff_client.get("/admin/").content.decode()

    captions = re.findall(r'class="section"[^>]*>([^<]+)</a>', html)
    assert [c.replace("&amp;", "&") for c in captions] == SECTION_ORDER
    # the Stripe mirror sits in a closed <details>, after our own billing models
    mirror = html.index("Stripe mirror (dj-stripe) (")
    billing = html.index('class="section"', html.index("Billing</a>") - 200)
    assert (
        html.index("Subscriptions", billing)
        < html.index("Usage quotas", billing)
        < html.index("Stripe webhook events", billing)
    )
    assert html.rfind("<details", 0, mirror) > html.index("Stripe webhook events")
    assert "<details open" not in html


def test_every_registered_model_is_in_exactly_one_section(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff

    sections = admin.site.get_app_list(request)

    listed = [entry["model"] for section in sections for entry in section["models"]]
    assert sorted(m._meta.label for m in listed) == sorted(m._meta.label for m in admin.site._registry)
    assert [s["name"] for s in sections] == SECTION_ORDER  # nothing fell into "Other"


def test_names_are_readable(staff_client):
    html = staff_client.get("/admin/").content.decode()

    for raw in ("Otp_Static", "Otp_Totp", "OTP_STATIC", "Ab tests", "Api keys", "Ai provider configs", "Djstripe"):
        assert raw not in html
    for readable in ("A/B tests", "API keys", "Authenticator apps (2FA)", "AI provider settings", "Backups"):
        assert readable in html


def test_moderation_summary_counts_open_cases_and_links_the_queue(staff_client):
    ModerationCaseFactory.create_batch(2)
    ModerationCaseFactory(status=CaseStatus.APPEALED)
    ModerationCaseFactory(status=CaseStatus.APPROVED)

    html = staff_client.get("/admin/").content.decode()

    assert re.search(r'id="open-case-count">\s*3 open cases', html)
    assert 'href="/moderation/" id="moderation-queue-link"' in html
    assert 'href="/admin/status/"' in html
    assert 'href="/admin/core/backuprun/"' in html


def test_one_apps_page_keeps_djangos_grouping_with_readable_names(staff_client):
    html = staff_client.get("/admin/analytics/").content.decode()

    assert "A/B tests" in html
    assert "Ab tests" not in html


def test_with_otp_required_staff_need_a_verified_device(client, staff):
    client.force_login(staff)
    original = admin.site.__class__
    try:
        admin.site.__class__ = OTPOperatorAdminSite
        assert client.get("/admin/").status_code == 302  # to the login page asking for a token

        device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        page = client.get("/admin/")
    finally:
        admin.site.__class__ = original

    assert page.status_code == 200
    assert "Users &amp; security" in page.content.decode()
