"""Exactly-once dispatch: racing dispatchers, a worker dying mid-publish, retries, approval gate."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import ContentPost, PostStatus
from content.tests.factories import ContentPostFactory
from content.workflow import post_approve, post_submit
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.services import (
    dispatch_due_posts,
    post_schedule,
    processing_reconcile,
    scheduled_post_publish,
    scheduled_post_retry_now,
    scheduled_posts_publish,
)
from social.models import PublishResult, SandboxPost
from social.tasks import retry_due_publish_results
from social.tests.factories import SocialAccountFactory
from teams.models import Membership, Notification
from teams.permissions import team_context
from teams.tests.factories import MembershipFactory


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run the dispatcher and the deliveries it queues on commit (eager Celery in tests)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return dispatch_due_posts(**kwargs)

    return run


def _due_post(*, text="Launch day is here", account_metadata=None, minutes_ago=1):
    post = ContentPostFactory(content=text)
    account = SocialAccountFactory(team=post.team, metadata=account_metadata or {})
    rows = post_schedule(post=post, accounts=[account], at=timezone.now() + timedelta(minutes=5), tz="UTC").scheduled
    ScheduledPost.objects.filter(pk=rows[0].pk).update(scheduled_at=timezone.now() - timedelta(minutes=minutes_ago))
    return post, account, ScheduledPost.objects.get(pk=rows[0].pk)


@pytest.mark.django_db
def test_a_due_post_is_published_once_and_its_author_told(dispatch):
    post, account, scheduled = _due_post()

    claimed = dispatch()  # eager Celery in tests: the publish task runs on commit

    scheduled.refresh_from_db()
    assert claimed == [str(scheduled.pk)]
    assert scheduled.status == ScheduleStatus.COMPLETED
    assert SandboxPost.objects.filter(account_id=account.account_id).count() == 1
    assert Notification.objects.filter(user=post.author, title__startswith="Published on").count() == 1
    # running the dispatcher again finds nothing to do
    assert dispatch() == []
    assert SandboxPost.objects.count() == 1


@pytest.mark.django_db
def test_future_and_cancelled_schedules_are_not_dispatched(dispatch):
    post = ContentPostFactory()
    account = SocialAccountFactory(team=post.team)
    post_schedule(post=post, accounts=[account], at=timezone.now() + timedelta(hours=1), tz="UTC")

    assert dispatch() == []


@pytest.mark.django_db
def test_a_team_requiring_approval_waits_for_the_workflow_to_approve(dispatch):
    # given a team that requires approval and a reviewer in it
    post = ContentPostFactory(content="Launch day is here")
    post.team.requires_approval = True
    post.team.save()
    reviewer = MembershipFactory(team=post.team, role=Membership.Role.REVIEWER).user
    account = SocialAccountFactory(team=post.team)
    rows = post_schedule(post=post, accounts=[account], at=timezone.now() + timedelta(minutes=5), tz="UTC").scheduled
    ScheduledPost.objects.filter(pk=rows[0].pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))
    scheduled = rows[0]

    # when it is due before anyone approved it, it waits (and a hand-written metadata flag is no approval)
    assert dispatch() == []
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduleStatus.PENDING
    assert scheduled.last_error == "Waiting for approval."
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT
    post.metadata = {"approval": {"status": "APPROVED"}}
    post.save()
    assert dispatch() == []

    # then once submitted and approved by the reviewer it goes out
    post_submit(ctx=team_context(user=post.author, requested_team_id=str(post.team_id)), post=post)
    assert dispatch() == []
    post_approve(ctx=team_context(user=reviewer, requested_team_id=str(post.team_id)), post=post)
    assert dispatch() == [str(scheduled.pk)]
    assert SandboxPost.objects.count() == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


@pytest.mark.django_db
def test_posts_waiting_for_approval_never_crowd_an_approved_one_out_of_the_batch(dispatch):
    # given three older due posts of a team that requires approval, none approved
    waiting = [_due_post(text=f"Waiting post {n}", minutes_ago=10 + n) for n in range(3)]
    for post, _account, _row in waiting:
        post.team.requires_approval = True
        post.team.save(update_fields=["requires_approval"])
    # and one newer due post that needs no approval
    _post, _account, ready = _due_post(text="Ready to go", minutes_ago=1)

    # when the dispatcher claims batches of two
    claimed = dispatch(limit=2)

    # then the ready post is claimed and published, and the waiting ones are marked, not claimed
    assert claimed == [str(ready.pk)]
    assert SandboxPost.objects.count() == 1
    for _post, _account, row in waiting:
        row.refresh_from_db()
        assert (row.status, row.last_error) == (ScheduleStatus.PENDING, "Waiting for approval.")


@pytest.mark.django_db
def test_a_worker_that_dies_after_the_platform_accepted_is_recovered_by_read_back(dispatch, settings):
    # given the platform stores the post but the answer never comes back (like a SIGKILL mid-call)
    _, account, scheduled = _due_post(text="Read me back [sandbox:fail=after_delivery]")
    dispatch()
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduleStatus.PROCESSING
    assert SandboxPost.objects.count() == 1

    # when the retry time passes and the beat retries the delivery
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        retry_due_publish_results.delay()
        processing_reconcile()

    # then it was read back, not posted again
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduleStatus.COMPLETED
    assert SandboxPost.objects.count() == 1
    assert PublishResult.objects.get(pk=scheduled.publish_result_id).metadata["readBack"] is True


@pytest.mark.django_db
def test_content_rejection_fails_with_the_reason_notifies_and_retry_now_publishes(dispatch):
    post, account, scheduled = _due_post(text="Rejected [sandbox:fail=content]")
    dispatch()
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduleStatus.FAILED
    assert scheduled.last_error
    assert Notification.objects.filter(user=post.author, kind="error").count() == 1

    # the author fixes the text and presses "Retry now"
    post.content = "Fixed text"
    post.save()
    scheduled_post_retry_now(scheduled=scheduled)

    scheduled.refresh_from_db()
    assert scheduled.status == ScheduleStatus.COMPLETED
    assert SandboxPost.objects.filter(text__startswith="Fixed text").count() == 1


@pytest.mark.django_db
def test_publishing_a_claimed_row_twice_delivers_once(django_capture_on_commit_callbacks):
    # given a claimed row whose queued task has not run yet
    _, _, scheduled = _due_post()
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_due_posts()

    # when the task body runs twice (a redelivered message)
    scheduled_post_publish(scheduled_id=scheduled.pk)
    scheduled_post_publish(scheduled_id=scheduled.pk)

    # then the platform has it once
    assert SandboxPost.objects.count() == 1
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduleStatus.COMPLETED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_racing_publish_each_post_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are only real on PostgreSQL")
    # Property 22: Automated Publishing with Timezone Support (exactly once under concurrency)
    rows = [_due_post(text=f"Race post {i}")[2] for i in range(30)]
    claimed: list[list[str]] = [[], []]
    barrier = threading.Barrier(2)

    def dispatcher(slot: int) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                claimed[slot].extend(dispatch_due_posts(limit=7))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    all_claims = claimed[0] + claimed[1]
    assert len(all_claims) == len(set(all_claims)) == 30
    assert SandboxPost.objects.count() == 30
    assert set(ScheduledPost.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)) == {
        ScheduleStatus.COMPLETED
    }


def _due_posts_for_one_author(n, *, account_metadata=None):
    first = ContentPostFactory(content="Batch post 0")
    account = SocialAccountFactory(team=first.team, metadata=account_metadata or {})
    posts = [first] + [
        ContentPostFactory(team=first.team, author=first.author, content=f"Batch post {i}") for i in range(1, n)
    ]
    for post in posts:
        post_schedule(post=post, accounts=[account], at=timezone.now() + timedelta(minutes=5), tz="UTC")
    ScheduledPost.objects.update(scheduled_at=timezone.now() - timedelta(minutes=1))
    return first.author, account


@pytest.mark.django_db
def test_a_batch_publishes_each_post_once_and_tells_the_author_once(django_capture_on_commit_callbacks, mailoutbox):
    author, account = _due_posts_for_one_author(6)
    with django_capture_on_commit_callbacks(execute=False):
        claimed = dispatch_due_posts()
    assert len(claimed) == 6

    # one worker task delivers the whole chunk
    with django_capture_on_commit_callbacks(execute=True):
        rows = scheduled_posts_publish(scheduled_ids=claimed)

    assert [r.status for r in rows] == [ScheduleStatus.COMPLETED] * 6
    assert SandboxPost.objects.filter(account_id=account.account_id).count() == 6
    assert set(ContentPost.objects.values_list("status", flat=True)) == {PostStatus.PUBLISHED}
    (note,) = Notification.objects.filter(user=author)
    assert note.title == "Published 6 scheduled posts on Sandbox"
    assert note.event == Notification.Event.PUBLISH_RESULT
    assert len(mailoutbox) == 1 and mailoutbox[0].body.count(" on sandbox: ") == 6
    # the same chunk delivered again (a redelivered message) changes nothing
    scheduled_posts_publish(scheduled_ids=claimed)
    assert SandboxPost.objects.count() == 6
    assert Notification.objects.filter(user=author).count() == 1


@pytest.mark.django_db
def test_a_failure_inside_a_batch_fails_only_that_post_with_its_reason(django_capture_on_commit_callbacks):
    author, _ = _due_posts_for_one_author(3)
    bad = ContentPost.objects.get(content="Batch post 1")
    bad.content = "Batch post 1 [sandbox:fail=content]"
    bad.save()
    with django_capture_on_commit_callbacks(execute=False):
        claimed = dispatch_due_posts()

    with django_capture_on_commit_callbacks(execute=True):
        rows = {r.post_id: r for r in scheduled_posts_publish(scheduled_ids=claimed)}

    assert rows[bad.pk].status == ScheduleStatus.FAILED
    assert "house rules" in rows[bad.pk].last_error
    assert sorted(r.status for r in rows.values()) == [ScheduleStatus.COMPLETED] * 2 + [ScheduleStatus.FAILED]
    assert Notification.objects.filter(user=author, kind="error").count() == 1
    assert Notification.objects.get(user=author, kind="success").title == "Published 2 scheduled posts on Sandbox"


@pytest.mark.django_db
def test_delivery_queries_grow_by_a_small_constant_per_post(django_capture_on_commit_callbacks):
    """The whole point of batching: loads are shared, so 10 posts cost little more than 10 × one post's core."""

    def queries_for(n: int) -> int:
        ScheduledPost.objects.all().delete()
        _due_posts_for_one_author(n)
        with django_capture_on_commit_callbacks(execute=False):
            claimed = dispatch_due_posts()
        with CaptureQueriesContext(connection) as captured:
            scheduled_posts_publish(scheduled_ids=claimed)
        return len(captured)

    two, ten = queries_for(2), queries_for(10)
    per_post = (ten - two) / 8
    # The claim, the media, moderation (policy, protected terms, near-duplicate search, audit rows) are
    # one statement each for the whole batch; what remains per post is the platform call and its outcome.
    assert per_post <= 2, (two, ten)


