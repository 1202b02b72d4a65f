"""Scheduling under load: 10,000 posts due at once on the sandbox, two Celery worker processes.

Prints:
- duplicates and misses (both must be 0),
- publish throughput as a ratio to a no-op Celery task's throughput measured in the same run
  with the same two workers (target >= 0.5),
- dispatch lag p99 with 1,000 posts due over one minute (target <= 5 s).

Needs PostgreSQL and Redis (this machine has both):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_bench_schedule \
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/schedule_burst.py [--posts 10000]
The database is dropped and created fresh.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cg_bench_schedule"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"


def _prepare_env() -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_POOL": "false",
        "SOCIAL_PUBLISH_LEASE_SECONDS": "120",
        # The sandbox models a platform's posting limit (50 per 15 min per account); the bench measures
        # our dispatch path, not that limit, so it is lifted here.
        "SOCIAL_POSTING_BUDGETS": '{"sandbox": [{"scope": "account", "limit": 1000000, "seconds": 60}]}',
    }
    os.environ.update(env)
    return env


def _recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _start_workers(env: dict[str, str], count: int) -> list[subprocess.Popen]:
    from core.tests.processes import tied_to_this_process

    workers = []
    for i in range(count):
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-n",
            f"bench{i}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ]
        workers.append(
            subprocess.Popen(
                tied_to_this_process(argv), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
    return workers


def _wait_workers_ready(app, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= count:
            return
    raise SystemExit("workers did not start")


def _noop_throughput(n: int) -> float:
    from celery import group

    from core.tasks import ping

    started = time.perf_counter()
    result = group(ping.s("x") for _ in range(n)).apply_async()
    result.join(timeout=600, propagate=True)
    return n / (time.perf_counter() - started)


def _make_due_posts(n: int, *, spread_seconds: float = 0.0) -> list[str]:
    from django.utils import timezone

    from accounts.models import User
    from content.models import ContentPost, PostStatus
    from scheduling.models import ScheduledPost
    from social.models import SocialAccount

    user = User.objects.filter(email="bench@example.com").first() or User.objects.create_user(
        "bench@example.com", "bench-password-1"
    )
    team = user.current_team
    account, _ = SocialAccount.objects.get_or_create(
        team=team,
        platform="sandbox",
        account_id="bench-account",
        defaults={"account_name": "Bench", "access_token": "bench-token"},
    )
    now = timezone.now()
    posts = ContentPost.objects.bulk_create(
        [
            ContentPost(
                team=team,
                author=user,
                content=f"Bench post {i} {now.timestamp()}",
                platform="sandbox",
                status=PostStatus.SCHEDULED,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    step = spread_seconds / n if spread_seconds else 0.0
    rows = ScheduledPost.objects.bulk_create(
        [
            ScheduledPost(
                post=p,
                social_account=account,
                platform="sandbox",
                timezone="UTC",
                scheduled_at=now + timedelta(seconds=i * step) if step else now - timedelta(seconds=1),
            )
            for i, p in enumerate(posts)
        ],
        batch_size=2000,
    )
    return [str(r.pk) for r in rows]


def _drain(ids: list[str], *, dispatch_every: float, timeout: float) -> float:
    """Run the dispatcher like beat does until every schedule finished; returns the elapsed time."""
    from django.db.models import Max, Min

    from scheduling.models import ScheduledPost, ScheduleStatus
    from scheduling.services import dispatch_due_posts

    span = ScheduledPost.objects.filter(pk__in=ids).aggregate(first=Min("scheduled_at"), last=Max("scheduled_at"))
    first, last = span["first"], span["last"]
    started = time.perf_counter()
    deadline = started + timeout
    last_dispatch = 0.0
    while time.perf_counter() < deadline:
        if time.perf_counter() - last_dispatch >= dispatch_every:
            last_dispatch = time.perf_counter()
            while dispatch_due_posts(limit=500):
                pass
        # Counted by position in the bench account's queue, not with `pk__in=<10,000 ids>`: a query that
        # size, five times a second, cost the workers a good share of the two cores it measures.
        open_rows = (
            ScheduledPost.objects.filter(scheduled_at__gte=first, scheduled_at__lte=last)
            .exclude(status__in=[ScheduleStatus.COMPLETED, ScheduleStatus.FAILED])
            .count()
        )
        if open_rows == 0:
            break
        time.sleep(0.2)
    return time.perf_counter() - started


def _audit(ids: list[str]) -> tuple[int, int]:
    from django.db.models import Count

    from scheduling.models import ScheduledPost, ScheduleStatus
    from social.models import SandboxPost

    keys = SandboxPost.objects.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1)
    duplicates = sum(row["n"] - 1 for row in keys)
    misses = ScheduledPost.objects.filter(pk__in=ids).exclude(status=ScheduleStatus.COMPLETED).count()
    return duplicates, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--noop", type=int, default=3_000, help="no-op tasks for the baseline")
    parser.add_argument("--lag-posts", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = _prepare_env()
    _recreate_database(env["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    from config.celery import app

    call_command("migrate", verbosity=0)
    app.control.purge()
    workers = _start_workers(env, args.workers)
    try:
        _wait_workers_ready(app, args.workers)

        noop_rate = _noop_throughput(args.noop)
        print(f"no-op Celery tasks:      {noop_rate:8.1f} tasks/s with {args.workers} workers")

        ids = _make_due_posts(args.posts)
        elapsed = _drain(ids, dispatch_every=1.0, timeout=1800)
        duplicates, misses = _audit(ids)
        publish_rate = args.posts / elapsed
        print(f"burst of {args.posts} due posts: {elapsed:8.1f} s, {publish_rate:8.1f} posts/s")
        print(f"duplicates: {duplicates}   misses: {misses}   (both must be 0)")
        print(f"throughput ratio publish/no-op: {publish_rate / noop_rate:.3f}  (target >= 0.5)")

        from scheduling.models import ScheduledPost

        lag_ids = _make_due_posts(args.lag_posts, spread_seconds=60.0)
        _drain(lag_ids, dispatch_every=1.0, timeout=600)
        rows = ScheduledPost.objects.filter(pk__in=lag_ids).select_related("publish_result")
        lags = sorted(
            (r.publish_result.published_at - r.scheduled_at).total_seconds()
            for r in rows
            if r.publish_result and r.publish_result.published_at
        )
        lag_dup, lag_miss = _audit(lag_ids)
        p99 = lags[int(len(lags) * 0.99) - 1] if lags else float("nan")
        print(
            f"{args.lag_posts} posts due over 60 s: lag p50 {statistics.median(lags):.2f} s, p99 {p99:.2f} s "
            f"(target <= 5 s); duplicates {lag_dup}, misses {lag_miss}"
        )
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=20)


if __name__ == "__main__":
    main()
