"""Team analytics: output and engagement per member and per brand over a range, in flat queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics.models import ContentAnalytics
from analytics.team_analytics import parse_range, team_analytics
from content.models import ContentPost, PostStatus
from content.tests.factories import ContentPostFactory
from social.models import PublishResult, idempotency_key_for
from social.tests.factories import SocialAccountFactory
from teams.tests.conftest import api_for
from teams.tests.factories import BrandFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def published_post(team, author, account=None, *, days_ago=1, views=0, likes=0, comments=0, shares=0):
    when = timezone.now() - timedelta(days=days_ago)
    post = ContentPostFactory(team=team, author=author, status=PostStatus.PUBLISHED, published_at=when)
    ContentPost.objects.filter(pk=post.pk).update(created_at=when)
    if account is not None:
        PublishResult.objects.create(
            post=post, social_account=account, platform=account.platform, status="SUCCESS", published_at=when,
            idempotency_key=idempotency_key_for(post.pk, account.pk),
        )  # fmt: skip
    # Two cumulative snapshots: only the later, higher one counts.
    ContentAnalytics.objects.create(post=post, platform="linkedin", views=views // 2, likes=likes // 2)
    ContentAnalytics.objects.create(
        post=post, platform="linkedin", views=views, likes=likes, comments=comments, shares=shares
    )
    return post


@pytest.fixture
def team():
    return TeamFactory(name="Agency")


def test_output_and_engagement_per_member_and_per_brand(team):
    # given
    ada = team.owner
    grace = MembershipFactory(team=team, role="editor").user
    acme = BrandFactory(team=team, name="Acme")
    acme_account = SocialAccountFactory(team=team, brand=acme)
    published_post(team, ada, views=1000, likes=40, comments=5, shares=5)
    published_post(team, grace, acme_account, views=200, likes=10, comments=0, shares=0)
    published_post(team, grace, acme_account, days_ago=90, views=5000, likes=500)  # outside the range
    ContentPostFactory(team=team, author=grace)  # a draft written today
    ContentPostFactory(author=grace, team=TeamFactory())  # another team's: never counted

    # when
    start, end = parse_range(None, None)
    report = team_analytics(team=team, start=start, end=end)

    # then
    rows = {r.label: r for r in report.members}
    ada_row = rows[ada.get_full_name()]
    grace_row = rows[grace.get_full_name()]
    assert (ada_row.posts_created, ada_row.posts_published, ada_row.engagements, ada_row.views) == (1, 1, 50, 1000)
    assert ada_row.engagement_rate == 5.0
    assert (grace_row.posts_created, grace_row.posts_published, grace_row.engagements) == (2, 1, 10)
    [acme_row] = report.brands
    assert (acme_row.label, acme_row.posts_published, acme_row.engagements, acme_row.views) == ("Acme", 1, 10, 200)
    assert (report.totals.posts_created, report.totals.posts_published, report.totals.engagements) == (3, 2, 60)


def test_the_api_reports_the_range_and_refuses_a_bad_one(team):
    client = api_for(team.owner)
    url = reverse("api-team-analytics", args=[team.pk])

    ok = client.get(url, {"from": "2026-01-01", "to": "2026-01-31"})
    backwards = client.get(url, {"from": "2026-02-01", "to": "2026-01-01"})
    garbage = client.get(url, {"from": "yesterday"})
    too_long = client.get(url, {"from": "2024-01-01", "to": "2026-01-01"})

    assert ok.status_code == 200
    assert (ok.json()["from"], ok.json()["to"]) == ("2026-01-01", "2026-01-31")
    assert [r["name"] for r in ok.json()["members"]] == [team.owner.get_full_name()]
    assert (backwards.status_code, garbage.status_code, too_long.status_code) == (400, 400, 400)


def test_the_default_range_is_the_last_30_days():
    assert parse_range(None, None, today=date(2026, 3, 31)) == (date(2026, 3, 2), date(2026, 3, 31))


def test_the_query_count_stays_flat_as_posts_members_and_brands_grow(team):
    def grow(n):
        for _ in range(n):
            member = MembershipFactory(team=team).user
            account = SocialAccountFactory(team=team, brand=BrandFactory(team=team))
            published_post(team, member, account, views=10, likes=1)

    start, end = parse_range(None, None)
    grow(2)
    with CaptureQueriesContext(connection) as few:
        team_analytics(team=team, start=start, end=end)
    grow(8)
    with CaptureQueriesContext(connection) as many:
        report = team_analytics(team=team, start=start, end=end)

    assert report.totals.posts_published == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_shows_members_and_brands(client, team):
    BrandFactory(team=team, name="Acme")
    published_post(team, team.owner, views=100, likes=7)
    team.owner.current_team = team
    team.owner.save()
    client.force_login(team.owner)

    response = client.get(reverse("analytics:team_analytics"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="member-analytics"' in html and "Acme" in html
    assert client.get(reverse("analytics:team_analytics"), {"from": "nope"}).status_code == 400
