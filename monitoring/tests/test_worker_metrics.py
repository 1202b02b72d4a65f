"""A real Celery worker serves its own counters when WORKER_METRICS_PORT is set."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from celery import Celery
from prometheus_client.parser import text_string_to_metric_families

from core.models import Heartbeat
from core.tests.workers import celery_worker, wait_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _scrape(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:  # noqa: S310
            return response.read().decode()
    except OSError:
        return None


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_exports_the_database_work_its_tasks_did(redis_url, tmp_path, monkeypatch):
    port = _free_port()
    monkeypatch.setenv("WORKER_METRICS_PORT", str(port))
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prometheus"))
    client = Celery("test-client", broker=redis_url, backend=redis_url, set_as_current=False)

    with celery_worker(redis_url):
        wait_for(lambda: _scrape(port), timeout=60)
        # when the worker runs a task that writes a row
        client.send_task("core.tasks.record_beat_heartbeat")  # ignore_result: nothing to wait on
        wait_for(lambda: Heartbeat.objects.filter(name="beat").exists(), timeout=60)
        text = wait_for(lambda: _scrape(port), timeout=10)

    # then its queries show in its own scrape, summed from the multiprocess directory
    executed = [
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "django_db_execute_total"
    ]
    assert sum(executed) > 0
    assert any((tmp_path / "prometheus").glob("*.db"))
