from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from analytics.models import ABTest, CompetitorPost
from analytics.tests.conftest import make_history

pytestmark = pytest.mark.django_db


def test_pro_page_shows_dashboard_and_advanced_sections(client, pro_user, history):
    client.force_login(pro_user)
    response = client.get(reverse("analytics:dashboard") + "?timeRange=7d")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="analytics-data"' in html and 'type="application/json"' in html
    assert "forecast-chart" in html and "data-export-format" in html
    assert 'data-testid="upgrade-prompt"' not in html
    assert "style=" not in html and "<script>" not in html  # the CSP forbids inline styles and scripts
    assert 'aria-current="page"' in html


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_free_page_shows_the_upgrade_prompt(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("analytics:dashboard") + "?timeRange=bogus&platform=nope").content.decode()
    assert 'data-testid="upgrade-prompt"' in html and "forecast-chart" not in html
    assert "Unknown time range" in html


def test_page_query_count_is_flat(client, pro_user):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analytics.services import abtest_create

    client.force_login(pro_user)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("analytics:dashboard")).status_code == 200
        return len(ctx.captured_queries)

    posts = make_history(pro_user, posts=2, days=5)
    abtest_create(
        team=pro_user.current_team, user=pro_user, name="A", platform="linkedin", post_ids=[p.pk for p in posts]
    )
    CompetitorPost.objects.create(team=pro_user.current_team, competitor="Acme", platform="linkedin", text="Hi!")
    client.get(reverse("analytics:dashboard"))  # warm the per-process memos (model lookups, sessions)
    few = count()
    more = make_history(pro_user, posts=40, days=12)
    for i in range(4):
        abtest_create(
            team=pro_user.current_team,
            user=pro_user,
            name=f"B{i}",
            platform="linkedin",
            post_ids=[more[2 * i].pk, more[2 * i + 1].pk],
        )
        CompetitorPost.objects.create(team=pro_user.current_team, competitor=f"C{i}", platform="x", text="Yo")

    assert count() == few


def test_forms_create_and_remove_and_other_teams_get_404(client, pro_user, history):
    client.force_login(pro_user)
    client.post(
        reverse("analytics:competitor_add"),
        {"competitor": "Acme", "platform": "linkedin", "text": "Hi!", "impressions": "10", "likes": "1"},
    )
    competitor = CompetitorPost.objects.get(team=pro_user.current_team)
    client.post(
        reverse("analytics:abtest_add"),
        {"name": "Hook", "platform": "linkedin", "post_ids": [str(history[0].pk), str(history[1].pk)]},
    )
    assert ABTest.objects.filter(team=pro_user.current_team).count() == 1
    # an invalid form changes nothing
    client.post(reverse("analytics:abtest_add"), {"name": "", "platform": "linkedin", "post_ids": [str(history[0].pk)]})
    assert ABTest.objects.count() == 1

    stranger = UserFactory()
    client.force_login(stranger)
    assert client.post(reverse("analytics:competitor_remove", args=[competitor.pk])).status_code == 404
    client.post(
        reverse("analytics:abtest_add"),
        {"name": "Steal", "platform": "linkedin", "post_ids": [str(history[0].pk), str(history[1].pk)]},
    )
    assert ABTest.objects.count() == 1
    assert CompetitorPost.objects.filter(pk=competitor.pk).exists()

    client.force_login(pro_user)
    assert client.post(reverse("analytics:competitor_remove", args=[competitor.pk])).status_code == 302
    assert not CompetitorPost.objects.exists()
    assert client.post(reverse("analytics:model_train")).status_code == 302


def test_rebuild_command(pro_user, history):
    from django.core.management import call_command

    from analytics.models import DailyMetricRollup

    before = DailyMetricRollup.objects.count()
    DailyMetricRollup.objects.all().delete()
    call_command("rebuild_metric_rollups")
    assert DailyMetricRollup.objects.count() == before
    call_command("rebuild_metric_rollups", team=str(pro_user.current_team_id))
    assert DailyMetricRollup.objects.count() == before


def test_sidebar_points_at_the_page(client, pro_user):
    client.force_login(pro_user)
    assert 'href="/analytics/"' in client.get(reverse("dashboard:home")).content.decode()


def test_unpublished_variants_get_comparable_slots_to_be_scheduled_in(client, pro_user, history):
    from content.tests.factories import ContentPostFactory

    client.force_login(pro_user)
    drafts = [ContentPostFactory(author=pro_user, title=f"Hook {n}", status="DRAFT") for n in "AB"]
    client.post(
        reverse("analytics:abtest_add"),
        {"name": "Hooks", "platform": "linkedin", "post_ids": [str(p.pk) for p in drafts]},
    )
    test = ABTest.objects.get(name="Hooks")

    html = client.get(reverse("analytics:dashboard")).content.decode()
    variants = client.get(f"/api/analytics/ab-tests/{test.pk}").json()["data"]["variants"]

    assert html.count('data-testid="ab-suggested-slot"') == 2 and "/calendar/?date=" in html
    first, second = (datetime.fromisoformat(v["suggestedAt"]) for v in variants)
    assert second - first == timedelta(weeks=1)  # the same hour of the week: comparable slots
