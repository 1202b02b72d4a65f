"""A schedule's chip on the calendar: what it shows, what it lets each role do, and its text escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost, ScheduleStatus
from social.tests.factories import SocialAccountFactory
from teams.models import Membership
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


def _schedule(team, status, text, hours=2):
    post = ContentPostFactory(team=team, title="", content=text)
    return ScheduledPost.objects.create(
        post=post,
        social_account=SocialAccountFactory(team=team),
        platform="sandbox",
        scheduled_at=NOW + timedelta(hours=hours),
        timezone="UTC",
        status=status,
    )


def _chip(html: str, schedule: ScheduledPost) -> str:
    found = re.search(rf'<div class="calendar-chip[^"]*"[^>]*data-schedule-id="{schedule.pk}".*?\n</div>', html, re.S)
    assert found, f"no chip for {schedule.pk}"
    return found.group(0)


@pytest.fixture
def team():
    return UserFactory().current_team


@time_machine.travel(NOW, tick=False)
def test_a_chip_shows_the_local_time_the_start_of_the_text_and_the_state(client, team):
    team.timezone = "Asia/Tokyo"  # UTC+9: 10:00 UTC is 19:00 there
    team.save(update_fields=["timezone"])
    schedule = _schedule(team, ScheduleStatus.PENDING, "Spring sale starts today " + "with more words " * 10)
    client.force_login(team.owner)

    chip = _chip(client.get("/calendar/?date=2026-03-10").content.decode(), schedule)

    assert 'data-local-time="19:00"' in chip
    assert '<span class="chip-time">19:00</span>' in chip
    assert '<span class="chip-text" dir="auto">Spring sale starts today with more word…</span>' in chip
    assert '<span class="status-badge status-pending">Scheduled</span>' in chip
    assert 'draggable="true"' in chip  # the owner may move a pending post
    assert "platform-sandbox" in chip


@time_machine.travel(NOW, tick=False)
def test_a_failed_chip_offers_retry_to_publishers_only(client, team):
    failed = _schedule(team, ScheduleStatus.FAILED, "This one failed")
    pending = _schedule(team, ScheduleStatus.PENDING, "This one waits", hours=3)
    viewer = MembershipFactory(team=team, role=Membership.Role.VIEWER).user
    viewer.current_team = team
    viewer.save(update_fields=["current_team"])

    client.force_login(team.owner)
    chip = _chip(client.get("/calendar/?date=2026-03-10").content.decode(), failed)
    assert f'action="/calendar/{failed.pk}/retry/"' in chip
    assert 'name="csrfmiddlewaretoken"' in chip
    assert "Retry now" in chip
    assert 'draggable="true"' not in chip  # only pending posts move

    client.force_login(viewer)
    html = client.get("/calendar/?date=2026-03-10").content.decode()
    assert "Retry now" not in _chip(html, failed)
    assert 'draggable="true"' not in _chip(html, pending)


@time_machine.travel(NOW, tick=False)
def test_a_chip_escapes_the_posts_text_everywhere_it_shows(client, team):
    schedule = _schedule(team, ScheduleStatus.PENDING, '<script>alert("x")</script> & "quotes"')
    client.force_login(team.owner)

    for html in (
        client.get("/calendar/?date=2026-03-10").content.decode(),
        client.get("/calendar/?view=week&date=2026-03-10").content.decode(),
        client.get("/calendar/day/?date=2026-03-10", **HTMX).content.decode(),
    ):
        chip = _chip(html, schedule)
        assert "<script>" not in chip
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in chip


@time_machine.travel(NOW, tick=False)
def test_the_chip_speaks_the_users_language(client, team):
    schedule = _schedule(team, ScheduleStatus.COMPLETED, "Publicado ayer")
    client.force_login(team.owner)

    html = client.get("/calendar/?date=2026-03-10", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert '<span class="status-badge status-completed">Publicada</span>' in _chip(html, schedule)
