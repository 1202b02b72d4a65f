"""Comments with mentions, tasks with reminders, workflows input, the activity feed, the post page and lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from content.collaboration import (
    StageInput,
    comment_create,
    mentioned_members,
    task_create,
    task_deadlines_remind,
    workflow_save,
)
from content.models import ApprovalWorkflow, Task
from content.services import post_create, post_update
from content.tasks import remind_task_deadlines
from content.workflow import post_approve, post_submit
from teams.models import ActivityEvent, Notification
from teams.tests.factories import crew_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew():
    crew = crew_create()
    for user in crew.users.values():
        user.current_team = crew.team
        user.save(update_fields=["current_team"])
    return crew


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _post(crew, **kwargs):
    return post_create(
        ctx=crew.ctx("editor"), title="Launch", content="We launch on Monday.", platform="linkedin", **kwargs
    )


# Comments and mentions -------------------------------------------------------------------------
def test_mentions_by_handle_and_email_notify_those_members_only(crew):
    post = _post(crew)
    rita, olive = crew.users["reviewer"], crew.users["owner"]
    handle = rita.email.split("@")[0]

    comment = comment_create(
        ctx=crew.ctx("admin"),
        post=post,
        body=f"@{handle} can you check? cc @{olive.email}, and @nobody-here",
    )

    assert set(comment.mentions.all()) == {rita, olive}
    for user in (rita, olive):
        note = Notification.objects.get(user=user, event=Notification.Event.MENTION)
        assert note.url.endswith("#comments")
    # the author hears about a comment on their post
    assert Notification.objects.filter(user=crew.users["editor"], event=Notification.Event.COMMENT).count() == 1
    assert not Notification.objects.filter(user=crew.users["viewer"]).exists()
    event = ActivityEvent.objects.get(verb="comment.created")
    assert set(event.data["mentions"]) == {str(rita.pk), str(olive.pk)}


def test_a_mention_of_someone_outside_the_team_resolves_to_nobody(crew):
    assert mentioned_members(team=crew.team, body=f"@{crew.outsider.email} hello") == []


def test_comments_api_creates_lists_replies_and_resolves(crew):
    post = _post(crew)
    api = _api(crew.users["reviewer"])

    created = api.post(f"/api/posts/{post.pk}/comments/", {"body": "Shorter first line?"}, format="json")
    assert created.status_code == 201
    comment_id = created.json()["comment"]["id"]
    reply = _api(crew.users["editor"]).post(
        f"/api/posts/{post.pk}/comments/", {"body": "Done", "parentId": comment_id}, format="json"
    )
    assert reply.json()["comment"]["parentId"] == comment_id

    resolved = api.patch(f"/api/comments/{comment_id}/", {"resolved": True}, format="json")
    assert resolved.json()["comment"]["resolved"] is True
    listed = api.get(f"/api/posts/{post.pk}/comments/").json()
    assert [c["body"] for c in listed["results"]] == ["Shorter first line?", "Done"]
    reopened = api.patch(f"/api/comments/{comment_id}/", {"resolved": False}, format="json")
    assert reopened.json()["comment"]["resolved"] is False


def test_an_empty_comment_is_a_validation_error_and_stores_nothing(crew):
    post = _post(crew)
    response = _api(crew.users["reviewer"]).post(f"/api/posts/{post.pk}/comments/", {"body": "   "}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert not post.comments.exists()


def test_comment_list_query_count_stays_flat(crew, django_assert_max_num_queries):
    post = _post(crew)
    api = _api(crew.users["reviewer"])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/posts/{post.pk}/comments/").status_code == 200
        return len(queries)

    comment_create(ctx=crew.ctx("admin"), post=post, body=f"@{crew.users['owner'].email} one")
    comment_create(ctx=crew.ctx("admin"), post=post, body="two")
    few = count_queries()
    for n in range(8):
        comment_create(ctx=crew.ctx("reviewer"), post=post, body=f"more {n} @{crew.users['admin'].email}")
    assert count_queries() == few


# Tasks -----------------------------------------------------------------------------------------
def test_tasks_api_assigns_notifies_and_toggles(crew):
    post = _post(crew)
    due = timezone.now() + timedelta(days=2)
    response = _api(crew.users["editor"]).post(
        "/api/tasks/",
        {
            "title": "Find a photo",
            "assigneeId": str(crew.users["reviewer"].pk),
            "dueAt": due.isoformat(),
            "postId": str(post.pk),
        },
        format="json",
    )
    assert response.status_code == 201
    task_id = response.json()["task"]["id"]
    assert Notification.objects.get(user=crew.users["reviewer"], event=Notification.Event.TASK_ASSIGNED)

    # the assignee may mark their own task done even without writing rights; and undo it
    done = _api(crew.users["reviewer"]).patch(f"/api/tasks/{task_id}/", {"done": True}, format="json")
    assert done.json()["task"]["done"] is True
    undone = _api(crew.users["reviewer"]).patch(f"/api/tasks/{task_id}/", {"done": False}, format="json")
    assert undone.json()["task"]["done"] is False
    mine = _api(crew.users["reviewer"]).get("/api/tasks/?assigneeId=me").json()
    assert [t["id"] for t in mine["results"]] == [task_id]


def test_a_task_for_someone_outside_the_team_is_refused(crew):
    response = _api(crew.users["editor"]).post(
        "/api/tasks/", {"title": "Sneaky", "assigneeId": str(crew.outsider.pk)}, format="json"
    )
    assert response.status_code == 400
    assert not Task.objects.exists()


def test_deadline_reminders_go_once_before_and_once_overdue(crew, settings):
    settings.TEAMS_TASK_REMINDER_MINUTES = 60
    now = timezone.now()
    task = task_create(
        ctx=crew.ctx("editor"),
        title="Approve copy",
        assignee=crew.users["reviewer"],
        due_at=now + timedelta(minutes=30),
    )
    far = task_create(
        ctx=crew.ctx("editor"), title="Later", assignee=crew.users["reviewer"], due_at=now + timedelta(days=3)
    )

    assert task_deadlines_remind(now=now) == 1
    assert task_deadlines_remind(now=now + timedelta(minutes=5)) == 0  # idempotent
    assert remind_task_deadlines() == 0  # the beat task, same rules
    assert task_deadlines_remind(now=now + timedelta(minutes=31)) == 1
    assert task_deadlines_remind(now=now + timedelta(minutes=90)) == 0

    titles = list(
        Notification.objects.filter(user=crew.users["reviewer"], event=Notification.Event.DEADLINE)
        .order_by("created_at")
        .values_list("title", flat=True)
    )
    assert titles == ["Due soon: Approve copy", "Overdue: Approve copy"]
    far.refresh_from_db()
    assert far.reminder_sent_at is None
    # a done task is never chased
    task.refresh_from_db()
    Task.objects.filter(pk=far.pk).update(done_at=now)
    assert task_deadlines_remind(now=now + timedelta(days=4)) == 0


def test_task_list_query_count_stays_flat(crew):
    api = _api(crew.users["owner"])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/tasks/").status_code == 200
        return len(queries)

    post = _post(crew)
    for n in range(2):
        task_create(ctx=crew.ctx("editor"), title=f"t{n}", assignee=crew.users["reviewer"], post=post)
    few = count_queries()
    for n in range(8):
        task_create(ctx=crew.ctx("editor"), title=f"more{n}", assignee=crew.users["admin"], post=post)
    assert count_queries() == few


# Workflows -------------------------------------------------------------------------------------
def test_workflow_api_validates_reviewers_and_approval_counts(crew):
    api = _api(crew.users["owner"])
    bad = api.post(
        "/api/workflows/",
        {
            "name": "Strict",
            "stages": [
                {"name": "Legal", "requiredApprovals": 2, "reviewerIds": [str(crew.users["reviewer"].pk)]},
                {"name": "Brand", "reviewerIds": [str(crew.users["editor"].pk)]},  # editors may not review
            ],
        },
        format="json",
    )
    assert bad.status_code == 400
    details = bad.json()["error"]["details"]
    assert "stages[0].requiredApprovals" in details and "stages[1].reviewerIds" in details
    assert not ApprovalWorkflow.objects.exists()

    good = api.post(
        "/api/workflows/",
        {
            "name": "Two steps",
            "stages": [{"name": "Legal", "reviewerIds": [str(crew.users["admin"].pk)]}, {"name": "Brand"}],
        },
        format="json",
    )
    assert good.status_code == 201
    stages = good.json()["workflow"]["stages"]
    assert [s["name"] for s in stages] == ["Legal", "Brand"]
    assert stages[0]["reviewers"][0]["email"] == crew.users["admin"].email
    clash = api.post("/api/workflows/", {"name": "Again", "stages": [{"name": "X"}]}, format="json")
    assert clash.status_code == 409


def test_workflow_page_parses_stage_lines(crew):
    client = Client()
    client.force_login(crew.users["owner"])
    response = client.post(
        "/workflows/",
        {"name": "Page flow", "brand": "", "stages": f"Legal | 1 | {crew.users['admin'].email}\nBrand | 1"},
    )
    assert response.status_code == 302
    workflow = ApprovalWorkflow.objects.get()
    assert [s.name for s in workflow.stages.order_by("position")] == ["Legal", "Brand"]
    bad = client.post("/workflows/", {"name": "Bad", "brand": "", "stages": "Legal | 1 | stranger@example.com"})
    assert bad.status_code == 400
    assert "not a member" in bad.content.decode()


# Activity feed and the post page ---------------------------------------------------------------
def test_activity_api_filters_by_verb_and_member(crew):
    post = post_submit(ctx=crew.ctx("editor"), post=_post(crew))
    post_approve(ctx=crew.ctx("reviewer"), post=post)
    api = _api(crew.users["viewer"])

    approved = api.get("/api/activity/?verb=post.approved").json()
    assert [e["verb"] for e in approved["results"]] == ["post.approved"]
    by_editor = api.get(f"/api/activity/?actorId={crew.users['editor'].pk}").json()
    assert {e["verb"] for e in by_editor["results"]} == {"post.created", "post.submitted"}
    assert api.get("/api/activity/?actorId=not-a-uuid").status_code == 200


def test_activity_page_and_api_query_counts_stay_flat(crew):
    client = Client()
    client.force_login(crew.users["owner"])
    api = _api(crew.users["owner"])

    def count(call) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert call().status_code == 200
        return len(queries)

    for _ in range(2):
        _post(crew)
    page_few, api_few = count(lambda: client.get("/activity/")), count(lambda: api.get("/api/activity/"))
    for _ in range(8):
        comment_create(ctx=crew.ctx("reviewer"), post=_post(crew), body="hello")
    assert count(lambda: client.get("/activity/")) == page_few
    assert count(lambda: api.get("/api/activity/")) == api_few


def test_post_page_shows_review_comments_revisions_and_history(crew):
    post = _post(crew)
    post = post_update(ctx=crew.ctx("editor"), post=post, changes={"content": "We launch on Tuesday."})
    post = post_submit(ctx=crew.ctx("editor"), post=post)
    comment_create(ctx=crew.ctx("reviewer"), post=post, body="Tuesday works")
    client = Client()
    client.force_login(crew.users["reviewer"])

    page = client.get(f"/posts/{post.pk}/").content.decode()

    assert "We launch on Tuesday." in page
    assert "Tuesday works" in page
    assert "Approve" in page and "Request changes" in page
    assert f"/posts/{post.pk}/revisions/2/" in page
    diff = client.get(f"/posts/{post.pk}/revisions/2/").content.decode()
    assert "-We launch on Monday." in diff and "+We launch on Tuesday." in diff

    # approving from the page moves the post and tells the author
    client.post(f"/posts/{post.pk}/review/approve/", {"comment": "Go"})
    post.refresh_from_db()
    assert post.status == "APPROVED"


def test_posting_a_comment_with_htmx_returns_the_refreshed_panel(crew):
    post = _post(crew)
    client = Client()
    client.force_login(crew.users["reviewer"])
    response = client.post(f"/posts/{post.pk}/comments/", {"body": "Inline!"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="comments"' in response.content.decode() and "Inline!" in response.content.decode()


def test_the_workflow_with_a_team_requiring_approval_through_the_api(crew):
    crew.team.requires_approval = True
    crew.team.save()
    workflow_save(ctx=crew.ctx("owner"), name="One", stages=[StageInput("Review", 1, [crew.users["reviewer"].pk])])
    post = _post(crew)

    approve_draft = _api(crew.users["reviewer"]).post(f"/api/posts/{post.pk}/approve/", {}, format="json")
    assert approve_draft.status_code == 409
    assert approve_draft.json()["error"]["code"] == "CONFLICT"
    submitted = _api(crew.users["editor"]).post(f"/api/posts/{post.pk}/submit/", {}, format="json").json()
    assert submitted["post"]["status"] == "IN_REVIEW"
    assert submitted["review"]["stages"][0]["name"] == "Review"
    own = _api(crew.users["admin"]).post(f"/api/posts/{post.pk}/approve/", {}, format="json")
    assert own.status_code == 403  # not named on the stage
    approved = _api(crew.users["reviewer"]).post(f"/api/posts/{post.pk}/approve/", {}, format="json").json()
    assert approved["post"]["status"] == "APPROVED"
    twice = _api(crew.users["reviewer"]).post(f"/api/posts/{post.pk}/approve/", {}, format="json")
    assert twice.status_code == 409
    review = _api(crew.users["viewer"]).get(f"/api/posts/{post.pk}/review/").json()
    assert [d["verdict"] for d in review["decisions"]] == ["APPROVED"]
