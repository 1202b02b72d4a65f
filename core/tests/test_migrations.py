"""Migrations over a populated database: every migration after the foundation schema runs forward over
existing rows without losing one, or a value (Property 6), and back again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.tests.migrating import migration_executor

# The schema the foundation issue shipped: every later migration of our apps runs over its rows.
FOUNDATION = [
    ("core", "0001_initial"),
    ("accounts", "0002_initial"),
    ("teams", "0001_initial"),
    ("billing", "0001_initial"),
    ("moderation", "0001_initial"),
    ("content", "0001_initial"),
    ("social", "0001_initial"),
    ("analytics", "0001_initial"),
    ("scheduling", "0001_initial"),
]
WHEN = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # the night Europe moves its clocks
TEXT = "Lancement 🚀 — «premier» post\nwith a second line, ümlauts and 漢字"


def _latest(executor: MigrationExecutor) -> list[tuple[str, str]]:
    # Every app's latest, not only the FOUNDATION apps': going back to FOUNDATION also unapplies the apps that
    # depend on ours (integrations), and a later test in this worker needs their tables.
    return executor.loader.graph.leaf_nodes()


def _populate(apps) -> dict[str, object]:
    """Rows of every spec model, written through the foundation schema's historical models."""
    user_model = apps.get_model("accounts", "User")
    team_model = apps.get_model("teams", "Team")
    owner = user_model.objects.create(email="ann@example.com", password="pbkdf2_sha256$1$salt$hash", first_name="Ann")
    team = team_model.objects.create(name="Ann's team", owner=owner, is_personal=True, timezone="Europe/Paris")
    user_model.objects.filter(pk=owner.pk).update(current_team=team)
    apps.get_model("teams", "Membership").objects.create(team=team, user=owner, role="owner")
    apps.get_model("billing", "UsageQuota").objects.create(
        team=team, content_generations=7, max_content_generations=10, api_calls=42, max_api_calls=100, reset_date=WHEN
    )
    apps.get_model("billing", "Subscription").objects.create(
        team=team, tier="PRO", status="ACTIVE", current_period_start=WHEN, current_period_end=WHEN + timedelta(days=30)
    )
    post = apps.get_model("content", "ContentPost").objects.create(
        team=team,
        author=owner,
        title="Launch",
        content=TEXT,
        hashtags=["#launch", "#été"],
        platform="linkedin",
        status="SCHEDULED",
        scheduled_at=WHEN,
        engagement_score=87.5,
        metadata={"source": "import", "nested": {"n": [1, 2, 3]}},
    )
    apps.get_model("analytics", "ContentAnalytics").objects.create(
        post=post,
        platform="linkedin",
        views=1200,
        likes=45,
        shares=6,
        comments=3,
        clicks=30,
        engagement_rate=Decimal("0.0450"),
    )
    account = apps.get_model("social", "SocialAccount").objects.create(
        team=team,
        platform="linkedin",
        account_id="urn:li:person:1",
        account_name="Ann",
        access_token="secret-access-token",
        refresh_token="secret-refresh-token",
        token_expires_at=WHEN,
        permissions=["w_member_social"],
    )
    result = apps.get_model("social", "PublishResult").objects.create(
        post=post, social_account=account, platform="linkedin", status="PUBLISHED", platform_post_id="urn:li:share:9"
    )
    scheduled = apps.get_model("scheduling", "ScheduledPost").objects.create(
        post=post, social_account=account, platform="linkedin", scheduled_at=WHEN, timezone="Europe/Paris"
    )
    return {
        "owner": owner.pk,
        "team": team.pk,
        "post": post.pk,
        "account": account.pk,
        "result": result.pk,
        "sched": scheduled.pk,
    }


# Property 6: Database Transaction Integrity and Performance (migrations keep a populated database)
@pytest.mark.django_db(transaction=True)
def test_every_later_migration_keeps_the_rows_and_values_of_a_populated_database():
    executor = migration_executor()
    latest = _latest(executor)
    try:
        # given: the foundation schema with a row of every spec model
        executor.migrate(FOUNDATION)
        ids = _populate(migration_executor().loader.project_state(FOUNDATION).apps)

        # when: every later migration runs over them
        migration_executor().migrate(latest)

        # then: the current models read back every row and value
        from accounts.models import User
        from analytics.models import ContentAnalytics
        from billing.models import Subscription, UsageQuota
        from content.models import ContentPost
        from scheduling.models import ScheduledPost
        from social.models import PublishResult, SocialAccount
        from teams.models import Membership, Team

        owner = User.objects.get(pk=ids["owner"])
        assert (owner.email, owner.first_name, owner.current_team_id) == ("ann@example.com", "Ann", ids["team"])
        team = Team.objects.get(pk=ids["team"])
        assert (team.owner_id, team.is_personal, team.timezone) == (ids["owner"], True, "Europe/Paris")
        assert Membership.objects.get(team=team, user=owner).role == "owner"
        quota = UsageQuota.objects.get(team=team)
        assert (quota.content_generations, quota.api_calls, quota.reset_date) == (7, 42, WHEN)
        assert Subscription.objects.get(team=team).tier == "PRO"
        post = ContentPost.objects.get(pk=ids["post"])
        assert (post.content, post.hashtags, post.status, post.scheduled_at) == (
            TEXT,
            ["#launch", "#été"],
            "SCHEDULED",
            WHEN,
        )
        assert post.metadata == {"source": "import", "nested": {"n": [1, 2, 3]}}
        assert post.engagement_score == pytest.approx(87.5)
        assert ContentAnalytics.objects.get(post=post).views == 1200
        account = SocialAccount.objects.get(pk=ids["account"])
        # still encrypted at rest and still readable with the same keys
        assert (account.access_token, account.refresh_token) == ("secret-access-token", "secret-refresh-token")
        pk = SocialAccount._meta.pk.get_db_prep_value(account.pk, connection)  # type: ignore[union-attr]
        with connection.cursor() as cursor:
            cursor.execute("SELECT access_token FROM social_socialaccount WHERE id = %s", [pk])
            stored = cursor.fetchone()
        assert stored is not None and "secret-access-token" not in str(stored[0])
        result = PublishResult.objects.get(pk=ids["result"])
        assert (result.status, result.platform_post_id) == ("PUBLISHED", "urn:li:share:9")
        assert result.idempotency_key  # back-filled by social 0002 for rows that had none
        scheduled = ScheduledPost.objects.get(pk=ids["sched"])
        assert (scheduled.scheduled_at, scheduled.timezone, scheduled.status) == (WHEN, "Europe/Paris", "PENDING")
    finally:
        migration_executor().migrate(latest)
