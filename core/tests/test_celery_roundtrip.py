from __future__ import annotations

import pytest
from celery import Celery

from core.tests.workers import celery_worker


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_round_trips_through_a_real_worker_process(redis_url):
    # given a worker process consuming from Redis, and a client that only knows the task's name
    client = Celery("test-client", broker=redis_url, backend=redis_url)
    with celery_worker(redis_url) as worker:
        # when
        result = client.send_task("core.tasks.ping", args=["hello from the test"])
        answer = result.get(timeout=60)

    # then it ran in the other process, not eagerly here
    assert answer["echo"] == "hello from the test"
    assert answer["worker"].startswith("celery@")
    assert worker.pid
