"""Alerts: a failure rate over its threshold emails ADMINS and calls the webhook once per cooldown."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from content.models import GenerationRecord
from content.tests.factories import ContentPostFactory
from core.models import Heartbeat
from monitoring.alerts import threshold_crossed
from monitoring.selectors import FailureRate, publish_failure_rate
from monitoring.tasks import evaluate_alerts
from social.models import PublishResult, PublishStatus
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db
HOOK = "https://hooks.example.test/ops"


@pytest.fixture(autouse=True)
def alert_settings(settings):
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.ALERT_PUBLISH_FAILURE_RATE = 0.25
    settings.ALERT_AI_FAILURE_RATE = 0.5
    settings.ALERT_MIN_EVENTS = 4
    settings.ALERT_WINDOW_MINUTES = 60
    settings.ALERT_COOLDOWN_MINUTES = 60
    settings.ALERT_WEBHOOK_URL = HOOK
    return settings


def _deliveries(*, ok: int, failed: int, when=None) -> None:
    when = when or timezone.now()
    post = ContentPostFactory()
    for i in range(ok + failed):
        account = SocialAccountFactory(team=post.team)
        status = PublishStatus.SUCCESS if i < ok else PublishStatus.FAILED
        result = PublishResult.objects.create(
            post=post,
            social_account=account,
            platform=account.platform,
            status=status,
            published_at=when if status == PublishStatus.SUCCESS else None,
            error="" if i < ok else "rejected",
        )
        PublishResult.objects.filter(pk=result.pk).update(updated_at=when)


def test_crossing_the_publish_threshold_alerts_exactly_once(alert_settings):
    # given 2 of 5 deliveries failed in the last hour: 40% is over 25%
    _deliveries(ok=3, failed=2)

    with respx.mock(assert_all_called=True) as hooks:
        route = hooks.post(HOOK).mock(return_value=httpx.Response(200))
        # when beat runs the check three times within the cooldown
        sent = [evaluate_alerts.apply().get() for _ in range(3)]

    # then one email to ADMINS and one webhook call
    assert sent == [1, 0, 0]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.com"]
    assert "Publishing failure rate 40.0%" in mail.outbox[0].subject
    assert route.call_count == 1
    payload = json.loads(route.calls[0].request.content)
    assert payload["alert"] == "publish-failure-rate"
    assert payload["details"] == {"failures": 2, "total": 5, "rate": 0.4, "threshold": 0.25}
    assert "Publishing failure rate" in payload["text"]


def test_below_the_threshold_nothing_is_sent():
    _deliveries(ok=9, failed=2)  # 18%

    with respx.mock(assert_all_called=False) as hooks:
        route = hooks.post(HOOK).mock(return_value=httpx.Response(200))
        assert evaluate_alerts.apply().get() == 0

    assert mail.outbox == []
    assert route.call_count == 0


def test_too_few_attempts_never_alert_whatever_the_rate():
    _deliveries(ok=0, failed=3)  # 100%, but under ALERT_MIN_EVENTS

    with respx.mock(assert_all_called=False):
        assert evaluate_alerts.apply().get() == 0
    assert mail.outbox == []


def test_failures_outside_the_window_do_not_count():
    _deliveries(ok=0, failed=6, when=timezone.now() - timezone.timedelta(hours=3))

    with respx.mock(assert_all_called=False):
        assert evaluate_alerts.apply().get() == 0


def test_the_cooldown_expiring_lets_the_next_alert_through(alert_settings):
    _deliveries(ok=1, failed=4)
    alert_settings.ALERT_WEBHOOK_URL = ""
    assert evaluate_alerts.apply().get() == 1

    cache.clear()  # the cooldown key expired

    assert evaluate_alerts.apply().get() == 1
    assert len(mail.outbox) == 2


def test_ai_failure_rate_alerts_and_cache_hits_are_not_attempts(alert_settings):
    post = ContentPostFactory()
    for succeeded in (False, False, False, True):
        GenerationRecord.objects.create(team=post.team, kind="CAPTION", succeeded=succeeded, provider="openai")
    GenerationRecord.objects.create(team=post.team, kind="CAPTION", succeeded=True, cache_hit=True)
    alert_settings.ALERT_WEBHOOK_URL = ""

    assert evaluate_alerts.apply().get() == 1
    assert "AI generation failure rate 75.0%" in mail.outbox[0].subject


def test_a_stale_heartbeat_alerts(alert_settings):
    alert_settings.ALERT_WEBHOOK_URL = ""
    Heartbeat.objects.create(name="beat", beat_at=timezone.now() - timezone.timedelta(minutes=30))
    Heartbeat.objects.create(name="nightly-job", beat_at=timezone.now() - timezone.timedelta(days=2))  # no limit

    assert evaluate_alerts.apply().get() == 1
    assert mail.outbox[0].subject.endswith("Heartbeat “beat” is 1800 s old")


def test_a_broken_webhook_still_emails_and_does_not_fail_the_task():
    _deliveries(ok=0, failed=5)

    with respx.mock() as hooks:
        hooks.post(HOOK).mock(return_value=httpx.Response(502))
        assert evaluate_alerts.apply().get() == 1

    assert len(mail.outbox) == 1


# Property 40: Alerting and Status Reporting
@given(
    failures=st.integers(min_value=0, max_value=500),
    extra=st.integers(min_value=0, max_value=500),
    threshold=st.floats(min_value=0.01, max_value=1.0),
    min_events=st.integers(min_value=0, max_value=50),
)
def test_an_alert_fires_exactly_when_enough_attempts_failed_at_or_above_the_threshold(
    failures, extra, threshold, min_events
):
    rate = FailureRate(total=failures + extra, failures=failures)

    crossed = threshold_crossed(rate=rate, threshold=threshold, min_events=min_events)

    assert 0.0 <= rate.rate <= 1.0
    enough = rate.total >= max(min_events, 1)
    if crossed:
        assert enough and rate.rate >= threshold - 1e-9
        # one more failure never silences an alert
        worse = FailureRate(total=rate.total + 1, failures=rate.failures + 1)
        assert threshold_crossed(rate=worse, threshold=threshold, min_events=min_events)
    elif enough:
        assert rate.rate < threshold + 1e-9


# Property 39: Performance and Health Monitoring
@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ok=st.integers(min_value=0, max_value=6), failed=st.integers(min_value=0, max_value=6))
def test_the_publish_error_rate_counts_exactly_the_deliveries_that_ended_in_the_window(ok, failed):
    PublishResult.objects.all().delete()
    _deliveries(ok=ok, failed=failed)
    _deliveries(ok=2, failed=2, when=timezone.now() - timezone.timedelta(days=2))  # outside

    rate = publish_failure_rate(since=timezone.now() - timezone.timedelta(hours=1))

    assert (rate.total, rate.failures) == (ok + failed, failed)
