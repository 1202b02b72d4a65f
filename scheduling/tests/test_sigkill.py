"""A real worker process SIGKILLed mid-publish: after recovery the post is published exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from content.tests.factories import ContentPostFactory
from core.tests.processes import tied_to_this_process
from core.tests.workers import ROOT, database_url_for_current_test_db, wait_for
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.services import post_schedule
from social.models import PublishResult, PublishStatus, SandboxPost
from social.tests.factories import SocialAccountFactory

LEASE_SECONDS = 3


@contextmanager
def _worker(redis_url: str, log: Path) -> Iterator[subprocess.Popen]:
    """A Celery worker in its own process group (so the whole group can be SIGKILLed), short leases."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_SUBPROCESS": "1",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "DATABASE_URL": database_url_for_current_test_db(),
        "DATABASE_POOL": "false",
        "SOCIAL_PUBLISH_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
    argv += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            tied_to_this_process(argv), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_sigkilled_mid_publish_publishes_once_after_recovery(redis_url):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: two worker processes share the test database while one is killed mid-write; "
            "SQLite's whole-file lock is not the production case (CI runs this on PostgreSQL)"
        )
    # Property 22: Automated Publishing with Timezone Support (exactly once across a worker crash)
    # given a due post whose platform stores it and then keeps the worker waiting for its answer
    post = ContentPostFactory(content="Crash-proof launch announcement")
    account = SocialAccountFactory(
        team=post.team, metadata={"sandbox_fail": "hang_after_delivery", "sandbox_sleep_seconds": 600}
    )
    (row,) = post_schedule(post=post, accounts=[account], at=timezone.now() + timedelta(minutes=2), tz="UTC").scheduled
    ScheduledPost.objects.filter(pk=row.pk).update(scheduled_at=timezone.now() - timedelta(seconds=5))
    client = Celery("sigkill-test", broker=redis_url, backend=redis_url, set_as_current=False)

    def run(task: str) -> object:
        # (a test that ran an eager task earlier leaves Celery believing it is inside one)
        return client.send_task(task).get(timeout=90, disable_sync_subtasks=False)

    client.control.purge()  # this session's Redis database: drop messages an interrupted run left behind
    log = Path(tempfile.mkstemp(prefix="sigkill-worker-", suffix=".log")[1])

    with _worker(redis_url, log) as first:
        # when beat's dispatcher runs on the worker, which then takes the delivery task
        run("scheduling.tasks.dispatch_due_scheduled_posts")
        wait_for(lambda: SandboxPost.objects.filter(account_id=account.account_id).exists(), timeout=90)
        # and the worker is SIGKILLed while it waits for the platform's answer
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert first.returncode == -signal.SIGKILL

    # then the platform holds the post, but nothing on our side knows it yet
    row.refresh_from_db()
    assert row.attempts == 1
    result = PublishResult.objects.get(post=post, social_account=account)
    assert row.status == ScheduleStatus.PROCESSING
    assert result.status == PublishStatus.PENDING and result.claimed_until is not None
    assert SandboxPost.objects.count() == 1

    # when a fresh worker runs beat's recovery once the dead worker's lease has run out
    time.sleep(max(0.0, (result.claimed_until - timezone.now()).total_seconds()) + 0.5)
    with _worker(redis_url, log):

        def recovered() -> bool:
            run("social.tasks.retry_due_publish_results")
            run("scheduling.tasks.reconcile_scheduled_posts")
            return ScheduledPost.objects.get(pk=row.pk).status == ScheduleStatus.COMPLETED

        try:
            wait_for(recovered, timeout=120, interval=0.5)
        except AssertionError:
            raise AssertionError(f"not recovered; worker log:\n{log.read_text()[-4000:]}") from None

    # then it was read back from the platform, not posted a second time
    result.refresh_from_db()
    assert SandboxPost.objects.count() == 1
    assert PublishResult.objects.filter(post=post).count() == 1
    assert result.status == PublishStatus.SUCCESS
    assert result.metadata["readBack"] is True
    assert result.platform_post_id == str(SandboxPost.objects.get().pk)
    log.unlink(missing_ok=True)
