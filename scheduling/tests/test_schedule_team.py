"""A schedule carries its post's team: copied when it is saved, and from the post for rows that existed
before the column did."""

from __future__ import annotations

import pytest
from django.utils import timezone

from content.tests.factories import ContentPostFactory
from core.tests.migrating import migration_executor
from scheduling.models import ScheduledPost

BEFORE_TEAM_COLUMN = [("scheduling", "0003_data_export")]


@pytest.mark.django_db
def test_a_schedule_saved_without_its_team_takes_its_posts():
    post = ContentPostFactory()

    row = ScheduledPost.objects.create(post=post, platform="sandbox", scheduled_at=timezone.now())

    assert ScheduledPost.objects.get(pk=row.pk).team_id == post.team_id


@pytest.mark.django_db(transaction=True)
def test_schedules_stored_before_the_team_column_get_their_posts_team():
    latest = migration_executor().loader.graph.leaf_nodes()
    try:
        migration_executor().migrate(BEFORE_TEAM_COLUMN)
        old = migration_executor().loader.project_state(BEFORE_TEAM_COLUMN).apps
        posts = [ContentPostFactory(), ContentPostFactory()]  # only scheduling went back: posts are as now
        rows = [
            old.get_model("scheduling", "ScheduledPost").objects.create(
                post_id=p.pk, platform="sandbox", scheduled_at=timezone.now()
            )
            for p in posts
        ]

        migration_executor().migrate(latest)

        assert [ScheduledPost.objects.get(pk=r.pk).team_id for r in rows] == [p.team_id for p in posts]
        assert posts[0].team_id != posts[1].team_id
    finally:
        migration_executor().migrate(latest)
