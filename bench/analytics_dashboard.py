"""Analytics dashboard benchmark on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_bench_analytics .venv/bin/python bench/analytics_dashboard.py

Creates and migrates the database, loads 1,000,000 ContentAnalytics snapshots with COPY in four steps
(100k, 250k, 500k, 1M), folds each step into the daily rollups, and times the 90-day dashboard
(`analytics.selectors.dashboard_data`, uncached) against hand-written SQL returning the same numbers
from the same rollups (activity sums of the *_gained columns, the lifetime top posts), plus the naive
SQL over the raw snapshots for reference (lifetime totals, the old semantics, as a yardstick only).
Options: --rows N (default 1,000,000), --repeat R (default 5 timings, the median is printed).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SNAPSHOTS_PER_POST = 250  # every 4 hours for about 42 days after publishing
METRIC_COLUMNS = ("views", "likes", "shares", "comments", "clicks", "reach", "impressions")


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def reset(team_name: str):
    from django.db import connection

    from accounts.models import User

    with connection.cursor() as cursor:  # a previous run's million rows go in one statement
        cursor.execute("TRUNCATE analytics_contentanalytics, analytics_dailymetricrollup, analytics_rollupwatermark")
    User.objects.filter(email="bench@example.com").delete()
    user = User.objects.create_user("bench@example.com", "bench-password-123", first_name="Bench")
    return user.current_team


def make_posts(team, count: int, now: datetime, rng: random.Random):
    from content.models import ContentPost

    posts = [
        ContentPost(
            team=team,
            title=f"Bench post {i}",
            content=f"Benchmark post {i} #bench",
            platform="linkedin",
            status="PUBLISHED",
            published_at=now - timedelta(days=rng.uniform(0, 365)),
        )
        for i in range(count)
    ]
    return ContentPost.objects.bulk_create(posts, batch_size=2000)


def copy_snapshots(posts, now: datetime, rng: random.Random) -> int:
    from django.db import connection

    platforms = ("linkedin", "twitter", "instagram", "facebook")
    columns = ("post_id", "platform", *METRIC_COLUMNS, "engagement_rate", "recorded_at")
    rows = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY analytics_contentanalytics ({', '.join(columns)}) FROM STDIN") as copy:
            for post in posts:
                platform = platforms[hash(post.pk) % len(platforms)]
                impressions = likes = 0
                for k in range(SNAPSHOTS_PER_POST):
                    at = post.published_at + timedelta(hours=4 * k)
                    if at > now:
                        break
                    impressions += rng.randrange(0, 200)
                    likes += rng.randrange(0, 12)
                    views = impressions // 2
                    copy.write_row(
                        (
                            post.pk,
                            platform,
                            views,
                            likes,
                            likes // 5,
                            likes // 3,
                            likes // 2,
                            impressions * 4 // 5,
                            impressions,
                            likes / max(impressions, 1),
                            at,
                        )
                    )
                    rows += 1
    return rows


GAINED = ", ".join(f"SUM({m}_gained)" for m in METRIC_COLUMNS)
# Activity in the period: what posts gained, summed from the rollups' *_gained columns.
HAND_SQL_ACTIVITY = f"""
SELECT platform, {GAINED}
FROM analytics_dailymetricrollup WHERE team_id = %s AND date BETWEEN %s AND %s GROUP BY platform ORDER BY platform
"""
HAND_SQL_HISTORY = "SELECT EXISTS (SELECT 1 FROM analytics_dailymetricrollup WHERE team_id = %s AND date <= %s)"
HAND_SQL_SERIES = f"""
SELECT date, {GAINED}
FROM analytics_dailymetricrollup WHERE team_id = %s AND date BETWEEN %s AND %s GROUP BY date ORDER BY date
"""
HAND_SQL_TOP = """
WITH latest AS (
  SELECT DISTINCT ON (post_id, platform) post_id, platform, likes, comments, shares, clicks, impressions
  FROM analytics_dailymetricrollup WHERE team_id = %s AND date BETWEEN %s AND %s
  ORDER BY post_id, platform, date DESC)
SELECT l.post_id, p.title, p.content, SUM(l.likes + l.comments + l.shares + l.clicks) AS interactions,
       SUM(l.impressions)
FROM latest l JOIN content_contentpost p ON p.id = l.post_id
GROUP BY l.post_id, p.title, p.content ORDER BY interactions DESC, l.post_id LIMIT 5
"""
RAW_SQL = """
WITH latest AS (
  SELECT DISTINCT ON (a.post_id, a.platform) a.platform, a.views, a.likes, a.shares, a.comments, a.clicks, a.reach,
         a.impressions
  FROM analytics_contentanalytics a JOIN content_contentpost p ON p.id = a.post_id
  WHERE p.team_id = %s AND a.recorded_at >= %s AND a.recorded_at < %s
  ORDER BY a.post_id, a.platform, a.recorded_at DESC, a.id DESC)
