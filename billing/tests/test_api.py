"""/api/billing/*: shapes, Stripe calls, roles, tenancy, metering."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from billing.models import Subscription, UsageQuota
from billing.services import quota_consume
from billing.tests.helpers import deliver, start_checkout, sync_plans
from teams.models import Membership
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

TEAM_ENDPOINTS = [
    ("get", "api-billing-plans"),
    ("get", "api-billing-subscription"),
    ("post", "api-billing-checkout"),
    ("post", "api-billing-portal"),
    ("get", "api-billing-usage"),
    ("delete", "api-billing-subscription"),
]


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def api(client, owner):
    client.force_login(owner)
    return client


def _last_request(fake, path):
    return next(params for method, p, params in reversed(fake.requests) if p == path and method == "POST")


def test_plans_list_every_tier_with_prices_in_several_currencies(api):
    body = api.get(reverse("api-billing-plans")).json()

    assert body["success"] is True
    assert [p["tier"] for p in body["plans"]] == ["FREE", "PRO", "ENTERPRISE"]
    pro = body["plans"][1]
    assert pro["features"]["maxContentGenerations"] == 500
    assert {(p["interval"], p["currency"]) for p in pro["prices"]} >= {
        ("month", "usd"),
        ("year", "eur"),
        ("month", "gbp"),
    }
    assert body["plans"][2]["features"]["maxApiCalls"] is None


def test_subscription_and_usage_of_a_new_team(api):
    sub = api.get(reverse("api-billing-subscription")).json()["subscription"]
    usage = api.get(reverse("api-billing-usage")).json()["usageQuota"]

    assert (sub["tier"], sub["status"], sub["cancelAtPeriodEnd"]) == ("FREE", "ACTIVE", False)
    assert sub["features"]["maxContentGenerations"] == 10
    assert usage["maxContentGenerations"] == 10
    assert set(usage) == {"contentGenerations", "maxContentGenerations", "apiCalls", "maxApiCalls", "resetDate"}


def test_checkout_asks_stripe_for_tax_tax_ids_addresses_and_any_payment_method(api, owner, fake_stripe):
    sync_plans()

    response = api.post(
        reverse("api-billing-checkout"),
        {"tier": "PRO", "interval": "year", "currency": "EUR"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["url"].startswith(fake_stripe.checkout_base_url)
    params = _last_request(fake_stripe, "/v1/checkout/sessions")
    assert params["mode"] == "subscription"
    assert params["automatic_tax"] == {"enabled": "true"}
    assert params["tax_id_collection"] == {"enabled": "true"}
    assert params["billing_address_collection"] == "required"
    assert "payment_method_types" not in params
    price = fake_stripe.objects[params["line_items"][0]["price"]]
    assert (price["lookup_key"], price["currency"]) == ("contentgenai_pro_year_eur", "eur")
    customer = fake_stripe.objects[params["customer"]]
    assert customer["metadata"] == {"team_id": str(owner.current_team.pk)}
    assert params["success_url"].startswith("http://testserver/billing/?checkout=success")


def test_checkout_refuses_an_unknown_plan_without_calling_stripe(api, fake_stripe):
    response = api.post(
        reverse("api-billing-checkout"), {"tier": "FREE", "currency": "jpy"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"tier", "currency"}
    assert fake_stripe.requests == []


def test_portal_opens_for_a_paying_team(api, owner, client, fake_stripe):
    sync_plans()
    for event in start_checkout(fake_stripe, owner.current_team):
        deliver(client, event)

    response = api.post(reverse("api-billing-portal"))

    assert response.status_code == 200
    assert response.json()["url"].startswith(fake_stripe.portal_base_url)


def test_upgrade_applies_at_once_and_downgrade_waits_for_the_period_end(api, owner, client, fake_stripe):
    sync_plans()
    team = owner.current_team
    for event in start_checkout(fake_stripe, team):
        deliver(client, event)

    up = api.post(reverse("api-billing-subscription"), {"tier": "ENTERPRISE"}, content_type="application/json")

    assert up.json()["subscription"]["tier"] == "ENTERPRISE"
    assert UsageQuota.objects.get(team=team).max_content_generations is None
    assert (
        _last_request(fake_stripe, f"/v1/subscriptions/{Subscription.objects.get(team=team).stripe_subscription_id}")[
            "proration_behavior"
        ]
        == "create_prorations"
    )

    down = api.post(reverse("api-billing-subscription"), {"tier": "PRO"}, content_type="application/json")

    body = down.json()["subscription"]
    assert (body["tier"], body["pendingTier"]) == ("ENTERPRISE", "PRO")
    sub_id = Subscription.objects.get(team=team).stripe_subscription_id
    for event in fake_stripe.renew(sub_id, paid=True):
        deliver(client, event)
    sub = Subscription.objects.get(team=team)
    assert (sub.tier, sub.pending_tier) == ("PRO", "")
    assert UsageQuota.objects.get(team=team).max_content_generations == 500


def test_cancel_keeps_the_plan_until_the_period_ends(api, owner, client, fake_stripe):
    sync_plans()
    team = owner.current_team
    for event in start_checkout(fake_stripe, team):
        deliver(client, event)

    body = api.delete(reverse("api-billing-subscription")).json()["subscription"]

    assert (body["tier"], body["cancelAtPeriodEnd"]) == ("PRO", True)
    sub = dict(fake_stripe.subscription(Subscription.objects.get(team=team).stripe_subscription_id), status="canceled")
    deliver(client, fake_stripe.event("customer.subscription.deleted", sub, created=fake_stripe.clock + 60))
    assert Subscription.objects.get(team=team).tier == "FREE"
    assert UsageQuota.objects.get(team=team).max_content_generations == 10


@pytest.mark.parametrize("role", [Membership.Role.ADMIN, Membership.Role.EDITOR, Membership.Role.VIEWER])
@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("post", "api-billing-checkout"),
        ("post", "api-billing-portal"),
        ("post", "api-billing-subscription"),
        ("delete", "api-billing-subscription"),
    ],
)
def test_only_the_owner_may_change_the_plan(client, fake_stripe, role, method, name):
    team = TeamFactory()
    member = MembershipFactory(team=team, role=role).user
    client.force_login(member)

    response = getattr(client, method)(
        reverse(name), {"tier": "PRO"}, content_type="application/json", HTTP_X_TEAM_ID=str(team.pk)
    )

    assert response.status_code == 403
    assert fake_stripe.requests == []


@pytest.mark.parametrize(("method", "name"), TEAM_ENDPOINTS)
def test_another_teams_billing_is_a_404(api, method, name):
    other = TeamFactory()

    response = getattr(api, method)(reverse(name), {}, content_type="application/json", HTTP_X_TEAM_ID=str(other.pk))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(("method", "name"), TEAM_ENDPOINTS)
def test_every_endpoint_but_the_webhook_needs_a_login(client, method, name):
    response = getattr(client, method)(reverse(name), {}, content_type="application/json")

    assert response.status_code in (401, 403)


def test_without_stripe_keys_checkout_says_how_to_configure(api, settings):
    settings.STRIPE_TEST_SECRET_KEY = ""

    response = api.post(reverse("api-billing-checkout"), {"tier": "PRO"}, content_type="application/json")

    assert response.status_code == 503
    assert "STRIPE_TEST_SECRET_KEY" in response.json()["error"]["message"]


def test_self_hosted_hides_billing_endpoints(api, settings):
    settings.SELF_HOSTED = True

    assert api.get(reverse("api-billing-plans")).status_code == 404
    assert (
        api.post(reverse("api-billing-checkout"), {"tier": "PRO"}, content_type="application/json").status_code == 404
    )


def test_api_calls_are_metered_and_refused_over_the_quota(api, owner):
    team = owner.current_team
    UsageQuota.objects.filter(team=team).update(max_api_calls=3)

    codes = [api.get(reverse("api-me")).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    error = api.get(reverse("api-me")).json()["error"]
    assert error["code"] == "QUOTA_EXCEEDED"
    assert error["details"]["upgradeUrl"] == reverse("billing:overview")
    assert UsageQuota.objects.get(team=team).api_calls == 3


def test_jwt_calls_are_metered_too(client, owner):
    from rest_framework_simplejwt.tokens import RefreshToken

    token = str(RefreshToken.for_user(owner).access_token)

    client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Bearer {token}")

    assert UsageQuota.objects.get(team=owner.current_team).api_calls == 1


def test_generation_quota_answers_429_with_an_upgrade_link(owner):
    team = owner.current_team
    for _ in range(10):
        quota_consume(team=team, kind="content_generations")

    with pytest.raises(Exception) as excinfo:
        quota_consume(team=team, kind="content_generations")

    assert excinfo.value.status_code == 429
    assert excinfo.value.details["upgradeUrl"] == "/billing/"


def test_the_schema_still_builds_and_lists_billing(api):
    response = api.get("/api/schema/?format=json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/billing/plans/", "/api/billing/checkout/", "/api/billing/webhook/", "/api/billing/usage/"):
        assert path in paths


def test_metering_leaves_session_and_csrf_handling_to_the_view(owner):
    # given a dashboard session with CSRF enforced, as a browser's fetch() would be
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get(reverse("billing:usage"))
    token = client.cookies["csrftoken"].value

    ok = client.post(reverse("api-billing-portal"), {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    refused = client.post(reverse("api-billing-portal"), {}, content_type="application/json")

    assert ok.status_code == 409  # authenticated (no Stripe customer yet), not 401
    assert refused.status_code == 403  # the view still enforces CSRF
    assert UsageQuota.objects.get(team=owner.current_team).api_calls == 2


def test_refusals_and_usage_labels_speak_the_callers_language(api, owner):
    from django.core.cache import cache

    from accounts.services import user_preferences_ensure

    cache.clear()  # cached language preferences
    prefs = user_preferences_ensure(user=owner)
    prefs.language = "es"
    prefs.save()
    team = owner.current_team

    # a plan feature the team lacks (402) and a used-up quota (429)
    feature = api.post("/api/analytics/export", {"format": "CSV"}, content_type="application/json").json()
    UsageQuota.objects.filter(team=team).update(max_api_calls=1, api_calls=1)
    quota = api.get(reverse("api-me")).json()
    UsageQuota.objects.filter(team=team).update(max_api_calls=100, api_calls=0, content_generations=10)
    usage_page = api.get(reverse("billing:usage")).content.decode()

    assert feature["error"]["message"] == "Tu plan no incluye las analíticas avanzadas. Mejora tu plan para usarlas."
    assert quota["error"]["message"] == "Este espacio de trabajo ha usado sus 1 llamadas a la API de este periodo."
    assert "Generaciones con IA" in usage_page and "Llamadas a la API" in usage_page


def test_limit_messages_count_in_the_singular_and_the_plural():
    from django.utils import translation

    from billing.entitlements import require_within_limit
    from core.api.errors import QuotaExceeded

    team = UserFactory().current_team
    with translation.override("en"), pytest.raises(QuotaExceeded) as one:
        require_within_limit(team, "max_team_members", current=1)
    with translation.override("en"), pytest.raises(QuotaExceeded) as several:
        require_within_limit(team, "max_social_accounts", current=3)

    assert one.value.message == "Your plan allows 1 team member. Upgrade for more."
    assert several.value.message == "Your plan allows 3 social accounts. Upgrade for more."
