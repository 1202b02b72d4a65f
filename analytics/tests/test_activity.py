"""Daily figures are daily: differences of the cumulative counters, carried over gaps, never negative."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from analytics.metrics import METRICS, TimeRange
from analytics.models import ContentAnalytics, DailyMetricRollup
from analytics.rollups import rollups_catch_up
from analytics.selectors import daily_series, dashboard_data
from analytics.tests.factories import bulk_snapshots, snapshot
from content.tests.factories import ContentPostFactory

pytestmark = pytest.mark.django_db
START = datetime(2025, 1, 1, tzinfo=UTC)
HORIZON_DAYS = 40

# One post's history: irregular gaps (minutes to days) between snapshots, counters that only grow.
history = st.lists(
    st.tuples(
        st.integers(1, 3 * 24 * 60),  # minutes since the previous snapshot
        st.lists(st.integers(0, 400), min_size=len(METRICS), max_size=len(METRICS)),  # increments
    ),
    min_size=0,
    max_size=25,
)


def _cumulative(steps: list[tuple[int, list[int]]]) -> list[tuple[datetime, dict[str, int]]]:
    at, totals, out = START, [0] * len(METRICS), []
    for minutes, increments in steps:
        at += timedelta(minutes=minutes)
        totals = [t + i for t, i in zip(totals, increments, strict=True)]
        out.append((at, dict(zip(METRICS, totals, strict=True))))
    return out


def _last_before(points: list[tuple[datetime, dict[str, int]]], day: date) -> dict[str, int]:
    """The last cumulative value recorded on a UTC day before `day` (zeros if none)."""
    before = [values for at, values in points if at.date() < day]
    return before[-1] if before else dict.fromkeys(METRICS, 0)


# Property 16: Analytics Reporting and Export
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    histories=st.lists(history, min_size=1, max_size=3),
    start_offset=st.integers(0, HORIZON_DAYS),
    length=st.integers(1, HORIZON_DAYS),
    arrival_order=st.sampled_from(["in order", "reversed", "two folds"]),
)
def test_daily_series_sums_to_the_rise_of_the_cumulative_counters(histories, start_offset, length, arrival_order):
    # given posts with random cumulative histories, stored in any arrival order
    ContentAnalytics.objects.all().delete()
    DailyMetricRollup.objects.all().delete()
    user = UserFactory()
    posts = [ContentPostFactory(author=user) for _ in histories]
    points = {post.pk: _cumulative(steps) for post, steps in zip(posts, histories, strict=True)}
    rows = [
        {"post": post, "platform": "linkedin", "recorded_at": at, **values}
        for post in posts
        for at, values in points[post.pk]
    ]
    if arrival_order == "reversed":
        rows.reverse()
    if arrival_order == "two folds":
        bulk_snapshots(rows[1::2])
        rows = rows[::2]
    bulk_snapshots(rows)
    period = TimeRange(
        label="custom",
        start=START.date() + timedelta(days=start_offset),
        end=START.date() + timedelta(days=start_offset + length - 1),
    )

    for post in posts:
        # when
        series = daily_series(team=user.current_team, time_range=period, post_id=post.pk)

        # then the period's daily values add up to what the counters rose by over it, and none is negative
        at_end = _last_before(points[post.pk], period.end + timedelta(days=1))
        before_start = _last_before(points[post.pk], period.start)
        for metric in METRICS:
            assert sum(point[metric] for point in series) == at_end[metric] - before_start[metric], metric
            assert all(point[metric] >= 0 for point in series)


@time_machine.travel(datetime(2025, 3, 10, 9, tzinfo=UTC), tick=False)
def test_a_day_without_a_snapshot_is_no_cliff_and_today_is_partial():
    # given a post measured on the 1st, 2nd and (early) today, but not in between
    user = UserFactory()
    post = ContentPostFactory(author=user)
    snapshot(post, datetime(2025, 3, 1, 12, tzinfo=UTC), impressions=100, likes=10)
    snapshot(post, datetime(2025, 3, 2, 12, tzinfo=UTC), impressions=150, likes=12)
    snapshot(post, datetime(2025, 3, 10, 8, tzinfo=UTC), impressions=190, likes=12)
    rollups_catch_up()
    period = TimeRange(label="10d", start=date(2025, 3, 1), end=date(2025, 3, 10))

    # when
    data = dashboard_data(team=user.current_team, time_range=period)

    # then each day shows what it added (not the cumulative value), gaps add nothing, today is partial
    impressions = [point["impressions"] for point in data["series"]]
    assert impressions == [100, 50, 0, 0, 0, 0, 0, 0, 0, 40]
    assert [point["partial"] for point in data["series"]] == [False] * 9 + [True]
    assert data["partial_day"] == "2025-03-10"
    assert data["totals"]["impressions"] == 190
    assert data["kinds"]["series"] == "activity"
    assert data["kinds"]["top_posts"] == "lifetime"
    assert data["top_posts"][0]["impressions"] == 190


@time_machine.travel(datetime(2025, 3, 31, 9, tzinfo=UTC), tick=False)
def test_kpis_compare_with_the_previous_period_and_say_so_only_when_there_is_none():
    user = UserFactory()
    post = ContentPostFactory(author=user)
    period = TimeRange(label="7d", start=date(2025, 3, 25), end=date(2025, 3, 31))

    # given a post first measured in this period: no previous data
    snapshot(post, datetime(2025, 3, 26, tzinfo=UTC), impressions=300, likes=30)
    rollups_catch_up()
    data = dashboard_data(team=user.current_team, time_range=period)
    assert data["has_previous"] is False
    assert data["kpis"]["impressions"] == {"current": 300, "previous": None, "absolute": None, "percent": None}

    # when the same post also has a snapshot in the previous week
    DailyMetricRollup.objects.all().delete()
    ContentAnalytics.objects.all().delete()
    snapshot(post, datetime(2025, 3, 15, tzinfo=UTC), impressions=100, likes=10)
    snapshot(post, datetime(2025, 3, 20, tzinfo=UTC), impressions=200, likes=20)
    snapshot(post, datetime(2025, 3, 26, tzinfo=UTC), impressions=350, likes=25)
    rollups_catch_up()
    data = dashboard_data(team=user.current_team, time_range=period)

    # then this week gained 150 impressions against the previous week's 100 (+50, +50 %)
    assert data["has_previous"] is True
    assert data["kpis"]["impressions"] == {"current": 150, "previous": 100, "absolute": 50, "percent": 50.0}
    assert data["kpis"]["likes"]["absolute"] == -5
    assert data["change"]["impressions"] == 50.0


@time_machine.travel(datetime(2025, 3, 31, 9, tzinfo=UTC), tick=False)
def test_a_quiet_previous_period_is_data_not_missing_data():
    # given a post measured before the previous period and then not again until this one
    user = UserFactory()
    post = ContentPostFactory(author=user)
    snapshot(post, datetime(2025, 3, 1, tzinfo=UTC), impressions=100)
    snapshot(post, datetime(2025, 3, 27, tzinfo=UTC), impressions=160)
    rollups_catch_up()

    # when
    data = dashboard_data(
        team=user.current_team, time_range=TimeRange(label="7d", start=date(2025, 3, 25), end=date(2025, 3, 31))
    )

    # then the previous week gained nothing, which is known: an absolute change, no percent
    assert data["has_previous"] is True
    assert data["kpis"]["impressions"] == {"current": 60, "previous": 0, "absolute": 60, "percent": None}
