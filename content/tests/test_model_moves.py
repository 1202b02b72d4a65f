"""Models that moved into content from teams keep their tables and rows: rows written through the schema
before the move are read through content's models after it, with every foreign key still joined."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from core.tests.migrating import migration_executor

BEFORE_BRAND = [
    ("content", "0005_tracked_links"),
    ("teams", "0006_notification_moderation_case_event"),
    ("social", "0003_socialaccount_brand"),
    ("integrations", "0001_initial"),
]


def _leaves() -> list[tuple[str, str]]:
    return migration_executor().loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_brands_written_in_teams_are_contents_after_the_move():
    latest = _leaves()
    try:
        # given: a brand with an asset, a post, an account and a workflow, stored while Brand was teams'
        migration_executor().migrate(BEFORE_BRAND)
        old = migration_executor().loader.project_state(BEFORE_BRAND).apps
        user = old.get_model("accounts", "User").objects.create(email="brand@example.com", password="x")
        team = old.get_model("teams", "Team").objects.create(name="Agency", owner=user)
        brand = old.get_model("teams", "Brand").objects.create(team=team, name="Bloom", voice="Warm.")
        old.get_model("teams", "BrandAsset").objects.create(brand=brand, kind="color", name="Teal", color="#008080")
        post = old.get_model("content", "ContentPost").objects.create(team=team, content="Hello", brand=brand)
        account = old.get_model("social", "SocialAccount").objects.create(
            team=team, platform="sandbox", account_id="a1", account_name="Bloom sandbox", brand=brand
        )
        workflow = old.get_model("teams", "ApprovalWorkflow").objects.create(team=team, brand=brand, name="Bloom")
        old.get_model("teams", "ActivityEvent").objects.create(
            team=team, verb="brand.accounts_changed", summary="set", target_type="teams.brand", target_id=str(brand.pk)
        )
        ContentType.objects.clear_cache()
        brand_type_id = ContentType.objects.get_or_create(app_label="teams", model="brand")[0].pk

        # when
        migration_executor().migrate(latest)

        # then: the same rows, through content's models, joined as before
        from content.models import ApprovalWorkflow, Brand, ContentPost
        from social.models import SocialAccount
        from teams.models import ActivityEvent

        moved = Brand.objects.get(pk=brand.pk)
        assert (moved.name, moved.voice, moved.team_id) == ("Bloom", "Warm.", team.pk)
        assert [(a.name, a.color) for a in moved.assets.all()] == [("Teal", "#008080")]
        assert ContentPost.objects.get(pk=post.pk).brand == moved
        assert SocialAccount.objects.get(pk=account.pk).brand == moved
        assert ApprovalWorkflow.objects.get(pk=workflow.pk).brand == moved
        # permissions granted on the old label and the activity feed's links follow the model
        ContentType.objects.clear_cache()
        assert ContentType.objects.get_for_model(Brand).pk == brand_type_id
        assert ActivityEvent.objects.get(team_id=team.pk).target_type == "content.brand"
        # and the table still takes writes with its constraints: one name per team
        Brand.objects.create(team_id=team.pk, name="Second")
        moved.delete()
        assert ContentPost.objects.get(pk=post.pk).brand is None
    finally:
        migration_executor().migrate(latest)


BEFORE_COLLABORATION = [("content", "0006_brand_moved_from_teams"), ("teams", "0009_brand_moved_to_content")]


@pytest.mark.django_db(transaction=True)
def test_collaboration_rows_written_in_teams_are_contents_after_the_move():
    latest = _leaves()
    try:
        # given: a workflow with a stage and its reviewer, a decision, a comment with a mention and a reply,
        # a task and a client link, stored while these models were teams'
        migration_executor().migrate(BEFORE_COLLABORATION)
        old = migration_executor().loader.project_state(BEFORE_COLLABORATION).apps
        users = old.get_model("accounts", "User").objects
        owner = users.create(email="owner@example.com", password="x")
        reviewer = users.create(email="rev@example.com", password="x")
        team = old.get_model("teams", "Team").objects.create(name="Agency", owner=owner)
        post = old.get_model("content", "ContentPost").objects.create(team=team, content="Hello", author=owner)
        workflow = old.get_model("teams", "ApprovalWorkflow").objects.create(team=team, name="Default")
        stage = old.get_model("teams", "ApprovalStage").objects.create(workflow=workflow, position=0, name="Legal")
        stage.reviewers.set([reviewer])
        decision = old.get_model("teams", "ApprovalDecision").objects.create(
            team=team, post=post, round=1, reviewer=reviewer, verdict="APPROVED"
        )
        comments = old.get_model("teams", "PostComment").objects
        comment = comments.create(team=team, post=post, author=owner, body="@rev look")
        comment.mentions.set([reviewer])
        reply = comments.create(team=team, post=post, author=reviewer, body="Fine", parent=comment)
        task = old.get_model("teams", "Task").objects.create(team=team, post=post, title="Check", assignee=reviewer)
        link = old.get_model("teams", "ClientApprovalLink").objects.create(
            team=team, post=post, client_email="c@example.com", expires_at="2030-01-01T00:00:00Z", decision=decision
        )
        old.get_model("teams", "ActivityEvent").objects.create(
            team=team, verb="task.created", summary="assigned", target_type="teams.task", target_id=str(task.pk)
        )
        ContentType.objects.clear_cache()
        task_type_id = ContentType.objects.get_or_create(app_label="teams", model="task")[0].pk

        # when
        migration_executor().migrate(latest)

        # then: every row and link is there through content's models
        from content.models import ApprovalWorkflow, ClientApprovalLink, ContentPost, PostComment, Task
        from teams.models import ActivityEvent

        moved_post = ContentPost.objects.get(pk=post.pk)
        moved_workflow = ApprovalWorkflow.objects.get(pk=workflow.pk)
        assert [(s.name, [u.email for u in s.reviewers.all()]) for s in moved_workflow.stages.all()] == [
            ("Legal", ["rev@example.com"])
        ]
        assert [(d.verdict, d.reviewer_id) for d in moved_post.approval_decisions.all()] == [("APPROVED", reviewer.pk)]
        moved_comment = PostComment.objects.get(pk=comment.pk)
        assert [u.pk for u in moved_comment.mentions.all()] == [reviewer.pk]
        assert [r.pk for r in moved_comment.replies.all()] == [reply.pk]
        assert [t.title for t in moved_post.tasks.all()] == ["Check"]
        assert ClientApprovalLink.objects.get(pk=link.pk).decision_id == decision.pk
        ContentType.objects.clear_cache()
        assert ContentType.objects.get_for_model(Task).pk == task_type_id
        assert ActivityEvent.objects.get(team_id=team.pk).target_type == "content.task"
        # deleting the post still takes its collaboration rows with it
        moved_post.delete()
        assert not PostComment.objects.filter(team_id=team.pk).exists()
        assert not Task.objects.filter(team_id=team.pk).exists()
    finally:
        migration_executor().migrate(latest)
