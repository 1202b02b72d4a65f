from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from analytics.models import AnalyticsExport, CompetitorPost
from analytics.services import abtest_create
from analytics.tests.conftest import make_history
from content.tests.factories import ContentPostFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shape_matches_the_contract(api, history):
    response = api.get("/api/analytics/dashboard?timeRange=30d")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    assert {"timeRange", "totals", "previous", "change", "byPlatform", "series", "topPosts"} <= set(data)
    for field in ("views", "likes", "shares", "comments", "clicks", "engagementRate", "reach", "impressions"):
        assert field in data["totals"]
    assert data["totals"]["impressions"] == sum(1000 + i for i in range(3))
    assert len(data["series"]) == 30
    assert data["byPlatform"][0]["platform"] == "linkedin"
    assert len(data["topPosts"]) == 3


def test_dashboard_rejects_bad_ranges_and_platforms(api):
    for query in ("timeRange=5y", "timeRange=2025-02-01..2025-01-01", "platform=myspace"):
        response = api.get(f"/api/analytics/dashboard?{query}")
        assert response.status_code == 400, query
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
        assert response.json()["error"]["details"]


def test_dashboard_custom_range_and_platform(api, history):
    response = api.get("/api/analytics/dashboard?timeRange=2020-01-01..2020-01-31&platform=x")
    assert response.status_code == 200
    assert response.json()["data"]["totals"]["impressions"] == 0


def test_dashboard_query_count_is_the_same_for_10_and_500_posts(api, pro_user):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> list[str]:
        cache.clear()  # measure the uncached path
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/analytics/dashboard?timeRange=90d&platform=linkedin").status_code == 200
            assert api.get("/api/analytics/dashboard?timeRange=30d").status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    make_history(pro_user, posts=1, days=10)
    small = queries()
    make_history(pro_user, posts=50, days=10)  # 500 more snapshots, 50 more posts
    large = queries()

    assert len(small) == len(large)
    # per request: membership and plan (metering, throttle, team context), the fold check (2), the five reads
    # (activity now and before, whether anything was measured before, the series, the top posts)
    assert len(large) <= 22


def test_dashboard_is_cached_and_invalidated_by_new_metrics(api, pro_user, history, django_capture_on_commit_callbacks):
    first = api.get("/api/analytics/dashboard?timeRange=7d").json()["data"]["totals"]["likes"]
    from django.utils import timezone

    from analytics.models import ContentAnalytics

    with django_capture_on_commit_callbacks(execute=True):
        ContentAnalytics.objects.create(post=history[0], platform="linkedin", recorded_at=timezone.now(), likes=10_000)
    second = api.get("/api/analytics/dashboard?timeRange=7d").json()["data"]["totals"]["likes"]
    assert second > first


def test_new_metrics_send_a_team_event(pro_user, history, django_capture_on_commit_callbacks):
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer
    from django.utils import timezone

    from analytics.models import ContentAnalytics

    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"team.{pro_user.current_team_id}", channel)
    with django_capture_on_commit_callbacks(execute=True):
        ContentAnalytics.objects.create(post=history[0], platform="linkedin", recorded_at=timezone.now(), likes=1)
    message = async_to_sync(layer.receive)(channel)
    assert message["type"] == "team_event"
    assert message["event"]["kind"] == "analytics.updated"


def test_engagement_of_one_post_and_all(api, history):
    one = api.get(f"/api/analytics/engagement?postId={history[0].pk}&timeRange=30d").json()["data"]
    assert one["postId"] == str(history[0].pk)
    assert len(one["series"]) == 10
    everything = api.get("/api/analytics/engagement?timeRange=7d").json()["data"]
    assert len(everything["series"]) == 7


def test_free_plan_gets_402_for_advanced_parts(db):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(UserFactory())
    assert client.get("/api/analytics/dashboard").status_code == 200
    for method, url in [
        ("post", "/api/analytics/export"),
        ("get", "/api/analytics/forecast"),
        ("get", "/api/analytics/model"),
        ("get", "/api/analytics/ab-tests"),
        ("get", "/api/analytics/competitors"),
        ("get", "/api/analytics/insights"),
        ("post", "/api/analytics/predict"),
    ]:
        response = getattr(client, method)(url, {"format": "CSV"} if method == "post" else None, format="json")
        assert response.status_code == 402, url
        assert response.json()["error"]["code"] == "PLAN_FEATURE_REQUIRED"


