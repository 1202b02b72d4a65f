"""Claims are held by a short lease that the worker renews while it works: a live worker keeps a
delivery however long the platform takes, a dead one lets it go within one lease."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from content.tests.factories import ContentPostFactory
from social.models import PublishResult, PublishStatus, SandboxPost
from social.services.publishing import publish_result_deliver, publish_result_prepare, publish_results_due
from social.tests.factories import SocialAccountFactory

TEXT = "A slow platform takes its time to answer this rather long announcement of ours today"


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_keeps_its_claim_past_the_lease_and_publishes_once(settings):
    # given a three-second lease and a platform that takes 6.5 s to answer
    settings.SOCIAL_PUBLISH_LEASE_SECONDS = 3
    post = ContentPostFactory(content=TEXT)
    account = SocialAccountFactory(team=post.team, metadata={"sandbox_fail": "slow", "sandbox_sleep_seconds": 6.5})
    result = publish_result_prepare(post=post, account=account)

    def deliver() -> None:
        try:
            publish_result_deliver(result_id=result.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=deliver)
    worker.start()
    while not PublishResult.objects.filter(pk=result.pk, claimed_until__isnull=False).exists():
        time.sleep(0.02)
    # when the retry sweep looks for free claims all the while the worker waits for the platform
    offered, started = [], time.monotonic()
    while worker.is_alive() and time.monotonic() - started < 20:
        offered.append(str(result.pk) in publish_results_due())
        time.sleep(0.1)
    worker.join()

    # then the claim was never free (renewed every second) and the post went out once
    assert time.monotonic() - started > 6, "the delivery outlived two of its leases"
    assert not any(offered), [i for i, o in enumerate(offered) if o]
    result.refresh_from_db()
    assert result.status == PublishStatus.SUCCESS and result.claimed_until is None
    assert SandboxPost.objects.count() == 1


@pytest.mark.django_db
def test_a_dead_workers_claim_is_free_after_one_short_lease(settings):
    # given a claim whose worker stopped renewing it (it died) at the default lease
    assert settings.SOCIAL_PUBLISH_LEASE_SECONDS <= 30
    post = ContentPostFactory(content=TEXT)
    result = publish_result_prepare(post=post, account=SocialAccountFactory(team=post.team))
    claimed_at = timezone.now()
    lease = claimed_at + timedelta(seconds=settings.SOCIAL_PUBLISH_LEASE_SECONDS)
    PublishResult.objects.filter(pk=result.pk).update(claimed_until=lease, attempts=1)

    # then the sweep leaves it alone while the lease runs, and offers it as soon as it ran out
    assert str(result.pk) not in publish_results_due(now=lease - timedelta(seconds=1))
    assert str(result.pk) in publish_results_due(now=lease + timedelta(seconds=1))


@pytest.mark.django_db
def test_the_retry_sweep_delivers_a_dead_workers_claims_once_each(settings):
    from social.tasks import retry_due_publish_results

    # given three deliveries a dead worker claimed, the first of which had reached the platform
    post = ContentPostFactory(content=TEXT)
    accounts = [SocialAccountFactory(team=post.team) for _ in range(3)]
    results = [publish_result_prepare(post=post, account=a) for a in accounts]
    expired = timezone.now() - timedelta(seconds=1)
    PublishResult.objects.filter(pk__in=[r.pk for r in results]).update(claimed_until=expired, attempts=1)
    from social.services.checks import request_for_post
    from social.services.credentials import account_credentials, connector_for_account

    connector = connector_for_account(accounts[0])
    request = request_for_post(post=post, account=accounts[0], idempotency_key=results[0].idempotency_key)
    connector.publish(account_credentials(accounts[0]), request)

    # when beat's sweep runs, twice
    assert retry_due_publish_results.delay().get() == 3
    assert retry_due_publish_results.delay().get() == 0

    # then each is published once: the first read back, the others posted
    rows = {r.social_account_id: r for r in PublishResult.objects.filter(post=post)}
    assert {r.status for r in rows.values()} == {PublishStatus.SUCCESS}
    assert rows[accounts[0].pk].metadata["readBack"] is True
    assert SandboxPost.objects.count() == 3
