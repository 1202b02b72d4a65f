"""Property tests of collaboration: workflows, transitions and notifications, version history and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.collaboration import StageInput, comment_create, task_create, task_deadlines_remind, workflow_save
from content.models import PostShare, PostStatus
from content.revisions import revision_get, revision_restore
from content.services import post_create, post_update
from content.workflow import TRANSITIONS, post_approve, post_request_changes, post_submit, stages_for_post
from core.api.errors import ApiError
from teams.models import ActivityEvent, Notification
from teams.tests.factories import MembershipFactory, crew_create

pytestmark = pytest.mark.django_db
SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _crew_with_reviewers(extra: int = 3):
    crew = crew_create()
    reviewers = [crew.users["reviewer"], crew.users["admin"]]
    for _ in range(extra):
        reviewers.append(MembershipFactory(team=crew.team, role="reviewer").user)
    return crew, reviewers


def _ctx_for(crew, user):
    from teams.permissions import team_context

    return team_context(user=user, requested_team_id=str(crew.team.pk))


# Property 31: Team Collaboration Workflows
@SLOW
@given(data=st.data())
def test_property_31_a_post_is_approved_exactly_when_every_stage_has_its_approvals_in_order(data):
    crew, reviewers = _crew_with_reviewers()
    stage_count = data.draw(st.integers(1, 3), label="stages")
    stages = []
    for index in range(stage_count):
        named = data.draw(st.lists(st.sampled_from(reviewers), min_size=0, max_size=4, unique=True), label="named")
        pool = named or reviewers
        required = data.draw(st.integers(1, len(pool)), label="required")
        stages.append(
            StageInput(name=f"Stage {index}", required_approvals=required, reviewer_ids=[u.pk for u in named])
        )
    workflow_save(ctx=crew.ctx("owner"), name="Random", stages=stages)
    post = post_create(ctx=crew.ctx("editor"), content="Words to approve", platform="linkedin")
    post_submit(ctx=crew.ctx("editor"), post=post)

    # anyone in the team tries to approve, in any order; only eligible, distinct approvals count
    attempts = data.draw(
        st.lists(st.sampled_from([*reviewers, crew.users["editor"], crew.users["viewer"]]), max_size=25)
    )
    approvals_per_stage: list[set] = [set() for _ in stages]
    for user in attempts:
        post.refresh_from_db()
        if post.status == PostStatus.APPROVED:
            break
        stage = stages[post.review_stage]
        eligible = {u.pk for u in (reviewers if not stage.reviewer_ids else reviewers)}
        if stage.reviewer_ids:
            eligible = set(stage.reviewer_ids)
        try:
            post_approve(ctx=_ctx_for(crew, user), post=post)
        except ApiError:
            assert user.pk not in eligible or user.pk in approvals_per_stage[post.review_stage]
            continue
        assert user.pk in eligible and user.pk not in approvals_per_stage[post.review_stage]
        approvals_per_stage[post.review_stage].add(user.pk)

    post.refresh_from_db()
    done = all(len(got) >= s.required_approvals for got, s in zip(approvals_per_stage, stages, strict=True))
    assert (post.status == PostStatus.APPROVED) is done
    assert (post.approved_at is not None) is done
    # the author never approved anything
    assert post.approval_decisions.filter(reviewer=crew.users["editor"]).count() == 0
    assert len(stages_for_post(post)) == stage_count


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["submit", "approve", "changes", "edit", "comment"]),
        st.sampled_from(["owner", "admin", "editor", "reviewer", "viewer", "client"]),
    ),
    min_size=1,
    max_size=12,
)


# Property 37: Collaborative Content Workflows
@SLOW
@given(actions=ACTIONS)
def test_property_37_any_sequence_of_actions_only_takes_allowed_transitions_and_notifies(actions):
    crew = crew_create()
    post = post_create(ctx=crew.ctx("editor"), content="Initial words", platform="linkedin")
    PostShare.objects.create(post=post, user=crew.users["client"])  # the client reviews only shared posts
    for step, (action, role) in enumerate(actions):
        post.refresh_from_db()
        before = post.status
        requested_before = Notification.objects.filter(event=Notification.Event.APPROVAL_REQUESTED).count()
        ctx = crew.ctx(role)
        try:
            if action == "submit":
                post_submit(ctx=ctx, post=post)
            elif action == "approve":
                post_approve(ctx=ctx, post=post)
            elif action == "changes":
                post_request_changes(ctx=ctx, post=post, comment="Change it")
            elif action == "edit":
                post_update(ctx=ctx, post=post, changes={"content": f"Edited words {step}"})
            else:
                comment_create(ctx=ctx, post=post, body=f"@{crew.users['editor'].email} look")
        except ApiError:
            post.refresh_from_db()
            assert post.status == before  # a refused action changes nothing
            continue
        post.refresh_from_db()
        assert post.status == before or post.status in TRANSITIONS[before]
        assert (post.approved_at is not None) is (post.status == PostStatus.APPROVED)
        if action == "submit":  # the first stage's reviewers (every review role but the author) were asked
            asked = Notification.objects.filter(event=Notification.Event.APPROVAL_REQUESTED).count()
            assert asked - requested_before == 4  # owner, admin, reviewer, client
    # every approval belongs to someone allowed to review, never to the author
    roles = {u.pk: r for r, u in crew.users.items()}
    for decision in post.approval_decisions.all():
        assert roles[decision.reviewer_id] in ("owner", "admin", "reviewer", "client")


# Property 37: Collaborative Content Workflows (deadline management)
@SLOW
@given(
    due_in=st.integers(min_value=-3000, max_value=3000),
    runs=st.lists(st.integers(min_value=-3000, max_value=4000), min_size=1, max_size=8),
)
def test_property_37_deadline_reminders_go_out_at_most_once_each(settings, due_in, runs):
    settings.TEAMS_TASK_REMINDER_MINUTES = 60
    crew = crew_create()
    start = timezone.now()
    task = task_create(
        ctx=crew.ctx("editor"),
        title="Shoot the photo",
        assignee=crew.users["reviewer"],
        due_at=start + timedelta(minutes=due_in),
    )
    for offset in sorted(runs):
        task_deadlines_remind(now=start + timedelta(minutes=offset))
    deadline = Notification.objects.filter(user=crew.users["reviewer"], event=Notification.Event.DEADLINE)
    soon = deadline.filter(title__startswith="Due soon").count()
    overdue = deadline.filter(title__startswith="Overdue").count()
    assert soon <= 1 and overdue <= 1
    last = start + timedelta(minutes=max(runs))
    assert overdue == (1 if last >= task.due_at else 0)
    ran_in_window = any(task.due_at - timedelta(minutes=60) <= start + timedelta(minutes=o) < task.due_at for o in runs)
    assert soon == (1 if ran_in_window else 0) or (soon == 0 and overdue == 1)


TEXTS = st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=60).filter(str.strip)


# Property 38: Collaboration Tracking and Feedback
@SLOW
@given(edits=st.lists(TEXTS, min_size=1, max_size=6), restore_pick=st.integers(min_value=0, max_value=10))
def test_property_38_every_edit_is_kept_restorable_and_audited(edits, restore_pick):
    crew = crew_create()
    post = post_create(ctx=crew.ctx("editor"), content="Version zero", platform="linkedin")
    history = ["Version zero"]
    for text in edits:
        post = post_update(ctx=crew.ctx("editor"), post=post, changes={"content": text})
        if text != history[-1]:
            history.append(text)
    revisions = list(post.revisions.order_by("number"))
    assert [r.content for r in revisions] == history
    assert [r.number for r in revisions] == list(range(1, len(history) + 1))

    pick = revisions[restore_pick % len(revisions)]
    feed_before = list(ActivityEvent.objects.filter(team=crew.team).order_by("id").values_list("id", "summary"))
    post = revision_restore(ctx=crew.ctx("editor"), post=post, revision=revision_get(post=post, number=pick.number))
    assert post.content == pick.content
    latest = post.revisions.order_by("-number").first()
    assert latest.content == pick.content
    # the audit trail only grows: earlier lines are untouched, the restore is a new line
    feed_after = list(ActivityEvent.objects.filter(team=crew.team).order_by("id").values_list("id", "summary"))
    assert feed_after[: len(feed_before)] == feed_before
    assert ActivityEvent.objects.filter(team=crew.team, verb="revision.restored").count() == 1
