"""The analytics page in a browser: charts render under the CSP, CSV and PDF exports download."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from analytics.tests.conftest import make_history
from billing.models import Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def analyst(db):
    user = User.objects.create_user("grace@example.com", PASSWORD, first_name="Grace")
    Subscription.objects.update_or_create(team=user.current_team, defaults={"tier": "PRO"})
    make_history(user, posts=4, days=12)
    return user


def test_open_analytics_and_download_csv_and_pdf(page, log_in, analyst, page_problems, tmp_path):
    log_in(analyst.email, PASSWORD)
    page.goto("/analytics/?timeRange=30d")
    expect(page.get_by_role("heading", name="Analytics", exact=True)).to_be_visible()
    expect(page.locator('[data-total="impressions"]')).not_to_have_text("0")
    page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length >= 3")
    page.screenshot(path=str(tmp_path / "analytics-page.png"), full_page=True)

    with page.expect_download() as csv_info:
        page.click('[data-export-format="CSV"]')
    csv_path = tmp_path / "export.csv"
    csv_info.value.save_as(csv_path)
    assert csv_path.read_text().startswith("section,kind,date,platform,platformName,simulated,views")
    assert csv_info.value.suggested_filename.endswith(".csv")

    with page.expect_download() as pdf_info:
        page.click('[data-export-format="PDF"]')
    pdf_path = tmp_path / "export.pdf"
    pdf_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "analytics-phone.png"), full_page=True)
    assert page_problems.collect(page) == []


def test_live_event_refreshes_the_totals(page, log_in, analyst, notification_socket, page_problems):
    log_in(analyst.email, PASSWORD)
    page.goto("/analytics/?timeRange=7d")
    page.wait_for_function("document.body.dataset.socketState === 'open'")
    total = page.locator('[data-total="likes"]')
    before = total.inner_text()

    from django.utils import timezone

    from analytics.models import ContentAnalytics

    post = analyst.current_team.posts.first()
    ContentAnalytics.objects.create(post=post, platform="linkedin", recorded_at=timezone.now(), likes=5000)
    for ws in notification_socket.connections:
        ws.send('{"type": "team_event", "event": {"kind": "analytics.updated"}}')
    expect(total).not_to_have_text(before)
    expect(page.locator("#live-status")).to_contain_text("Updated")
    assert page_problems.collect(page) == []


def test_a_page_with_no_metrics_yet_shows_the_chart_and_top_post_when_metrics_land(
    page, log_in, notification_socket, page_problems
):
    from django.utils import timezone

    from analytics.models import ContentAnalytics
    from content.tests.factories import ContentPostFactory

    # given a Pro user whose posts have no metrics yet, on the analytics page
    user = User.objects.create_user("ada@example.com", PASSWORD, first_name="Ada")
    Subscription.objects.update_or_create(team=user.current_team, defaults={"tier": "PRO"})
    post = ContentPostFactory(author=user, title="Autumn blend launch", status="PUBLISHED", published_at=timezone.now())
    log_in(user.email, PASSWORD)
    page.goto("/analytics/?timeRange=7d")
    page.wait_for_function("document.body.dataset.socketState === 'open'")
    expect(page.get_by_test_id("series-empty")).to_be_visible()
    expect(page.locator("#series-box")).to_be_hidden()

    # when the platform reports the post's first numbers and the server says so
    ContentAnalytics.objects.create(
        post=post, platform="linkedin", recorded_at=timezone.now(), impressions=1200, likes=48, comments=6
    )
    for ws in notification_socket.connections:
        ws.send('{"type": "team_event", "event": {"kind": "analytics.updated"}}')

    # then the page shows them without a reload: totals, the daily chart, the post among the top posts
    expect(page.locator('[data-total="impressions"]')).to_have_text("1,200")
    expect(page.locator("#series-box")).to_be_visible()
    expect(page.get_by_test_id("series-empty")).to_be_hidden()
    expect(page.locator("#top-posts")).to_contain_text("Autumn blend launch")
    page.wait_for_function("window.Chart && window.Chart.getChart('series-chart') !== undefined")
    expect(page.locator("#live-status")).to_contain_text("Updated")
    assert page_problems.collect(page) == []


def test_the_demo_dashboard_says_what_its_numbers_are(page, log_in, page_problems, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from monitoring.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD, DEMO_EMAIL
    from tests.browser.conftest import RESULTS_DIR

    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", stdout=StringIO())
    log_in(DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
    page.goto("/analytics/?timeRange=30d")

    expect(page.get_by_test_id("simulated-notice")).to_be_visible()
    expect(page.get_by_test_id("partial-day")).to_be_visible()
    expect(page.get_by_test_id("best-times-source")).to_contain_text("From your own results")
    expect(page.locator("#platform-names")).to_contain_text("LinkedIn")
    expect(page.get_by_test_id("forecast-backtest")).to_contain_text("Backtest:")
    page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length >= 3")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "analytics-demo.png"), full_page=True)
    assert page_problems.collect(page) == []
