"""Billing pages: plans and prices, usage bars, invoices, plan changes, roles, tenancy, self-hosting."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from accounts.tests.factories import UserFactory
from billing.models import Subscription, UsageQuota
from billing.tests.helpers import deliver, start_checkout, sync_plans
from teams.models import Membership
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def logged_in(client, owner):
    client.force_login(owner)
    return client


def test_overview_shows_plans_prices_current_plan_and_usage(logged_in, fake_stripe):
    html = logged_in.get(reverse("billing:overview")).content.decode()

    assert 'data-testid="current-tier">Free<' in html
    assert "$29.00" in html and "$99.00" in html
    assert 'data-testid="upgrade-pro"' in html
    assert 'data-testid="usage-bars"' in html
    assert "style=" not in html and "<script>" not in html


def test_the_interval_and_currency_switch_changes_the_prices(logged_in, fake_stripe):
    html = logged_in.get(reverse("billing:overview"), {"interval": "year", "currency": "gbp"}).content.decode()

    assert "£230.00" in html
    assert 'name="currency" value="gbp"' in html
    assert "$29.00" not in html


def test_without_keys_only_staff_see_how_to_configure_stripe(logged_in, owner, settings):
    settings.STRIPE_TEST_SECRET_KEY = ""

    member_html = logged_in.get(reverse("billing:overview")).content.decode()
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    staff_html = logged_in.get(reverse("billing:overview")).content.decode()

    assert 'data-testid="plans-not-for-sale"' in member_html
    for operator_words in ("STRIPE_TEST_SECRET_KEY", "sync_stripe_plans", "SELF_HOSTED", "stripe-not-configured"):
        assert operator_words not in member_html
        assert operator_words in staff_html
    assert 'data-testid="upgrade-pro"' not in member_html + staff_html


@pytest.mark.parametrize("name", ["billing:overview", "billing:usage"])
def test_self_hosted_billing_page_says_everything_is_included_in_one_sentence(logged_in, owner, settings, name):
    settings.SELF_HOSTED = True

    response = logged_in.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert "has every feature, with no limits." in html
    assert escape(Membership.objects.filter(user=owner).first().team.name) in html
    for operator_words in ("STRIPE_TEST_SECRET_KEY", "sync_stripe_plans", "SELF_HOSTED", "upgrade-pro", "See plans"):
        assert operator_words not in html


def test_self_hosted_billing_page_gives_staff_the_operator_steps(logged_in, owner, settings):
    settings.SELF_HOSTED = True
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])

    html = logged_in.get(reverse("billing:overview")).content.decode()

    assert "has every feature, with no limits." in html
    assert "STRIPE_TEST_SECRET_KEY" in html and "sync_stripe_plans" in html


@pytest.mark.parametrize("name", ["billing:checkout", "billing:change", "billing:cancel", "billing:portal"])
def test_self_hosted_plan_actions_are_gone(logged_in, settings, name):
    settings.SELF_HOSTED = True

    assert logged_in.post(reverse(name), {"tier": "PRO"}).status_code == 404


@pytest.mark.parametrize("name", ["billing:overview", "billing:usage"])
def test_another_teams_billing_page_is_a_404(logged_in, name):
    assert logged_in.get(reverse(name), HTTP_X_TEAM_ID=str(TeamFactory().pk)).status_code == 404


@pytest.mark.parametrize("name", ["billing:checkout", "billing:change", "billing:cancel", "billing:portal"])
def test_another_teams_billing_actions_are_a_404(logged_in, fake_stripe, name):
    response = logged_in.post(reverse(name), {"tier": "PRO"}, HTTP_X_TEAM_ID=str(TeamFactory().pk))

    assert response.status_code == 404
    assert fake_stripe.requests == []


def test_a_member_who_is_not_the_owner_sees_the_plans_but_cannot_change_them(client, fake_stripe):
    team = TeamFactory()
    editor = MembershipFactory(team=team, role=Membership.Role.ADMIN).user
    User.objects.filter(pk=editor.pk).update(current_team=team)
    client.force_login(editor)

    html = client.get(reverse("billing:overview")).content.decode()
    response = client.post(reverse("billing:checkout"), {"tier": "PRO"})

    assert "Only the workspace owner can change the plan." in html
    assert 'data-testid="upgrade-pro"' not in html
    assert response.status_code == 403
    assert fake_stripe.requests == []


def test_upgrade_button_sends_the_owner_to_stripe_checkout(logged_in, fake_stripe):
    sync_plans()

    response = logged_in.post(reverse("billing:checkout"), {"tier": "PRO", "interval": "month", "currency": "eur"})

    assert response.status_code == 302
    assert response["Location"].startswith(fake_stripe.checkout_base_url)


def test_paying_team_sees_invoices_with_pdf_links_and_can_cancel(client, logged_in, owner, fake_stripe):
    sync_plans()
    for event in start_checkout(fake_stripe, owner.current_team):
        deliver(client, event)

    html = logged_in.get(reverse("billing:overview")).content.decode()
    assert 'data-testid="current-tier">Pro<' in html
    assert "/pdf" in html
    assert 'data-testid="open-portal"' in html

    response = logged_in.post(reverse("billing:cancel"), follow=True)

    assert 'data-testid="cancel-notice"' in response.content.decode()
    assert Subscription.objects.get(team=owner.current_team).cancel_at_period_end is True


def test_invoice_list_runs_a_flat_number_of_queries(client, logged_in, owner, fake_stripe):
    sync_plans()
    for event in start_checkout(fake_stripe, owner.current_team):
        deliver(client, event)
    sub_id = Subscription.objects.get(team=owner.current_team).stripe_subscription_id

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert logged_in.get(reverse("billing:overview")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(4):
        for event in fake_stripe.renew(sub_id, paid=True):
            deliver(client, event)

    assert count() == few


def test_usage_page_shows_bars_and_the_upgrade_prompt_when_a_quota_is_used_up(logged_in, owner):
    UsageQuota.objects.filter(team=owner.current_team).update(content_generations=10)

    html = logged_in.get(reverse("billing:usage")).content.decode()

    assert 'data-testid="upgrade-prompt"' in html
    assert 'data-testid="usage-content_generations-text">10 / 10<' in html
    assert f'href="{reverse("billing:overview")}"' in html


def test_usage_page_without_anything_used_up_has_no_prompt(logged_in):
    html = logged_in.get(reverse("billing:usage")).content.decode()

    assert 'data-testid="upgrade-prompt"' not in html


def test_the_upgrade_prompt_partial_renders_an_api_error(rf, settings):
    from django.template.loader import render_to_string

    from core.api.errors import PlanFeatureRequired

    error = PlanFeatureRequired("Needs Pro.", details={"upgradeUrl": "/billing/?from=analytics"})
    html = render_to_string("billing/partials/upgrade_prompt.html", {"error": error, "SELF_HOSTED": False})

    assert "This needs a higher plan" in html
    assert 'href="/billing/?from=analytics"' in html
    assert render_to_string("billing/partials/upgrade_prompt.html", {"error": error, "SELF_HOSTED": True}).strip() == ""


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("root@example.com", "pw-root-123456"))
    return client


def test_admin_shows_the_catalogue_read_only(staff):
    html = staff.get(reverse("admin:billing_plan_catalogue")).content.decode()

    assert "contentgenai_enterprise_year_gbp" in html


def test_admin_comps_a_team_until_a_date_without_stripe(staff, owner):
    sub = Subscription.objects.get(team=owner.current_team)

    staff.post(
        reverse("admin:billing_subscription_changelist"),
        {"action": "comp_pro_30_days", "_selected_action": [str(sub.pk)]},
    )

    sub.refresh_from_db()
    assert sub.comp_tier == "PRO"
    assert UsageQuota.objects.get(team=owner.current_team).max_content_generations == 500

    form = staff.get(reverse("admin:billing_subscription_comp"), {"ids": str(sub.pk)})
    assert form.status_code == 200
    staff.post(
        reverse("admin:billing_subscription_comp"),
        {"ids": [str(sub.pk)], "tier": "ENTERPRISE", "until": "2099-01-01 00:00:00"},
    )
    sub.refresh_from_db()
    assert (sub.comp_tier, sub.comped_until.year) == ("ENTERPRISE", 2099)


def test_admin_refunds_the_latest_charge_through_stripe(client, staff, owner, fake_stripe):
    sync_plans()
    for event in start_checkout(fake_stripe, owner.current_team):
        deliver(client, event)
    sub = Subscription.objects.get(team=owner.current_team)

    staff.post(
        reverse("admin:billing_subscription_changelist"),
        {"action": "refund_latest_charge", "_selected_action": [str(sub.pk)]},
    )

    refunds = [o for o in fake_stripe.objects.values() if o["object"] == "refund"]
    assert len(refunds) == 1 and refunds[0]["amount"] == 2900


def test_plan_limits_hit_from_pages_offer_the_upgrade(logged_in, owner):
    from datetime import timedelta

    from django.utils import timezone

    from content.tests.factories import ContentPostFactory
    from social.tests.factories import SocialAccountFactory

    team = owner.current_team
    # scheduling: FREE allows 10 pending scheduled posts
    account = SocialAccountFactory(team=team)
    when = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    for _ in range(10):
        post = ContentPostFactory(team=team, author=owner)
        logged_in.post(reverse("scheduling:schedule"), {"post": post.pk, "accounts": [account.pk], "when": when})
    one_more = ContentPostFactory(team=team, author=owner)
    scheduled = logged_in.post(
        reverse("scheduling:schedule"), {"post": one_more.pk, "accounts": [account.pk], "when": when}, follow=True
    ).content.decode()
    # team collaboration: a FREE team cannot invite
    invited = logged_in.post(reverse("teams:invite"), {"email": "grace@example.com", "role": "editor"}, follow=True)

    for html in (scheduled, invited.content.decode()):
        assert 'data-testid="toast-upgrade-link"' in html
        assert f'href="{reverse("billing:overview")}" data-testid="toast-upgrade-link"' in html
    assert "Your plan allows 10 scheduled posts" in scheduled


def test_a_plan_refusal_escaping_a_page_renders_the_upgrade_page(rf, owner):
    from django.contrib.auth.models import AnonymousUser

    from core.api.errors import PlanFeatureRequired, ValidationFailed
    from core.middleware import ApiErrorPageMiddleware

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    middleware = ApiErrorPageMiddleware(lambda r: None)
    refused = PlanFeatureRequired("Needs Pro.", details={"upgradeUrl": "/billing/"})

    page = middleware.process_exception(request, refused)
    other = middleware.process_exception(request, ValidationFailed("Nope."))

    assert page.status_code == 402
    assert 'href="/billing/" data-testid="upgrade-link"' in page.content.decode()
    assert other.status_code == 400 and "upgrade-link" not in other.content.decode()


def test_self_hosted_toasts_never_offer_an_upgrade(logged_in, settings, owner):
    from django.template.loader import render_to_string

    from core.messages import UPGRADE_TAG

    class Message:
        level_tag = "error"
        extra_tags = UPGRADE_TAG

        def __str__(self) -> str:
            return "Over the limit."

    hosted = render_to_string("partials/toasts.html", {"messages": [Message()], "SELF_HOSTED": False})
    self_hosted = render_to_string("partials/toasts.html", {"messages": [Message()], "SELF_HOSTED": True})

    assert "toast-upgrade-link" in hosted and "toast-upgrade-link" not in self_hosted
