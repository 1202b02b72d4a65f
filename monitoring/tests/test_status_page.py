"""The staff status page: what it shows, who may see it, and that its queries do not grow with rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import GenerationRecord
from content.tests.factories import ContentPostFactory
from core.models import Heartbeat
from scheduling.models import ScheduleStatus
from scheduling.tests.factories import ScheduledPostFactory
from social.models import PublishResult, PublishStatus
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db
URL = "/admin/status/"


def _failures(n: int, *, tag: str) -> None:
    """n failed deliveries, n failed schedules and n failed AI calls, each in its own team."""
    for i in range(n):
        post = ContentPostFactory()
        account = SocialAccountFactory(team=post.team, account_name=f"{tag}-acct-{i}")
        PublishResult.objects.create(
            post=post,
            social_account=account,
            platform=account.platform,
            status=PublishStatus.FAILED,
            error=f"{tag} platform said no {i}",
        )
        ScheduledPostFactory(
            post=post, social_account=account, status=ScheduleStatus.FAILED, last_error=f"{tag} sched {i}"
        )
        GenerationRecord.objects.create(
            team=post.team,
            user=post.author,
            kind="CAPTION",
            succeeded=False,
            error_code="AI_PROVIDER_UNAVAILABLE",
            attempts=[{"provider": "openai", "outcome": "failed"}],
        )


def test_staff_see_uptime_queues_rates_heartbeats_and_recent_errors(staff_client):
    # given one success and one failure in the last hour, a heartbeat and a due schedule
    _failures(1, tag="broken")
    ok_post = ContentPostFactory()
    ok_account = SocialAccountFactory(team=ok_post.team)
    PublishResult.objects.create(
        post=ok_post,
        social_account=ok_account,
        platform=ok_account.platform,
        status=PublishStatus.SUCCESS,
        published_at=timezone.now(),
    )
    ScheduledPostFactory(scheduled_at=timezone.now() - timezone.timedelta(minutes=5))
    Heartbeat.objects.create(name="beat", beat_at=timezone.now() - timezone.timedelta(minutes=20))

    # when
    response = staff_client.get(URL)

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "This web process" in page and "up " in page
    assert "50.0% (1 of 2)" in page  # publishing, last hour
    assert "100.0% (1 of 1)" in page  # AI generation
    assert "broken platform said no 0" in page and "broken sched 0" in page and "AI_PROVIDER_UNAVAILABLE" in page
    assert "STALE" in page  # 20 minutes is past the 5-minute limit
    assert response.context["scheduled_due"] == 1
    assert response.context["queues"] == {"celery": 0}


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_anyone_but_staff_is_sent_to_the_admin_login_and_sees_no_figures(client, member, who):
    _failures(1, tag="secret")
    if who == "customer":
        client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert b"secret" not in response.content


def test_query_count_stays_flat_as_errors_grow(staff_client):
    _failures(2, tag="few")
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(URL).status_code == 200
    _failures(8, tag="many")
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(URL)

    assert response.status_code == 200
    assert "many platform said no 7" in response.content.decode()
    assert len(many) == len(few)


def test_the_admin_index_links_to_the_status_page(staff_client):
    assert b'href="/admin/status/"' in staff_client.get("/admin/").content


def test_the_dashboard_sidebar_links_staff_only(client, staff, member):
    client.force_login(staff)
    assert b'href="/admin/status/"' in client.get("/dashboard/").content
    client.force_login(member)
    assert b'href="/admin/status/"' not in client.get("/dashboard/").content
