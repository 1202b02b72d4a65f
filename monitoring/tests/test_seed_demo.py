from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from analytics.models import ContentAnalytics
from content.models import ContentPost, PostStatus
from monitoring.management.commands.seed_demo import ADMIN_EMAIL, DEFAULT_DEMO_PASSWORD, DEMO_EMAIL
from scheduling.models import ScheduledPost
from social.models import Platform, PublishResult, PublishStatus, SocialAccount
from teams.models import Notification, Team

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "posts": ContentPost.objects.count(),
        "accounts": SocialAccount.objects.count(),
        "scheduled": ScheduledPost.objects.count(),
        "results": PublishResult.objects.count(),
        "analytics": ContentAnalytics.objects.count(),
        "notifications": Notification.objects.count(),
    }


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_is_idempotent_and_prints_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    # when
    first_output = _seed()
    first = _counts()
    _seed()
    skipped_output = _seed("--if-missing")

    # then
    assert _counts() == first
    assert DEMO_EMAIL in first_output and DEFAULT_DEMO_PASSWORD in first_output and ADMIN_EMAIL in first_output
    assert "already present" in skipped_output
    assert first["users"] == 2
    assert 10 <= first["posts"] <= 15
    assert first["accounts"] == 1 and first["scheduled"] >= 1 and first["analytics"] > 0


def test_seed_demo_data_belongs_to_the_demo_users_personal_team(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    _seed()

    demo = User.objects.get(email=DEMO_EMAIL)
    team = demo.current_team
    assert team is not None and team.is_personal and team.owner == demo
    assert demo.first_name == "Demo" and not demo.is_staff
    assert set(ContentPost.objects.values_list("team", flat=True)) == {team.pk}
    assert set(ContentPost.objects.values_list("status", flat=True)) >= {
        PostStatus.DRAFT,
        PostStatus.SCHEDULED,
        PostStatus.PUBLISHED,
    }

    account = SocialAccount.objects.get(team=team)
    assert account.platform == Platform.SANDBOX and account.access_token

    scheduled = ScheduledPost.objects.select_related("post")
    assert all(s.timezone == "Europe/London" and s.post.status == PostStatus.SCHEDULED for s in scheduled)
    assert all(s.scheduled_at > s.created_at for s in scheduled)

    for post in ContentPost.objects.filter(status=PostStatus.PUBLISHED):
        assert post.published_at is not None
        assert post.publish_results.filter(status=PublishStatus.SUCCESS).count() == 1
        snapshots = list(post.analytics.order_by("recorded_at"))
        assert snapshots and all(s.recorded_at >= post.published_at for s in snapshots)
        # Cumulative counters only grow.
        assert [s.reach for s in snapshots] == sorted(s.reach for s in snapshots)


def test_demo_and_admin_users_can_log_in(client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass-42")
    _seed()

    assert client.login(email=DEMO_EMAIL, password="another-demo-pass-42")
    client.logout()
    assert not client.login(email=DEMO_EMAIL, password=DEFAULT_DEMO_PASSWORD)

    admin = User.objects.get(email=ADMIN_EMAIL)
    assert admin.is_staff and admin.is_superuser
    assert client.login(email=ADMIN_EMAIL, password="another-demo-pass-42")


def test_the_hourly_metrics_fetch_continues_the_seeded_history_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from analytics.tasks import fetch_due_metrics, fetch_post_metrics
    from social.models import SandboxPost

    # given the demo data, and an hour later the beat asking for the posts due a metrics snapshot
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    _seed()
    results = list(PublishResult.objects.filter(status=PublishStatus.SUCCESS))
    assert results and all(
        SandboxPost.objects.filter(pk=r.platform_post_id, account_id=r.social_account.account_id).exists()
        for r in results
    )
    assert all("/social/sandbox/" in r.url for r in results)  # "View post" opens the delivery in the app
    last_seeded = {r.pk: r.post.analytics.order_by("-recorded_at").first() for r in results}

    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False), caplog.at_level("WARNING"):
        # when the worker runs the task for each (Celery runs tasks eagerly in the test settings or not at all)
        assert fetch_due_metrics.apply().get() >= 0
        fetched = [fetch_post_metrics.apply(args=[str(r.pk)]).get() for r in results]

    # then every seeded post was fetched, no warning or traceback was logged, and the new snapshot
    # continues the seeded curve under the same platform, marked simulated
    assert fetched == [True] * len(results)
    ours = ("social", "analytics", "celery", "scheduling")
    assert [r.getMessage() for r in caplog.records if r.exc_info or r.name.startswith(ours)] == []
    for result in results:
        newest = result.post.analytics.order_by("-recorded_at").first()
        seeded = last_seeded[result.pk]
        assert newest.pk != seeded.pk and newest.platform == seeded.platform == result.metadata["target_platform"]
        assert newest.simulated and seeded.simulated
        for metric in ("impressions", "reach", "views", "likes"):
            assert getattr(newest, metric) >= getattr(seeded, metric)
        assert newest.impressions - seeded.impressions < seeded.impressions  # a continuation, not a restart


def test_the_demos_view_post_links_open_its_deliveries_in_the_app(client) -> None:  # type: ignore[no-untyped-def]
    from urllib.parse import urlsplit

    _seed()
    client.force_login(User.objects.get(email=DEMO_EMAIL))
    published = list(PublishResult.objects.filter(status=PublishStatus.SUCCESS))
    assert published

    for result in published:
        page = client.get(urlsplit(result.url).path)
        assert page.status_code == 200, result.url
        assert 'data-testid="sandbox-delivery"' in page.content.decode()
    timeline = client.get("/social/sandbox/").content.decode()
    assert timeline.count('data-testid="sandbox-delivery"') == min(len(published), 30)
