from __future__ import annotations

import pytest
from celery import Celery

from core.request_context import request_id_var
from core.tests.workers import celery_worker


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_round_trips_through_a_real_worker_process(redis_url):
    # given a worker process consuming from Redis, and a client that only knows the task's name
    client = Celery("test-client", broker=redis_url, backend=redis_url, set_as_current=False)
    with celery_worker(redis_url) as worker:
        # when
        result = client.send_task("core.tasks.ping", args=["hello from the test"])
        answer = result.get(timeout=60)
        token = request_id_var.set("web-request-77")
        try:
            task_request_id = client.send_task("core.tasks.current_request_id_task").get(timeout=60)
        finally:
            request_id_var.reset(token)

    # then it ran in the other process, not eagerly here
    assert answer["echo"] == "hello from the test"
    assert answer["worker"].startswith("celery@")
    assert worker.pid
    # and the request id travelled with the message into the worker's log context
    assert task_request_id == "web-request-77"


def test_a_task_queued_during_a_request_logs_with_that_requests_id():
    from core.tasks import current_request_id_task

    token = request_id_var.set("req-abc-123")
    try:
        # apply() runs here, as an eager task would inside the request, whatever the app's mode
        # (read .result rather than .get(): another test in this process may have run a
        # worker, after which Celery refuses a blocking get() "within a task")
        outcome = current_request_id_task.apply()
    finally:
        request_id_var.reset(token)

    assert outcome.successful()
    assert outcome.result == "req-abc-123"
