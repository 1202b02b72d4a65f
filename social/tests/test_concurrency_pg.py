"""Two workers publishing the same post to the same account at once: one delivery (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from social.models import PublishResult, PublishStatus, SandboxPost
from social.services.publishing import publish_result_deliver, publish_result_prepare
from social.tests.factories import SocialAccountFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_publish_delivers_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: run with DATABASE_URL=postgres://...")
    user = UserFactory()
    account = SocialAccountFactory(team=user.current_team)
    posts = ContentPostFactory.create_batch(5, author=user, hashtags=[])
    for post in posts:
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def worker(post=post, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                result = publish_result_prepare(post=post, account=account)
                publish_result_deliver(result_id=result.pk)
            except BaseException as exc:  # surfaced below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        assert PublishResult.objects.filter(post=post).count() == 1
        assert PublishResult.objects.get(post=post).status == PublishStatus.SUCCESS
    assert SandboxPost.objects.count() == len(posts)
