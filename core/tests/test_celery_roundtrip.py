from __future__ import annotations

import time

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


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_its_database_connection_from_one_task_to_the_next(redis_url):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker's sessions are read from pg_stat_activity (CI runs it there)")
    # given a worker whose connections may live a minute, and the other PostgreSQL sessions on this database
    from core.models import Heartbeat

    client = Celery("test-client", broker=redis_url, backend=redis_url, set_as_current=False)

    def other_sessions() -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
            return {row[0] for row in cursor.fetchall()}

    def run_heartbeat_task(after: object) -> None:
        client.send_task("core.tasks.record_beat_heartbeat")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            beat = Heartbeat.objects.filter(name="beat").values_list("beat_at", flat=True).first()
            if beat is not None and beat != after:
                return
            time.sleep(0.05)
        raise AssertionError("the worker did not run the task")

    with celery_worker(redis_url, extra_env={"DATABASE_CONN_MAX_AGE": "60"}):
        # when it runs two tasks that use the database
        run_heartbeat_task(after=None)
        time.sleep(0.5)  # the task's end (where Celery used to close the connection) has passed
        after_first = other_sessions()
        run_heartbeat_task(after=Heartbeat.objects.get(name="beat").beat_at)
        time.sleep(0.5)
        after_second = other_sessions()
        # then it kept one session open across both, as a web process does within CONN_MAX_AGE
        assert len(after_first) == 1
        assert after_second == after_first

        # and when its session is cut off between two tasks (a database restart, a proxy's idle timeout)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = %s", [min(after_second)])
        # then the next task checks it before use and runs on a new one (run_heartbeat_task sees it done)
        run_heartbeat_task(after=Heartbeat.objects.get(name="beat").beat_at)