SELECT platform, SUM(views), SUM(likes), SUM(shares), SUM(comments), SUM(clicks), SUM(reach), SUM(impressions)
FROM latest GROUP BY platform ORDER BY platform
"""


def hand_written(team, time_range):
    from django.db import connection

    previous = time_range.previous()
    with connection.cursor() as c:
        c.execute(HAND_SQL_ACTIVITY, [team.pk, time_range.start, time_range.end])
        current = c.fetchall()
        c.execute(HAND_SQL_ACTIVITY, [team.pk, previous.start, previous.end])
        before = c.fetchall()
        if not before:
            c.execute(HAND_SQL_HISTORY, [team.pk, previous.end])
            c.fetchall()
        c.execute(HAND_SQL_SERIES, [team.pk, time_range.start, time_range.end])
        series = c.fetchall()
        c.execute(HAND_SQL_TOP, [team.pk, time_range.start, time_range.end])
        top = c.fetchall()
    return current, before, series, top


def raw_snapshots(team, time_range):
    from django.db import connection

    start = datetime.combine(time_range.start, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(time_range.end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    with connection.cursor() as c:
        c.execute(RAW_SQL, [team.pk, start, end])
        return c.fetchall()


def median_ms(fn, repeat: int) -> float:
    fn()  # warm the cache of the database, not ours: the dashboard's own cache is not used here
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/cg_bench_analytics"
        )
    ensure_database(url)
    setup_django()

    from django.db import connection

    from analytics.metrics import METRICS, parse_time_range
    from analytics.models import DailyMetricRollup
    from analytics.rollups import rollups_catch_up
    from analytics.selectors import dashboard_data

    rng = random.Random(42)
    now = datetime.now(tz=UTC)
    team = reset("bench")
    time_range = parse_time_range("90d")
    steps = [s for s in (100_000, 250_000, 500_000, 1_000_000) if s < args.rows] + [args.rows]
    loaded = 0
    print(
        f"{'snapshots':>10} {'rollups':>8} {'load s':>7} {'fold s':>7} {'dashboard ms':>13} {'hand SQL ms':>12} "
        f"{'ratio':>6} {'raw SQL ms':>11} {'vs raw':>7}"
    )
    ratio = 0.0
    for target in steps:
        started = time.perf_counter()
        while loaded < target:
            batch = make_posts(team, max(1, min(2000, (target - loaded) // SNAPSHOTS_PER_POST + 1)), now, rng)
            loaded += copy_snapshots(batch, now, rng)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        rollups_catch_up(batch_size=50_000)
        fold_s = time.perf_counter() - started
        with connection.cursor() as c:
            c.execute("ANALYZE analytics_contentanalytics; ANALYZE analytics_dailymetricrollup")

        ours = median_ms(lambda: dashboard_data(team=team, time_range=time_range), args.repeat)
        hand = median_ms(lambda: hand_written(team, time_range), args.repeat)
        raw = median_ms(lambda: raw_snapshots(team, time_range), max(1, args.repeat // 2))
        # the two must agree before their times mean anything
        data = dashboard_data(team=team, time_range=time_range)
        sql_current = hand_written(team, time_range)[0]
        assert [(row[0], *row[1:]) for row in sql_current] == [
            (row["platform"], *(row[m] for m in METRICS)) for row in data["by_platform"]
        ], "dashboard and hand-written SQL disagree"
        rollups = DailyMetricRollup.objects.count()
        ratio = ours / hand
        print(
            f"{loaded:>10,} {rollups:>8,} {load_s:>7.1f} {fold_s:>7.1f} {ours:>13.1f} {hand:>12.1f} "
            f"{ratio:>6.2f} {raw:>11.1f} {ours / raw:>7.2f}",
            flush=True,
        )
    print(
        "ratio = dashboard / hand-written SQL over the same rollups (target <= 1.5); raw SQL = the same totals "
        "by hand-written SQL straight from the snapshots, and 'vs raw' the dashboard's time as a ratio to it"
    )
    verdict = "PASS" if ratio <= 1.5 else "FAIL"
    print(
        f"{verdict}: at {loaded:,} snapshots the dashboard takes {ratio:.2f}x the hand-written SQL "
        "(target <= 1.5 at 1,000,000; small runs are dominated by fixed per-query costs)"
    )


if __name__ == "__main__":
    main()
