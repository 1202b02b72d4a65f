"""What the demo shows can be trusted: no cliff, real comparisons, best times from its own posts,
forecasts that say how wrong they were on the last 14 days, simulated figures marked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from accounts.tests.factories import UserFactory
from analytics.forecast import BACKTEST_DAYS, backtest, forecast_series
from analytics.posting_times import MIN_OWN_POSTS, best_posting_times
from analytics.tests.factories import bulk_snapshots
from content.tests.factories import ContentPostFactory

NOW = datetime(2026, 12, 7, 15, 30, tzinfo=UTC)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_demo_dashboard_has_no_cliff_real_comparisons_and_confident_best_times(client):
    from accounts.models import User
    from analytics.rollups import rollups_catch_up
    from monitoring.management.commands.seed_demo import DEMO_EMAIL

    # given the demo workspace, its metrics folded into the rollups
    call_command("seed_demo", stdout=StringIO())
    rollups_catch_up()
    client.force_login(User.objects.get(email=DEMO_EMAIL))

    # when the demo user opens the analytics page (default: the last 30 days)
    response = client.get("/analytics/")

    # then
    assert response.status_code == 200
    data = response.context["data"]
    series = data["series"]
    # each day is what the posts gained that day; the days add up to the period's totals; today is partial
    assert sum(point["impressions"] for point in series) == data["totals"]["impressions"] > 0
    assert all(point["impressions"] >= 0 for point in series)
    assert series[-1]["partial"] and not any(point["partial"] for point in series[:-1])
    # KPIs compare with the 30 days before
    assert data["has_previous"] and data["kpis"]["impressions"]["previous"] > 0
    assert data["kpis"]["impressions"]["absolute"] is not None
    html = response.content.decode()
    assert "no previous data" not in html and "vs previous period" in html
    # best times come from the team's own posts, with some confidence
    assert response.context["best_times_source"] == "own"
    assert all(slot["confidence"] > 0 for slot in response.context["best_times"])
    assert "From your own results" in html
    # the sandbox's figures are marked simulated, platforms go by their names
    assert 'data-testid="simulated-notice"' in html and "LinkedIn" in html
    linkedin = next(row for row in data["by_platform"] if row["platform"] == "linkedin")
    assert linkedin["platform_name"] == "LinkedIn" and linkedin["simulated"] and linkedin["engagements"] > 0
    assert f'LinkedIn <span class="badge text-bg-info">simulated</span>: {linkedin["engagements"]:,}' in html
    assert set(data["simulated_platforms"]) >= {"linkedin", "twitter"}
    assert "Activity in the period" in html and "Lifetime per post" in html
    # the forecast names its model and reports its backtest
    assert "Holt&#x27;s linear trend" in html or "Holt's linear trend" in html
    assert 'data-testid="forecast-backtest"' in html and "Backtest:" in html

    # and the demo's PDF report, rendered to PNG pages to look at (var/test-results/analytics-report/)
    from analytics.exports import RENDERERS, export_dataset
    from analytics.metrics import parse_time_range
    from analytics.tests.test_report_pdf import _render_png

    team = response.context["team"]
    dataset = export_dataset(team=team, time_range=parse_time_range("30d"), platform=None, metrics=[])
    assert len(_render_png(RENDERERS["PDF"][0](dataset), "report-demo")) >= 4


def test_a_backtest_holds_out_the_last_14_days_and_reports_the_error_beside_their_size():
    steady = [100.0 + 2 * day for day in range(60)]
    noisy = [100.0 + (40 if day % 2 else -40) for day in range(60)]

    good, bad = backtest(steady), backtest(noisy)

    assert good is not None and bad is not None
    assert good["days"] == BACKTEST_DAYS and good["mae"] < 1 and good["mean_actual"] == pytest.approx(205, abs=0.01)
    assert bad["mae"] > 20
    assert backtest([5.0] * (BACKTEST_DAYS + 2)) is None  # too short to hold out two weeks and still fit


def test_a_forecast_leaves_out_the_partial_day_and_names_its_model():
    series = [{"date": f"2026-11-{day:02d}", "impressions": 100} for day in range(1, 30)]
    series.append({"date": "2026-11-30", "impressions": 3, "partial": True})

    result = forecast_series(series, metrics=("impressions",), horizon=3)["impressions"]

    assert result["model"].startswith("Holt's linear trend") and result["interval_name"] == "95% prediction interval"
    assert result["history_days"] == 29
    assert [point["date"] for point in result["points"]] == ["2026-11-30", "2026-12-01", "2026-12-02"]
    assert result["points"][0]["value"] == pytest.approx(100, abs=1)  # not dragged down by the partial 3


def _team_with_posts(rates: list[float]):
    user = UserFactory()
    team = user.current_team
    team.timezone = "UTC"
    team.save(update_fields=["timezone"])
    tuesday_10 = datetime(2026, 10, 6, 10, tzinfo=UTC)
    rows = []
    for week, rate in enumerate(rates):
        at = tuesday_10 + timedelta(weeks=week)
        post = ContentPostFactory(author=user, status="PUBLISHED", published_at=at)
        rows.append(
            {
                "post": post,
                "platform": "linkedin",
                "recorded_at": at + timedelta(days=1),
                "impressions": 1000,
                "likes": int(rate * 1000),
            }
        )
    bulk_snapshots(rows)
    return team


@pytest.mark.django_db
def test_best_times_come_from_benchmarks_until_the_team_has_enough_posts():
    few = _team_with_posts([0.05] * (MIN_OWN_POSTS - 1))
    enough = _team_with_posts([0.05] * MIN_OWN_POSTS)

    before = best_posting_times(team=few, limit=3)
    after = best_posting_times(team=enough, limit=3)

    assert {slot.source for slot in before} == {"benchmark"}
    assert {slot.source for slot in after} == {"own"}
    assert (after[0].weekday, after[0].hour) == (1, 10) and after[0].confidence > 0


@pytest.mark.django_db
def test_confidence_grows_with_posts_and_falls_with_their_spread():
    steady = _team_with_posts([0.05] * 6)
    more = _team_with_posts([0.05] * 12)
    spread = _team_with_posts([0.01, 0.09] * 3)

    def confidence(team) -> float:
        return next(s.confidence for s in best_posting_times(team=team, limit=168) if (s.weekday, s.hour) == (1, 10))

    assert confidence(more) > confidence(steady) > confidence(spread) > 0


def test_the_engagement_rate_change_is_in_percentage_points_not_percent():
    from analytics.templatetags.analytics_tags import change_badge

    # 4 % then 5 %: one point more, which is a quarter (+25 %) more
    html = change_badge(25.0, {"previous": 0.04, "absolute": 0.01}, True)

    assert "+1.00 pp (+25.0 %)" in html
    with translation.override("es"):
        assert "+1,00 p. p." in change_badge(25.0, {"previous": 0.04, "absolute": 0.01}, True)
