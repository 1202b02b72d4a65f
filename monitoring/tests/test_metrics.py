"""/metrics: who may scrape it, and that each figure moves when the thing it counts happens."""

from __future__ import annotations

import pytest
from celery import Celery
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app as celery_app
from content.tests.factories import ContentPostFactory
from core.models import Heartbeat
from scheduling.tests.factories import ScheduledPostFactory
from social.models import PublishStatus
from social.services.publishing import publish_result_deliver, publish_result_prepare
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_anonymous_scrape_is_401_with_a_bearer_challenge(client):
    response = client.get("/metrics")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"django_http" not in response.content


def test_a_wrong_token_is_401(client, settings):
    settings.METRICS_TOKEN = "the-right-token"  # noqa: S105

    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer the-wrong-token").status_code == 401


def test_no_token_configured_means_no_token_works(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_a_signed_in_customer_is_403(client, member):
    client.force_login(member)

    assert client.get("/metrics").status_code == 403


def test_a_staff_session_can_read_metrics(staff_client):
    response = staff_client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_request_latency_errors_and_database_time_are_exported(client, scrape, member):
    # given some traffic: a page, a 404 and a database query
    client.get("/healthz")
    client.get("/no-such-page-at-all")
    client.force_login(member)
    client.get("/dashboard/")
    client.logout()

    # when
    metrics = scrape()

    # then
    assert metrics.value("django_http_requests_latency_seconds_by_view_method_count", view="healthz") >= 1
    assert metrics.value("django_http_responses_total_by_status_total", status="404") >= 1
    assert metrics.value("django_db_execute_total") > 0
    assert metrics.value("django_db_query_duration_seconds_count") > 0


def test_publish_successes_and_failures_are_counted_per_platform(scrape, member):
    before = scrape()
    post = ContentPostFactory(author=member, content="Counting deliveries", hashtags=[])
    good = SocialAccountFactory(team=member.current_team)
    gone = SocialAccountFactory(team=member.current_team, is_active=False)

    # when one delivery succeeds and one fails
    ok = publish_result_deliver(result_id=publish_result_prepare(post=post, account=good).pk)
    failed = publish_result_deliver(result_id=publish_result_prepare(post=post, account=gone).pk)

    # then
    assert (ok.status, failed.status) == (PublishStatus.SUCCESS, PublishStatus.FAILED)
    after = scrape()
    for outcome in ("success", "failure"):
        labels = {"platform": "sandbox", "outcome": outcome}
        assert (
            after.value("contentgenai_publish_total", **labels) - before.value("contentgenai_publish_total", **labels)
            == 1
        )


def test_ai_latency_is_observed_per_provider_and_failures_are_counted(scrape, member, settings):
    settings.AI_PROVIDER_PRIORITY = ["offline"]
    api = APIClient()
    api.force_authenticate(member)
    body = {
        "prompt": "Cold brew",
        "platform": "linkedin",
        "tone": "fun",
        "audience": "baristas",
        "contentType": "CAPTION",
    }
    before = scrape()

    # when the offline provider answers once, then every provider is unreachable once
    assert api.post("/api/content/generate", body, format="json").status_code == 200
    settings.AI_PROVIDER_PRIORITY = ["openai"]
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"  # discard port: nothing answers
    settings.AI_RETRY_ATTEMPTS = 1
    settings.AI_REQUEST_TIMEOUT = 1.0
    assert api.post("/api/content/generate", {**body, "prompt": "Iced latte"}, format="json").status_code == 503

    # then
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return after.value(name, **labels) - before.value(name, **labels)

    assert delta("contentgenai_ai_latency_seconds_count", provider="offline") == 1
    assert delta("contentgenai_ai_requests_total", provider="offline", outcome="success") == 1
    assert delta("contentgenai_ai_requests_total", provider="none", outcome="failure") == 1


def test_due_schedules_and_heartbeat_age_are_gauges(scrape):
    ScheduledPostFactory.create_batch(3, scheduled_at=timezone.now() - timezone.timedelta(minutes=1))
    ScheduledPostFactory()  # due tomorrow
    Heartbeat.objects.create(name="beat", beat_at=timezone.now() - timezone.timedelta(seconds=90))

    metrics = scrape()

    assert metrics.value("contentgenai_scheduled_posts_due") == 3
    assert 90 <= metrics.value("contentgenai_heartbeat_age_seconds", name="beat") < 120


def test_queue_length_is_read_from_the_redis_broker(scrape, redis_url, monkeypatch):
    # given three messages waiting on a real Redis broker and no worker
    sender = Celery("sender", broker=redis_url, set_as_current=False)
    with sender.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
        for _ in range(3):
            sender.send_task("core.tasks.ping", args=["x"], queue="celery", connection=conn)
    monkeypatch.setattr(celery_app.conf, "broker_url", redis_url)
    monkeypatch.setattr(celery_app.conf, "broker_read_url", None)
    try:
        # when
        metrics = scrape()
    finally:
        with sender.connection_for_write() as conn:
            conn.default_channel.queue_purge("celery")

    # then
    assert metrics.value("contentgenai_celery_queue_length", queue="celery") == 3


def test_a_dead_broker_leaves_the_queue_gauge_out_instead_of_failing_the_scrape(scrape, closed_port, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port}/0")
    monkeypatch.setattr(celery_app.conf, "broker_read_url", None)

    metrics = scrape()

    assert "contentgenai_celery_queue_length" not in metrics.names()
    assert "contentgenai_scheduled_posts_due" in metrics.names()
