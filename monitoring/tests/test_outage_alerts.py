"""Outage alerts: fire once when a condition starts, resolve when it clears, keep a history."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
import respx
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from core.models import BackupRun
from monitoring.models import AlertEvent, HealthSample
from monitoring.request_stats import request_record
from monitoring.tasks import evaluate_alerts
from monitoring.tests import flaky_urls
from scheduling.models import ScheduleStatus
from scheduling.services import dispatch_due_posts
from scheduling.tests.factories import ScheduledPostFactory
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db
HOOK = "https://hooks.example.test/ops"


@pytest.fixture(autouse=True)
def outage_settings(settings):
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.ALERT_WEBHOOK_URL = HOOK
    settings.ALERT_REQUEST_WINDOW_MINUTES = 5
    settings.ALERT_MIN_REQUESTS = 10
    settings.ALERT_5XX_RATE = 0.05
    settings.ALERT_P95_LATENCY_SECONDS = 4.0
    settings.ALERT_DISPATCH_LAG_SECONDS = 300
    settings.ALERT_COOLDOWN_MINUTES = 60
    return settings


@pytest.fixture
def flaky(settings):
    settings.ROOT_URLCONF = "monitoring.tests.flaky_urls"
    flaky_urls.state.update(failing=False, error=RuntimeError)
    yield flaky_urls.state
    flaky_urls.state.update(failing=False, error=RuntimeError)


def _hit(client: Client, times: int) -> list[int]:
    return [client.get("/flaky/").status_code for _ in range(times)]


def test_the_5xx_rate_alert_fires_once_when_a_view_fails_and_resolves_when_it_stops(flaky):
    client = Client(raise_request_exception=False)
    start = timezone.now()
    with respx.mock(assert_all_called=True) as hooks, time_machine.travel(start, tick=False) as clock:
        route = hooks.post(HOOK).mock(return_value=httpx.Response(200))
        # given a healthy view
        assert _hit(client, 20) == [200] * 20
        assert evaluate_alerts.apply().get() == 0

        # when it starts failing: one alert, however often the check runs
        flaky["failing"] = True
        assert set(_hit(client, 10)) == {500}
        clock.shift(timedelta(minutes=1))
        sent = [evaluate_alerts.apply().get() for _ in range(3)]

        # then it recovers; once the failures leave the window the alert resolves
        flaky["failing"] = False
        clock.shift(timedelta(minutes=5))
        assert _hit(client, 20) == [200] * 20
        evaluate_alerts.apply().get()
        evaluate_alerts.apply().get()

    assert sent == [1, 0, 0]
    subjects = [m.subject for m in mail.outbox if "Internal Server Error" not in m.subject]
    assert len(subjects) == 2
    assert "HTTP 5xx rate 33.3%" in subjects[0]  # 10 of 30 requests in the window
    assert subjects[1].endswith("Resolved: " + subjects[0].split("] ", 1)[-1])
    states = [json.loads(call.request.content)["state"] for call in route.calls]
    assert states == ["firing", "resolved"]
    event = AlertEvent.objects.get(key="http-5xx-rate")
    assert event.resolved_at == start + timedelta(minutes=6)
    assert event.details["errors"] == 10


def test_requests_failing_on_database_errors_alert_even_while_the_probe_passes(flaky, outage_settings):
    outage_settings.ALERT_WEBHOOK_URL = ""
    outage_settings.ALERT_DATABASE_ERRORS = 5
    outage_settings.ALERT_MIN_REQUESTS = 1000  # keep the 5xx-rate alert out of this test
    client = Client(raise_request_exception=False)
    flaky.update(failing=True, error=RuntimeError)
    _hit(client, 6)  # not database errors
    assert evaluate_alerts.apply().get() == 0

    flaky.update(error=flaky_urls.OperationalError)
    _hit(client, 5)

    assert evaluate_alerts.apply().get() == 1
    alert = AlertEvent.objects.get(resolved_at__isnull=True)
    assert (alert.key, alert.details["errors"]) == ("database-errors", 5)
    assert HealthSample.objects.filter(ok=True).count() == 2  # the probe itself passed both times


def test_the_alert_shows_in_the_status_page_history(flaky, staff_client):
    client = Client(raise_request_exception=False)
    flaky["failing"] = True
    _hit(client, 12)
    with respx.mock() as hooks:
        hooks.post(HOOK).mock(return_value=httpx.Response(200))
        evaluate_alerts.apply().get()

    page = staff_client.get("/admin/status/").content.decode()

    history = page[page.index('id="alert-history"') :]
    assert "OPEN" in history and "HTTP 5xx rate 100.0%" in history
    requests = page[page.index('id="request-stats"') :]
    assert "page:flaky" in requests


def _due(account, **kwargs):
    return ScheduledPostFactory(
        post__author=account.team.owner, post__team=account.team, social_account=account, **kwargs
    )


def test_dispatch_lag_alerts_when_no_worker_runs_with_posts_due(outage_settings):
    outage_settings.ALERT_WEBHOOK_URL = ""
    account = SocialAccountFactory()
    # given a post due ten minutes ago that nothing dispatched (beat and workers are stopped)
    due = _due(account, scheduled_at=timezone.now() - timedelta(minutes=10))
    # and one due a minute ago, not late yet, and one tomorrow
    _due(account, scheduled_at=timezone.now() - timedelta(minutes=1))
    _due(account)

    assert evaluate_alerts.apply().get() == 1

    assert mail.outbox[0].subject.endswith("Due posts are not going out: the oldest is 600 s late")
    event = AlertEvent.objects.get(key="dispatch-lag", resolved_at__isnull=True)
    assert event.details["due"] == 2

    # when the dispatcher runs again (the posts are claimed and delivered), the alert resolves
    dispatch_due_posts()
    due.refresh_from_db()
    assert due.status != ScheduleStatus.PENDING
    evaluate_alerts.apply().get()
    event.refresh_from_db()
    assert event.resolved_at is not None


def test_claimed_posts_no_worker_delivers_count_as_lag(outage_settings):
    outage_settings.ALERT_WEBHOOK_URL = ""
    ScheduledPostFactory(status=ScheduleStatus.PROCESSING, claimed_at=timezone.now() - timedelta(minutes=15))

    assert evaluate_alerts.apply().get() == 1
    assert "900 s late" in mail.outbox[0].subject


def test_slow_route_group_alerts_on_its_p95(outage_settings):
    outage_settings.ALERT_WEBHOOK_URL = ""
    for _ in range(9):
        request_record(group="api:content", status=200, seconds=0.2)
    for _ in range(11):
        request_record(group="api:content", status=200, seconds=9.0)
    for _ in range(30):
        request_record(group="page:dashboard", status=200, seconds=0.08)

    assert evaluate_alerts.apply().get() == 1

    assert mail.outbox[0].subject.endswith("Slow responses on api:content: p95 up to 16 s")


def test_a_stale_backup_alerts(outage_settings):
    outage_settings.ALERT_WEBHOOK_URL = ""
    outage_settings.ALERT_BACKUP_MAX_AGE_HOURS = 26
    run = BackupRun.objects.create(name="nightly", vendor="sqlite", status=BackupRun.Status.SUCCEEDED)
    BackupRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(hours=30))

    assert evaluate_alerts.apply().get() == 1
    assert mail.outbox[0].subject.endswith("No successful backup for 30 hours")


def test_a_failing_cache_alerts_and_counts_against_uptime(outage_settings, settings):
    outage_settings.ALERT_WEBHOOK_URL = ""
    # a Redis nobody listens on: the readiness check's ping fails
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            # as in base.py: an outage degrades to cache misses
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "IGNORE_EXCEPTIONS": True},
        }
    }

    evaluate_alerts.apply().get()

    sample = HealthSample.objects.get()
    assert sample.ok is False and "cache" in sample.failed
    assert AlertEvent.objects.filter(key="dependency-cache", resolved_at__isnull=True).exists()
    assert any("Redis (cache) is failing" in m.subject for m in mail.outbox)


def test_uptime_comes_from_probes_over_time(staff_client, settings):
    settings.ALERT_CHECK_SECONDS = 60
    now = timezone.now()
    # 60 probes over the last hour, 3 of them failed; nothing before
    for minute in range(60):
        HealthSample.objects.create(at=now - timedelta(minutes=minute), ok=minute not in (5, 6, 7))

    page = staff_client.get("/admin/status/").content.decode()

    assert "Uptime, last 24 hours (health probes)" in page
    assert "95.0% (57 of 60 probes passed" in page
