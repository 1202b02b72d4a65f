"""Dashboard numbers equal a brute-force computation over the raw snapshots (activity in the period)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from analytics.metrics import METRICS, TimeRange, engagement_rate, with_rate
from analytics.models import ContentAnalytics, DailyMetricRollup
from analytics.rollups import rollups_catch_up, rollups_rebuild
from analytics.selectors import dashboard_data
from analytics.tests.factories import bulk_snapshots
from content.tests.factories import ContentPostFactory

pytestmark = pytest.mark.django_db
TODAY = date(2025, 3, 31)
START = datetime(2025, 1, 1, tzinfo=UTC)

snapshot_rows = st.lists(
    st.tuples(
        st.integers(0, 3),  # post index
        st.sampled_from(["linkedin", "twitter"]),
        st.integers(0, 89 * 24 * 60),  # minutes after START
        st.lists(st.integers(0, 5000), min_size=7, max_size=7),
    ),
    min_size=0,
    max_size=40,
)


def brute_force(snaps: list[dict], time_range: TimeRange, platform: str | None) -> dict:
    """Activity in the range computed from the raw snapshots, the slow way.

    Per (post, platform): the latest snapshot of each UTC day is that day's cumulative value; its
    running high H(d) counts (a counter revised downwards gains nothing until it passes its high);
    what a day gained is H(d) - H(previous measured day), and a range gained H(end) - H(day before start).
    """
    daily: dict[tuple, dict] = {}
    for s in snaps:
        if platform and s["platform"] != platform:
            continue
        dkey = (s["post_id"], s["platform"], s["recorded_at"].date())
        if dkey not in daily or (s["recorded_at"], s["id"]) > (daily[dkey]["recorded_at"], daily[dkey]["id"]):
            daily[dkey] = s
    per_day: dict[date, dict] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    per_platform: dict[str, dict] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    high: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for post_id, plat, day in sorted(daily, key=lambda k: (str(k[0]), k[1], k[2])):
        s = daily[(post_id, plat, day)]
        for m in METRICS:
            gained = max(0, s[m] - high[(post_id, plat)][m])
            high[(post_id, plat)][m] = max(high[(post_id, plat)][m], s[m])
            if time_range.start <= day <= time_range.end:
                per_day[day][m] += gained
                per_platform[plat][m] += gained
    totals = {m: sum(v[m] for v in per_platform.values()) for m in METRICS}
    return {
        "totals": with_rate(totals),
        "per_platform": {k: with_rate(v) for k, v in per_platform.items()},
        "per_day": {d.isoformat(): with_rate(v) for d, v in per_day.items()},
    }


def _rounded(values: dict) -> dict:
    return {**{m: values[m] for m in METRICS}, "engagement_rate": round(values["engagement_rate"], 9)}


# Property 16: Analytics Reporting and Export
# Property 14: Real Engagement Metrics Collection
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=snapshot_rows,
    label=st.sampled_from(["7d", "30d", "90d"]),
    platform=st.sampled_from([None, "linkedin"]),
    rebuild=st.booleans(),
)
def test_dashboard_equals_brute_force(rows, label, platform, rebuild):
    # given
    ContentAnalytics.objects.all().delete()
    DailyMetricRollup.objects.all().delete()
    user = UserFactory()
    posts = [ContentPostFactory(author=user) for _ in range(4)]
    bulk_snapshots(
        [
            {
                "post": posts[i],
                "platform": plat,
                "recorded_at": START + timedelta(minutes=minute),
                **dict(zip(METRICS, values, strict=True)),
            }
            for i, plat, minute, values in rows
        ]
    )
    if rebuild:
        rollups_rebuild(team_id=user.current_team_id)
    snaps = list(ContentAnalytics.objects.values("id", "post_id", "platform", "recorded_at", *METRICS))
    days = {"7d": 7, "30d": 30, "90d": 90}[label]
    time_range = TimeRange(label=label, start=TODAY - timedelta(days=days - 1), end=TODAY)

    # when
    data = dashboard_data(team=user.current_team, time_range=time_range, platform=platform)

    # then
    expected = brute_force(snaps, time_range, platform)
    assert {k: data["totals"][k] for k in expected["totals"]} == pytest.approx(expected["totals"])
    assert {row["platform"]: _rounded(row) for row in data["by_platform"]} == {
        k: _rounded(v) for k, v in expected["per_platform"].items()
    }
    series = {p["date"]: _rounded(p) for p in data["series"] if any(p[m] for m in METRICS)}
    assert series == {d: _rounded(v) for d, v in expected["per_day"].items() if any(v[m] for m in METRICS)}
    previous = brute_force(snaps, time_range.previous(), platform)["totals"]
    assert {k: data["previous"][k] for k in previous} == pytest.approx(previous)


def test_incremental_fold_keeps_the_latest_of_the_day_even_when_it_arrives_first():
    user = UserFactory()
    post = ContentPostFactory(author=user)
    late = datetime(2025, 3, 1, 18, tzinfo=UTC)
    ContentAnalytics.objects.create(post=post, platform="linkedin", recorded_at=late, views=10)
    rollups_catch_up()
    ContentAnalytics.objects.create(post=post, platform="linkedin", recorded_at=late - timedelta(hours=5), views=3)
    rollups_catch_up()
    assert DailyMetricRollup.objects.get(post=post).views == 10


def test_engagement_rate_is_interactions_over_the_larger_audience():
    assert engagement_rate(likes=3, comments=1, shares=1, clicks=5, impressions=200, views=50) == 10 / 200
    assert engagement_rate(likes=3, views=30) == 0.1
    assert engagement_rate() == 0
    snap = ContentAnalytics.objects.create(post=ContentPostFactory(), platform="x", likes=1, comments=1, impressions=10)
    assert snap.engagement_rate == 0.2


breakdown_rows = st.lists(
    st.tuples(
        st.integers(0, 5),  # post index
        st.sampled_from(["linkedin", "instagram"]),
        st.integers(0, 59 * 24 * 60),  # minutes after START
        st.lists(st.integers(0, 3000), min_size=7, max_size=7),
    ),
    max_size=30,
)
POST_PLACES = [("en", "GB"), ("es", "MX"), ("es", "ES"), ("ar", "EG"), ("", ""), ("EN", "gb")]


# Property 47: Global Analytics and Scheduling
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=breakdown_rows, platform=st.sampled_from([None, "linkedin"]))
def test_region_and_language_breakdowns_equal_brute_force(rows, platform):
    from analytics.selectors import breakdown

    # given posts written in several languages for several regions, with random snapshots
    ContentAnalytics.objects.all().delete()
    DailyMetricRollup.objects.all().delete()
    user = UserFactory()
    posts = [
        ContentPostFactory(author=user, metadata={"language": lang, "region": region} if lang else {})
        for lang, region in POST_PLACES
    ]
    bulk_snapshots(
        [
            {
                "post": posts[i],
                "platform": plat,
                "recorded_at": START + timedelta(minutes=minute),
                **dict(zip(METRICS, values, strict=True)),
            }
            for i, plat, minute, values in rows
        ]
    )
    snaps = list(ContentAnalytics.objects.values("id", "post_id", "platform", "recorded_at", *METRICS))
    time_range = TimeRange(label="30d", start=date(2025, 1, 20), end=date(2025, 2, 18))
    place = {p.pk: POST_PLACES[i] for i, p in enumerate(posts)}

    # when
    by_language = breakdown(team=user.current_team, time_range=time_range, dimension="language", platform=platform)
    by_region = breakdown(team=user.current_team, time_range=time_range, dimension="region", platform=platform)

    # then each group sums the latest value within the range of the posts in it (case-folded codes)
    latest: dict[tuple, dict] = {}
    for s in snaps:
        in_range = time_range.start <= s["recorded_at"].date() <= time_range.end
        if not in_range or (platform and s["platform"] != platform):
            continue
        key = (s["post_id"], s["platform"])
        if key not in latest or (s["recorded_at"], s["id"]) > (latest[key]["recorded_at"], latest[key]["id"]):
            latest[key] = s
    for result, index, normalise in ((by_language, 0, str.lower), (by_region, 1, str.upper)):
        expected: dict[str, dict] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
        for (post_id, _), s in latest.items():
            group = normalise(place[post_id][index]) or "unspecified"
            for m in METRICS:
                expected[group][m] += s[m]
        assert {row["key"]: _rounded(row) for row in result} == {k: _rounded(with_rate(v)) for k, v in expected.items()}
