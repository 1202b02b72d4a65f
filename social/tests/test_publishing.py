"""Delivery semantics: read-back after a crash, error classes, budgets, partial failure, bulk."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from content.tests.factories import ContentPostFactory
from social.models import AccountHealth, PublishResult, PublishStatus, SandboxPost
from social.platforms.base import PublishRequest
from social.platforms.sandbox import SandboxConnector
from social.services.credentials import account_credentials
from social.services.publishing import (
    idempotency_key_for,
    publish_result_deliver,
    publish_result_prepare,
    publish_results_deliver,
    publish_results_due,
    update_each,
)
from social.tasks import retry_due_publish_results
from social.tests.factories import SocialAccountFactory
from teams.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(team, user):
    return SocialAccountFactory(team=team, connected_by=user)


def _publish(api, post, **extra):
    body = {"postId": str(post.pk), "platforms": ["sandbox"], **extra}
    response = api.post("/api/social/publish", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_interrupted_attempt_reads_back_instead_of_posting_again(post, account):
    # given an attempt that claimed the row, reached the platform, and died before recording anything
    result = publish_result_prepare(post=post, account=account)
    SandboxConnector().publish(
        account_credentials(account), PublishRequest(text=post.content, idempotency_key=result.idempotency_key)
    )
    PublishResult.objects.filter(pk=result.pk).update(attempts=1, claimed_until=timezone.now() - timedelta(seconds=1))
    assert SandboxPost.objects.count() == 1

    # when the sweeper retries it
    assert str(result.pk) in publish_results_due()
    retry_due_publish_results.delay().get()

    # then it records success from the read-back, with no second delivery
    result.refresh_from_db()
    assert result.status == PublishStatus.SUCCESS
    assert result.metadata["readBack"] is True
    assert SandboxPost.objects.count() == 1


def test_a_live_lease_is_not_taken_twice(post, account):
    result = publish_result_prepare(post=post, account=account)
    PublishResult.objects.filter(pk=result.pk).update(attempts=1, claimed_until=timezone.now() + timedelta(minutes=5))
    assert publish_result_deliver(result_id=result.pk).status == PublishStatus.PENDING
    assert not SandboxPost.objects.exists()
    assert str(result.pk) not in publish_results_due()


def test_answer_lost_after_delivery_is_recovered_by_read_back(api, user, account):
    post = ContentPostFactory(author=user, content="Hello [sandbox:fail=after_delivery]", hashtags=[])
    (first,) = _publish(api, post)
    assert first["status"] == "PENDING" and first["error"]
    assert SandboxPost.objects.count() == 1
    PublishResult.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    result = publish_result_deliver(result_id=first["id"])

    assert result.status == PublishStatus.SUCCESS
    assert SandboxPost.objects.count() == 1


def test_transient_failure_waits_and_never_disconnects(api, user, account):
    post = ContentPostFactory(author=user, content="Hello [sandbox:fail=transient]", hashtags=[])
    (result,) = _publish(api, post)
    assert result["status"] == "PENDING"
    assert result["nextAttemptAt"]
    account.refresh_from_db()
    assert account.is_active and account.health == AccountHealth.DEGRADED
    assert not Notification.objects.exists()


def test_rate_limit_honours_retry_after(api, user, account):
    post = ContentPostFactory(author=user, content="Hello [sandbox:fail=rate_limited]", hashtags=[])
    before = timezone.now()
    _publish(api, post)
    row = PublishResult.objects.get()
    assert row.status == PublishStatus.PENDING and row.error_kind == "rate_limited"
    assert row.next_attempt_at >= before + timedelta(seconds=120)  # the sandbox's reset
    assert str(row.pk) not in publish_results_due()


def test_auth_failure_marks_needs_reconnect_and_notifies_once(api, user, account):
    account.metadata = {"sandbox_fail": "auth"}
    account.save()
    posts = ContentPostFactory.create_batch(2, author=user, hashtags=[])
    for post in posts:
        (result,) = _publish(api, post)
        assert result["status"] == "FAILED"
    account.refresh_from_db()
    assert account.health == AccountHealth.NEEDS_RECONNECT
    assert account.last_error
    assert Notification.objects.filter(user=user).count() == 1
    # no retry loop: nothing is waiting
    assert publish_results_due() == []


def test_content_rejection_fails_with_the_platform_message(api, user, account):
    post = ContentPostFactory(author=user, content="Hello [sandbox:fail=content]", hashtags=[])
    (result,) = _publish(api, post)
    assert result["status"] == "FAILED"
    assert "house rules" in result["error"]
    assert result["errorKind"] == "content"


def test_gives_up_after_max_attempts(settings, post, account):
    settings.SCHEDULING_RETRY_DELAYS = [60]  # one retry, then give up
    account.metadata = {"sandbox_fail": "transient"}
    account.save()
    result = publish_result_prepare(post=post, account=account)
    publish_result_deliver(result_id=result.pk)
    PublishResult.objects.update(next_attempt_at=None)
    final = publish_result_deliver(result_id=result.pk)
    assert final.status == PublishStatus.FAILED
    assert "Gave up after 2 attempts" in final.error


def test_partial_failure_across_accounts(api, user, team, post):
    good = SocialAccountFactory(team=team)
    bad = SocialAccountFactory(team=team, metadata={"sandbox_fail": "content"})
    response = api.post(
        "/api/social/publish",
        {"postId": str(post.pk), "accountIds": [str(good.pk), str(bad.pk)]},
        format="json",
    )
    assert response.status_code == 200
    by_account = {r["socialAccountId"]: r for r in response.json()["results"]}
    assert by_account[str(good.pk)]["status"] == "SUCCESS"
    assert by_account[str(bad.pk)]["status"] == "FAILED"
    assert SandboxPost.objects.count() == 1


def test_posting_budget_is_honoured_and_shown(settings, api, user, account):
    settings.SOCIAL_POSTING_BUDGETS = {"sandbox": [{"scope": "account", "limit": 1, "seconds": 900}]}
    first, second = ContentPostFactory.create_batch(2, author=user, hashtags=[])
    assert _publish(api, first)[0]["status"] == "SUCCESS"
    (waiting,) = _publish(api, second)
    assert waiting["status"] == "PENDING" and waiting["errorKind"] == "rate_limited"
    assert SandboxPost.objects.count() == 1
    health = api.get(f"/api/social/accounts/{account.pk}/").json()["account"]["health"]
    assert health["budget"] == {
        "remaining": 0,
        "limit": 1,
        "resetsAt": health["budget"]["resetsAt"],
        "reportedBy": "app",
    }


def test_twitter_budget_counts_per_user_and_per_app(team):
    from social.services.budgets import budget_for, budget_reserve

    account = SocialAccountFactory(team=team, platform="twitter")
    for _ in range(100):
        assert budget_reserve(account) is None
    refused = budget_reserve(account)
    assert refused is not None and refused.limit == 100
    assert budget_for(account).remaining == 0


def test_bulk_publish_many_posts_to_many_accounts(api, user, team):
    accounts = SocialAccountFactory.create_batch(2, team=team)
    posts = ContentPostFactory.create_batch(2, author=user, hashtags=[])
    response = api.post(
        "/api/social/bulk-publish",
        {"postIds": [str(p.pk) for p in posts], "accountIds": [str(a.pk) for a in accounts]},
        format="json",
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 4 and {r["status"] for r in results} == {"SUCCESS"}
    assert SandboxPost.objects.count() == 4


def test_idempotency_key_is_stable_and_distinct(post, account, team):
    other = SocialAccountFactory(team=team)
    assert idempotency_key_for(post.pk, account.pk) == idempotency_key_for(post.pk, account.pk)
    assert idempotency_key_for(post.pk, account.pk) != idempotency_key_for(post.pk, other.pk)


def test_manual_retry_after_fixing_the_account(api, user, account, post):
    account.metadata = {"sandbox_fail": "content"}
    account.save()
    (failed,) = _publish(api, post)
    account.metadata = {}
    account.save()
    response = api.post(f"/api/social/results/{failed['id']}/retry")
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "SUCCESS"
    assert SandboxPost.objects.count() == 1


def test_blocking_pre_publish_problem_fails_without_calling_the_platform(api, user, account):
    long_text = " ".join(f"Point {i} of our very detailed launch notes." for i in range(150))
    post = ContentPostFactory(author=user, content=long_text, hashtags=[])  # sandbox allows 5000
    (result,) = _publish(api, post)
    assert result["status"] == "FAILED" and result["errorKind"] == "content"
    assert not SandboxPost.objects.exists()


def test_unknown_platform_without_account_is_a_field_error(api, post):
    response = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["linkedin"]}, format="json")
    assert response.status_code == 400
    assert "platforms" in response.json()["error"]["details"]


def test_a_batch_that_runs_out_of_lease_time_gives_back_the_claims_it_did_not_start(user, account, settings):
    # given three deliveries and a lease so short that only the first may start
    settings.SOCIAL_PUBLISH_LEASE_SECONDS = 0
    posts = [ContentPostFactory(author=user, content=f"Batch post {i}", hashtags=[]) for i in range(3)]
    results = [publish_result_prepare(post=p, account=account) for p in posts]

    delivered = publish_results_deliver(result_ids=[r.pk for r in results])

    # then the first went out and the others are free again, with no attempt counted
    assert [r.status for r in delivered] == [PublishStatus.SUCCESS, PublishStatus.PENDING, PublishStatus.PENDING]
    assert [(r.claimed_until, r.attempts) for r in delivered[1:]] == [(None, 0), (None, 0)]
    assert SandboxPost.objects.count() == 1
    assert {str(r.pk) for r in results[1:]} <= set(publish_results_due())

    # and the next sweep delivers them once each
    settings.SOCIAL_PUBLISH_LEASE_SECONDS = 300
    again = publish_results_deliver(result_ids=[r.pk for r in results])
    assert [r.status for r in again] == [PublishStatus.SUCCESS] * 3
    assert SandboxPost.objects.count() == 3


def test_a_batch_claims_only_free_rows_and_leaves_a_live_lease_alone(user, account):
    posts = [ContentPostFactory(author=user, content=f"Lease post {i}", hashtags=[]) for i in range(3)]
    results = [publish_result_prepare(post=p, account=account) for p in posts]
    held = timezone.now() + timedelta(minutes=5)
    PublishResult.objects.filter(pk=results[1].pk).update(attempts=1, claimed_until=held)

    delivered = publish_results_deliver(result_ids=[r.pk for r in results])

    assert [r.status for r in delivered] == [PublishStatus.SUCCESS, PublishStatus.PENDING, PublishStatus.SUCCESS]
    assert delivered[1].claimed_until == held and delivered[1].attempts == 1
    assert SandboxPost.objects.count() == 2


def test_update_each_saves_every_rows_own_values_in_one_statement(team, django_assert_num_queries):
    posts = [ContentPostFactory(team=team) for _ in range(3)]
    accounts = [SocialAccountFactory(team=team, platform="sandbox") for _ in range(3)]
    rows = [
        PublishResult.objects.create(post=p, social_account=a, platform="sandbox")
        for p, a in zip(posts, accounts, strict=True)
    ]
    untouched = PublishResult.objects.create(post=posts[0], social_account=SocialAccountFactory(team=team))
    at = timezone.now().replace(microsecond=123456)
    # The first row's values are empty: the database must not guess the column types from them.
    rows[0].published_at, rows[0].platform_post_id, rows[0].metadata = None, None, {}
    rows[1].published_at, rows[1].platform_post_id, rows[1].metadata = at, "x-1", {"readBack": True, "n": [1, 2]}
    rows[2].published_at, rows[2].platform_post_id, rows[2].metadata = at + timedelta(days=400), "x-2", {"é": "ü"}

    with django_assert_num_queries(1):
        assert update_each(rows, ["published_at", "platform_post_id", "metadata"]) == 3

    saved = {r.pk: r for r in PublishResult.objects.all()}
    assert [(saved[r.pk].published_at, saved[r.pk].platform_post_id, saved[r.pk].metadata) for r in rows] == [
        (None, None, {}),
        (at, "x-1", {"readBack": True, "n": [1, 2]}),
        (at + timedelta(days=400), "x-2", {"é": "ü"}),
    ]
    assert saved[untouched.pk].platform_post_id is None and saved[untouched.pk].metadata == {}


def test_a_post_is_published_when_its_first_account_received_it(user, team):
    # given: a post for two accounts, delivered one after the other in one batch
    post = ContentPostFactory(author=user, content="One post, two accounts", hashtags=[])
    accounts = [SocialAccountFactory(team=team, connected_by=user) for _ in range(2)]
    results = [publish_result_prepare(post=post, account=a) for a in accounts]
    with time_machine.travel(timezone.now().replace(hour=9, minute=0), tick=True):
        delivered = publish_results_deliver(result_ids=[r.pk for r in results])

    # then: both went out at their own times, and the post was published when the first one was
    times = [r.published_at for r in delivered]
    assert [r.status for r in delivered] == [PublishStatus.SUCCESS] * 2 and times[0] < times[1]
    post.refresh_from_db()
    assert post.status == "PUBLISHED" and post.published_at == times[0]
