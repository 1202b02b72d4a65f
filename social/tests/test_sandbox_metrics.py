"""The sandbox's simulated metrics grow like a real post's, and are recorded as simulated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.snapshots import metrics_fetch_for_result
from social.models import PublishResult, PublishStatus, SandboxPost
from social.platforms.base import ConnectorError
from social.platforms.sandbox import SandboxConnector, sandbox_metrics
from social.services.credentials import account_credentials
from social.tests.factories import SocialAccountFactory

ids = st.uuids().map(str)
DAY = timedelta(days=1)


# Property 14: Real Engagement Metrics Collection
@settings(max_examples=60, deadline=None)
@given(post_id=ids, hours=st.floats(min_value=0, max_value=24 * 90))
def test_impressions_count_repeats_reach_counts_people_views_count_opens(post_id, hours):
    metrics = sandbox_metrics(post_id, age=timedelta(hours=hours))

    assert metrics.impressions >= metrics.reach >= metrics.views >= 0
    assert metrics.raw["simulated"] is True
    # the same post at the same age always reports the same figures (tests can assert them)
    assert sandbox_metrics(post_id, age=timedelta(hours=hours)) == metrics


@settings(max_examples=40, deadline=None)
@given(post_id=ids)
def test_views_and_impressions_differ_once_a_post_has_an_audience(post_id):
    metrics = sandbox_metrics(post_id, age=2 * DAY)

    assert metrics.impressions > metrics.reach > metrics.views > 0


@settings(max_examples=40, deadline=None)
@given(post_id=ids)
def test_daily_gains_decay_after_publishing(post_id):
    days = [sandbox_metrics(post_id, age=d * DAY) for d in range(0, 15)]
    gained = [later.impressions - earlier.impressions for earlier, later in zip(days, days[1:], strict=False)]
    likes = [later.likes - earlier.likes for earlier, later in zip(days, days[1:], strict=False)]

    # the first day brings the most, later days less and less (never negative)
    assert gained[0] > gained[1] > gained[3] >= gained[7] >= gained[13] >= 0
    assert likes[0] > 0 and likes[0] >= likes[2] and sum(likes[:3]) >= sum(likes[3:]) and min(likes) >= 0
    # interactions fade faster than the audience does
    assert likes[0] / max(sum(likes), 1) > gained[0] / sum(gained)


@pytest.mark.django_db
def test_a_fetched_sandbox_snapshot_is_recorded_as_simulated(user):
    from content.tests.factories import ContentPostFactory

    account = SocialAccountFactory(team=user.current_team)
    post = ContentPostFactory(author=user)
    delivered = SandboxPost.objects.create(account_id=account.account_id, text=post.content)
    result = PublishResult.objects.create(
        post=post,
        social_account=account,
        platform="sandbox",
        platform_post_id=str(delivered.pk),
        status=PublishStatus.SUCCESS,
    )

    snapshot = metrics_fetch_for_result(result_id=result.pk)

    assert snapshot is not None and snapshot.simulated is True and snapshot.platform == "sandbox"


@pytest.mark.django_db
@pytest.mark.parametrize("platform_post_id", ["sandbox-1c245f586d68", "", "not a uuid"])
def test_an_id_the_sandbox_never_gave_out_is_a_clean_not_found(user, platform_post_id):
    account = SocialAccountFactory(team=user.current_team)

    with pytest.raises(ConnectorError) as raised:
        SandboxConnector().fetch_metrics(account_credentials(account), platform_post_id)

    assert raised.value.status == 404


@pytest.mark.django_db
def test_backfill_skips_a_result_whose_id_the_sandbox_never_gave_out(user):
    from io import StringIO

    from django.core.management import call_command

    from analytics.models import ContentAnalytics
    from content.tests.factories import ContentPostFactory

    # given demo data seeded by an older version: a "published" result with a made-up sandbox id
    account = SocialAccountFactory(team=user.current_team)
    PublishResult.objects.create(
        post=ContentPostFactory(author=user),
        social_account=account,
        platform="sandbox",
        platform_post_id="sandbox-1c245f586d68",
        status=PublishStatus.SUCCESS,
    )
    out = StringIO()

    # when the backfill runs over it
    call_command("backfill_sandbox_metrics", team=str(user.current_team.pk), stdout=out)

    # then it is skipped, not a crash
    assert "Recorded 0 simulated snapshots." in out.getvalue()
    assert not ContentAnalytics.objects.exists()
