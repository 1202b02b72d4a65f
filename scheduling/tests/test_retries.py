"""Retry timing: 1, 5 and 30 minutes by default (SCHEDULE_RETRY_DELAYS), then FAILED, told, and "Retry now"."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.services import dispatch_due_posts, post_schedule, processing_reconcile
from social.models import PublishResult, PublishStatus, SandboxPost
from social.tasks import retry_due_publish_results
from social.tests.factories import SocialAccountFactory
from teams.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def beat(django_capture_on_commit_callbacks):
    """What beat does each tick: dispatch due schedules, retry due deliveries, mirror outcomes."""

    def tick() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due_posts()
            retry_due_publish_results.delay()
            processing_reconcile()

    return tick


def _failing_schedule(*, metadata):
    post = ContentPostFactory(content="Our spring collection is live")
    account = SocialAccountFactory(team=post.team, metadata=metadata)
    (row,) = post_schedule(post=post, accounts=[account], at=timezone.now() + timedelta(minutes=2), tz="UTC").scheduled
    return post, account, row


def _state(row: ScheduledPost) -> tuple[str, int, PublishResult]:
    row.refresh_from_db()
    result = PublishResult.objects.get(pk=row.publish_result_id)
    return row.status, result.attempts, result


def test_default_retries_wait_1_then_5_then_30_minutes_then_fail_with_the_reason(beat, settings, client):
    assert settings.SCHEDULING_RETRY_DELAYS == [60, 300, 1800]
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        post, account, row = _failing_schedule(metadata={"sandbox_fail": "transient"})
        clock.shift(timedelta(minutes=2))
        beat()  # first attempt: the platform answers 503
        status, attempts, result = _state(row)
        assert (status, attempts) == (ScheduleStatus.PROCESSING, 1)
        assert result.next_attempt_at == timezone.now() + timedelta(minutes=1)
        assert "503" in row.last_error

        for waited, next_wait, attempt in [(1, 5, 2), (5, 30, 3)]:
            # a second before the retry time nothing is tried
            clock.shift(timedelta(minutes=waited) - timedelta(seconds=1))
            beat()
            assert _state(row)[1] == attempt - 1
            # at the retry time it is tried again and waits longer
            clock.shift(timedelta(seconds=1))
            beat()
            status, attempts, result = _state(row)
            assert (status, attempts) == (ScheduleStatus.PROCESSING, attempt)
            assert result.next_attempt_at == timezone.now() + timedelta(minutes=next_wait)

        # the last retry, 30 minutes later, fails for good
        clock.shift(timedelta(minutes=30))
        beat()
        status, attempts, result = _state(row)

    assert (status, attempts) == (ScheduleStatus.FAILED, 4)
    assert result.status == PublishStatus.FAILED
    assert "Gave up after 4 attempts" in row.last_error and "503" in row.last_error
    failure = Notification.objects.get(user=post.author, kind="error")
    assert failure.title == "Could not publish on Sandbox"
    assert "temporarily unavailable (503)" in failure.body
    assert any("Reason: Gave up after 4 attempts" in m.body for m in mail.outbox)
    assert SandboxPost.objects.count() == 0

    # the calendar offers "Retry now"; once the platform is back, pressing it publishes once
    client.force_login(post.author)
    assert "Retry now" in client.get("/calendar/?view=list").content.decode()
    account.metadata = {}
    account.save()
    response = client.post(f"/calendar/{row.pk}/retry/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == ScheduleStatus.COMPLETED
    assert SandboxPost.objects.count() == 1


def test_retry_now_starts_a_fresh_round_of_retries(beat, settings):
    settings.SCHEDULING_RETRY_DELAYS = [60]
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        _, account, row = _failing_schedule(metadata={"sandbox_fail": "transient"})
        clock.shift(timedelta(minutes=2))
        beat()
        clock.shift(timedelta(minutes=1))
        beat()
        assert _state(row)[0] == ScheduleStatus.FAILED

        # pressed while the platform still fails: it waits the first delay again instead of giving up
        from scheduling.services import scheduled_post_retry_now

        scheduled_post_retry_now(scheduled=row)
        status, attempts, result = _state(row)
        assert (status, attempts) == (ScheduleStatus.PROCESSING, 3)
        assert result.next_attempt_at == timezone.now() + timedelta(minutes=1)

        account.metadata = {}
        account.save()
        clock.shift(timedelta(minutes=1))
        beat()
    assert _state(row)[0] == ScheduleStatus.COMPLETED
    assert SandboxPost.objects.count() == 1


def test_the_delays_are_configurable_and_their_count_is_the_number_of_retries(beat, settings):
    settings.SCHEDULING_RETRY_DELAYS = [10, 20]
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        _, _, row = _failing_schedule(metadata={"sandbox_fail": "transient"})
        clock.shift(timedelta(minutes=2))
        beat()
        assert _state(row)[2].next_attempt_at == timezone.now() + timedelta(seconds=10)
        clock.shift(timedelta(seconds=10))
        beat()
        assert _state(row)[2].next_attempt_at == timezone.now() + timedelta(seconds=20)
        clock.shift(timedelta(seconds=20))
        beat()
        status, attempts, _ = _state(row)

    assert (status, attempts) == (ScheduleStatus.FAILED, 3)
    assert "Gave up after 3 attempts" in row.last_error


def test_a_platforms_retry_after_longer_than_the_delay_is_honoured(beat):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        _, _, row = _failing_schedule(metadata={"sandbox_fail": "rate_limited"})  # 429, reset in 120 s
        clock.shift(timedelta(minutes=2))
        beat()
        _, attempts, result = _state(row)

    assert attempts == 1
    assert result.next_attempt_at == start + timedelta(minutes=2) + timedelta(seconds=120)
