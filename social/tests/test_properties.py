"""Spec properties 18-20 as hypothesis tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.tests.factories import ContentPostFactory
from social.models import PublishResult, PublishStatus, SandboxPost, SocialAccount
from social.platforms.sandbox import sandbox_metrics
from social.services.publishing import publish_result_deliver, publish_result_prepare, publish_results_deliver
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# Property 18: Multi-Platform Connection and Token Security
@SLOW
@given(access=st.text(min_size=1, max_size=300), refresh=st.text(max_size=300))
def test_tokens_round_trip_through_encryption_and_are_never_stored_in_clear(team, access, refresh):
    account = SocialAccountFactory(team=team, access_token=access, refresh_token=refresh)
    stored = SocialAccount.objects.get(pk=account.pk)
    assert (stored.access_token, stored.refresh_token) == (access, refresh)
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM social_socialaccount")
        raw = cursor.fetchall()
    assert all(access not in row and (not refresh or refresh not in row) for row in raw)
    account.delete()


# Property 19: Content Publishing and Data Retrieval
@SLOW
@given(
    text=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=400).filter(str.strip),
    retries=st.integers(min_value=1, max_value=4),
)
def test_each_post_reaches_each_account_exactly_once_however_often_it_is_retried(user, text, retries):
    account = SocialAccountFactory(team=user.current_team)
    post = ContentPostFactory(author=user, content=text, hashtags=[])
    result = publish_result_prepare(post=post, account=account)
    for _ in range(retries + 1):
        publish_result_deliver(result_id=result.pk)
        PublishResult.objects.filter(pk=result.pk).update(claimed_until=None)  # as if every lease expired
    result.refresh_from_db()
    assert result.status == PublishStatus.SUCCESS
    delivered = SandboxPost.objects.filter(account_id=account.account_id)
    assert delivered.count() == 1
    assert delivered.get().text == text.strip()


# Property 19: Content Publishing and Data Retrieval
@given(post_id=st.uuids().map(str), hours=st.lists(st.floats(min_value=0, max_value=24 * 60), min_size=2, max_size=6))
def test_engagement_retrieved_later_never_shrinks(post_id, hours):
    snapshots = [sandbox_metrics(post_id, age=timedelta(hours=h)) for h in sorted(hours)]
    for earlier, later in zip(snapshots, snapshots[1:], strict=False):
        assert later.impressions >= earlier.impressions and later.likes >= earlier.likes
        assert later.likes <= later.impressions


# Property 20: Platform Compliance and Error Handling
@SLOW
@given(modes=st.lists(st.sampled_from(["", "transient", "rate_limited", "auth", "content"]), min_size=1, max_size=4))
def test_errors_are_classified_per_account_and_a_failure_never_blocks_the_others(user, modes):
    team = user.current_team
    post = ContentPostFactory(author=user, hashtags=[])
    accounts = [SocialAccountFactory(team=team, metadata={"sandbox_fail": m} if m else {}) for m in modes]
    for account in accounts:
        publish_result_deliver(result_id=publish_result_prepare(post=post, account=account).pk)
    for account, mode in zip(accounts, modes, strict=True):
        row = PublishResult.objects.get(post=post, social_account=account)
        expected = {
            "": PublishStatus.SUCCESS,
            "transient": PublishStatus.PENDING,
            "rate_limited": PublishStatus.PENDING,
            "auth": PublishStatus.FAILED,
            "content": PublishStatus.FAILED,
        }[mode]
        assert row.status == expected
        if mode in ("transient", "rate_limited"):
            assert row.next_attempt_at is not None
        account.refresh_from_db()
        assert account.is_active  # no error class disconnects an account
    assert SandboxPost.objects.filter(account_id__in=[a.account_id for a in accounts]).count() == modes.count("")


# Property 20: Platform Compliance and Error Handling
@SLOW
@given(limit=st.integers(min_value=1, max_value=4), posts=st.integers(min_value=1, max_value=6))
def test_an_account_never_posts_past_its_budget_and_shows_what_is_left(settings, user, limit, posts):
    from social.services.budgets import budget_for

    # A window far longer than the test, so no reset falls between two posts of one example.
    settings.SOCIAL_POSTING_BUDGETS = {"sandbox": [{"scope": "account", "limit": limit, "seconds": 10**8}]}
    account = SocialAccountFactory(team=user.current_team)
    rows = [
        publish_result_deliver(
            result_id=publish_result_prepare(post=ContentPostFactory(author=user, hashtags=[]), account=account).pk
        )
        for _ in range(posts)
    ]
    sent = [r for r in rows if r.status == PublishStatus.SUCCESS]
    waiting = [r for r in rows if r.status == PublishStatus.PENDING]
    assert len(sent) == min(posts, limit) == SandboxPost.objects.filter(account_id=account.account_id).count()
    assert len(waiting) == posts - len(sent)
    assert all(r.error_kind == "rate_limited" and r.next_attempt_at and r.attempts == 0 for r in waiting)
    budget = budget_for(account)
    assert budget is not None and (budget.remaining, budget.limit) == (max(limit - posts, 0), limit)


# Property 20: Platform Compliance and Error Handling
@SLOW
@given(
    limit=st.integers(min_value=1, max_value=4),
    refused=st.lists(st.booleans(), min_size=1, max_size=7),
    spent=st.integers(min_value=0, max_value=2),
)
def test_a_batch_posts_within_the_budget_and_gives_back_what_it_did_not_post(settings, user, limit, refused, spent):
    """A delivery batch reserves an account's budget once for all its posts; posts the platform refused
    and reservations left unused go back, so the budget counts exactly the posts that went out."""
    from social.services.budgets import budget_for, budget_reserve

    settings.SOCIAL_POSTING_BUDGETS = {"sandbox": [{"scope": "account", "limit": limit, "seconds": 10**8}]}
    account = SocialAccountFactory(team=user.current_team)
    already = sum(budget_reserve(account) is None for _ in range(spent))  # posted earlier, outside the batch
    posts = [
        ContentPostFactory(author=user, hashtags=[], content=f"Post {i} [sandbox:fail=content]" if no else f"Post {i}")
        for i, no in enumerate(refused)
    ]
    rows = publish_results_deliver(result_ids=[publish_result_prepare(post=p, account=account).pk for p in posts])

    room = limit - already
    accepted = refused.count(False)
    sent = [r for r in rows if r.status == PublishStatus.SUCCESS]
    assert len(sent) == min(accepted, room) == SandboxPost.objects.filter(account_id=account.account_id).count()
    waiting = [r for r in rows if r.status == PublishStatus.PENDING]
    assert all(r.error_kind == "rate_limited" and r.attempts == 0 for r in waiting)
    assert all(r.error_kind == "content" for r in rows if r.status == PublishStatus.FAILED)
    budget = budget_for(account)
    assert budget is not None and budget.remaining == room - len(sent)