REALISTIC = [
    "Our spring collection is here: light fabrics, bright colours and free returns for thirty days {i}.",
    "Tres consejos para escribir mejores titulares esta semana, con ejemplos reales {i} #marketing",
    "Behind the scenes of launch {i}: what we learned shipping in six weeks https://example.com/blog",
    "نطلق اليوم الميزة رقم {i} التي تساعد فريقك على التخطيط للأسبوع كاملاً بسهولة ووضوح",
]


@pytest.mark.django_db
@pytest.mark.parametrize("accounts", [1, 2])
def test_realistic_posts_cost_at_most_three_statements_each(django_capture_on_commit_callbacks, accounts, settings):
    """Texts long enough for the near-duplicate check (8+ words): its fingerprints and the results are
    written per delivery task, and each post is moderated once whatever the number of its accounts."""
    from moderation.models import ContentFingerprint, ModerationAuditEvent

    settings.SELF_HOSTED = True  # no plan limit on scheduled posts

    def queries_for(n: int) -> int:
        ScheduledPost.objects.all().delete()
        first = ContentPostFactory(content=REALISTIC[0].format(i=f"{n}-0"))
        targets = [SocialAccountFactory(team=first.team) for _ in range(accounts)]
        posts = [first] + [
            ContentPostFactory(team=first.team, author=first.author, content=REALISTIC[i % 4].format(i=f"{n}-{i}"))
            for i in range(1, n)
        ]
        for post in posts:
            post_schedule(post=post, accounts=targets, at=timezone.now() + timedelta(minutes=5), tz="UTC")
        ScheduledPost.objects.update(scheduled_at=timezone.now() - timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=False):
            claimed = dispatch_due_posts()
        audits = ModerationAuditEvent.objects.count()
        with CaptureQueriesContext(connection) as captured:
            done = scheduled_posts_publish(scheduled_ids=claimed)
        assert {row.status for row in done} == {ScheduleStatus.COMPLETED}
        assert ContentFingerprint.objects.filter(post_id__in=[str(p.pk) for p in posts]).count() == n
        assert ModerationAuditEvent.objects.count() - audits == n  # one decision per post, not per delivery
        return len(captured)

    four, twelve = queries_for(4), queries_for(12)
    per_post = (twelve - four) / 8
    assert per_post <= 3, (four, twelve)  # the platform call (the sandbox INSERT) per delivery