def test_export_request_then_download(api, history, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(
            "/api/analytics/export", {"format": "csv", "timeRange": "30d", "metrics": ["likes"]}, format="json"
        )
    assert response.status_code == 200
    url = response.json()["downloadUrl"]
    assert api.get(url).status_code == 202
    assert api.get(url).json() == {"success": True, "status": "pending"}
    for callback in callbacks:
        callback()
    done = api.get(url)
    assert done.status_code == 200
    assert b"section,kind,date,platform,platformName,simulated,likes" in b"".join(done.streaming_content)


def test_export_rejects_bad_input_and_changes_nothing(api):
    response = api.post(
        "/api/analytics/export", {"format": "DOCX", "timeRange": "nope", "metrics": ["mood"]}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) >= {"format", "timeRange", "metrics"}
    assert not AnalyticsExport.objects.exists()


def test_forged_or_expired_download_links_are_404(api, settings, history, django_capture_on_commit_callbacks):
    assert api.get("/api/analytics/exports/not-a-token").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        url = api.post("/api/analytics/export", {"format": "JSON"}, format="json").json()["downloadUrl"]
    settings.ANALYTICS_EXPORT_URL_MAX_AGE = -1
    assert api.get(url).status_code == 404


def test_predict_best_times_forecast_model(api, history):
    prediction = api.post(
        "/api/analytics/predict",
        {"platform": "linkedin", "text": "Great news! #launch", "hasMedia": True},
        format="json",
    ).json()["data"]
    assert 0 <= prediction["score"] <= 100 and prediction["reasons"] and prediction["model"]["kind"]
    slots = api.get("/api/analytics/best-times?platform=linkedin&limit=3").json()["data"]["slots"]
    assert len(slots) == 3 and {"weekday", "hour", "score", "confidence", "reason"} <= set(slots[0])
    forecast = api.get("/api/analytics/forecast").json()["data"]["metrics"]["impressions"]
    assert len(forecast["points"]) == 30
    assert api.get("/api/analytics/model").json()["data"]["kind"] == "global_prior"
    assert api.post("/api/analytics/model").status_code == 202


def test_ab_test_and_competitor_endpoints(api, pro_user, history):
    response = api.post(
        "/api/analytics/ab-tests",
        {"name": "Hook", "platform": "linkedin", "postIds": [str(history[0].pk), str(history[1].pk)]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["test"].startswith("two-proportion z-test") and len(data["suggestedSlots"]) == 2
    assert api.get(f"/api/analytics/ab-tests/{data['id']}").json()["data"]["variants"][0]["label"] == "A"
    created = api.post(
        "/api/analytics/competitors",
        {"competitor": "Acme", "platform": "linkedin", "text": "We are thrilled!", "impressions": 100, "likes": 9},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["competitorPost"]["measures"]["engagementRate"] == 0.09
    assert (
        api.post(
            "/api/analytics/competitors", {"competitor": "Acme", "platform": "linkedin"}, format="json"
        ).status_code
        == 400
    )
    listing = api.get("/api/analytics/competitors").json()["data"]
    assert listing["competitors"][0]["competitor"] == "Acme"
    assert api.get("/api/analytics/insights?timeRange=30d").json()["data"]["byLanguage"]
    cid = listing["competitors"][0]["id"]
    assert api.delete(f"/api/analytics/competitors/{cid}").status_code == 204


def test_every_endpoint_hides_other_teams_objects(
    api, stranger_api, pro_user, history, django_capture_on_commit_callbacks
):
    # given: objects of pro_user's team
    test = abtest_create(
        team=pro_user.current_team,
        user=pro_user,
        name="T",
        platform="linkedin",
        post_ids=[str(history[0].pk), str(history[1].pk)],
    )
    competitor = CompetitorPost.objects.create(team=pro_user.current_team, competitor="A", platform="x", text="t")
    with django_capture_on_commit_callbacks(execute=True):
        url = api.post("/api/analytics/export", {"format": "CSV"}, format="json").json()["downloadUrl"]

    # then: the stranger sees 404s for each of them
    assert stranger_api.get(f"/api/analytics/engagement?postId={history[0].pk}").status_code == 404
    assert stranger_api.get(f"/api/analytics/ab-tests/{test.pk}").status_code == 404
    assert stranger_api.post(f"/api/analytics/ab-tests/{test.pk}").status_code == 404
    assert stranger_api.delete(f"/api/analytics/competitors/{competitor.pk}").status_code == 404
    assert stranger_api.get(url).status_code == 404
    assert (
        stranger_api.post(
            "/api/analytics/ab-tests",
            {"name": "x", "platform": "linkedin", "postIds": [str(history[0].pk), str(history[1].pk)]},
            format="json",
        ).status_code
        == 404
    )
    assert stranger_api.get(f"/api/analytics/engagement?postId={uuid.uuid4()}").status_code == 404
    # the team-scoped reads show nothing of the other team
    assert stranger_api.get("/api/analytics/dashboard").json()["data"]["totals"]["impressions"] == 0
    assert stranger_api.get("/api/analytics/competitors").json()["data"]["competitors"] == []
    assert stranger_api.get("/api/analytics/ab-tests").json()["results"] == []
    assert CompetitorPost.objects.filter(pk=competitor.pk).exists()


def test_x_team_id_of_a_team_the_user_is_not_in_is_404(api, stranger_api, pro_user):
    other_team = UserFactory().current_team
    for url in (
        "/api/analytics/dashboard",
        "/api/analytics/engagement",
        "/api/analytics/best-times",
        "/api/analytics/forecast",
        "/api/analytics/insights",
        "/api/analytics/model",
    ):
        assert api.get(url, HTTP_X_TEAM_ID=str(other_team.pk)).status_code == 404, url


def test_schema_builds(api):
    response = api.get(reverse("api-schema") + "?format=json")
    assert response.status_code == 200
    assert "/api/analytics/dashboard" in response.json()["paths"]


def test_anonymous_is_refused(client):
    assert client.get("/api/analytics/dashboard").status_code == 401
    ContentPostFactory  # noqa: B018


@pytest.mark.parametrize("url", ["/api/analytics/ab-tests", "/api/analytics/competitors", "/api/analytics/insights"])
def test_list_endpoints_run_a_flat_number_of_queries(api, pro_user, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        posts = make_history(pro_user, posts=2 * n, days=3)
        for i in range(n):
            abtest_create(
                team=pro_user.current_team,
                user=pro_user,
                name=f"T{i}",
                platform="linkedin",
                post_ids=[posts[2 * i].pk, posts[2 * i + 1].pk],
            )
            CompetitorPost.objects.create(team=pro_user.current_team, competitor=f"C{i}", platform="x", text="Hey!")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    few = count()
    add(6)
    assert count() == few
