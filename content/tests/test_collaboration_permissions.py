"""The permission matrix: every collaboration endpoint and page × every role, and a non-member's 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from content.collaboration import StageInput, client_link_create, comment_create, task_create, workflow_save
from content.services import post_create, post_update
from content.sharing import post_share
from content.workflow import post_submit
from teams.permissions import ROLE_CAPABILITIES, Capability
from teams.tests.factories import crew_create

pytestmark = pytest.mark.django_db

ROLES = ["owner", "admin", "editor", "reviewer", "viewer", "client"]


@dataclass
class World:
    crew: Any
    draft: Any
    in_review: Any
    comment: Any
    task: Any
    workflow: Any
    link: Any


def _world() -> World:
    crew = crew_create()
    editor = crew.ctx("editor")
    draft = post_create(ctx=editor, title="Draft", content="A draft to submit", platform="linkedin")
    in_review = post_create(ctx=editor, title="Review me", content="First words", platform="linkedin")
    in_review = post_update(ctx=editor, post=in_review, changes={"content": "Second words"})
    in_review = post_submit(ctx=editor, post=in_review)
    comment = comment_create(ctx=editor, post=in_review, body="Please look")
    task = task_create(ctx=editor, title="Find a picture", assignee=crew.users["editor"], post=in_review)
    workflow = workflow_save(ctx=crew.ctx("owner"), name="Default", stages=[StageInput("Review", 1, [])])
    link, _ = client_link_create(ctx=crew.ctx("owner"), post=in_review, client_name="C", client_email="c@c.test")
    # The client member sees (and reviews) only what is shared with them: the post in review, not the draft.
    post_share(ctx=crew.ctx("owner"), post=in_review, user_id=crew.users["client"].pk)
    return World(crew, draft, in_review, comment, task, workflow, link)


def can(capability: Capability) -> Callable[[str], bool]:
    return lambda role: capability in ROLE_CAPABILITIES[role]


def can_share(role: str) -> bool:
    return can(Capability.REVIEW)(role) or can(Capability.PUBLISH)(role)


def can_toggle_task(role: str) -> bool:  # the assignee (the editor) or anyone who writes
    return role == "editor" or can(Capability.CREATE_CONTENT)(role)


def everyone(role: str) -> bool:
    return True


WORKFLOW_BODY = {"name": "Two stages", "stages": [{"name": "A", "requiredApprovals": 1}, {"name": "B"}]}

# name, method, url(world), body(world), allowed(role), success status
API_CASES: list[tuple[str, str, Callable[[World], str], Callable[[World], Any], Callable[[str], bool], int]] = [
    ("review", "get", lambda w: f"/api/posts/{w.in_review.pk}/review/", lambda w: None, everyone, 200),
    ("submit", "post", lambda w: f"/api/posts/{w.draft.pk}/submit/", lambda w: {}, can(Capability.CREATE_CONTENT), 200),
    ("approve", "post", lambda w: f"/api/posts/{w.in_review.pk}/approve/", lambda w: {}, can(Capability.REVIEW), 200),
    (
        "request-changes",
        "post",
        lambda w: f"/api/posts/{w.in_review.pk}/request-changes/",
        lambda w: {"comment": "Shorter"},
        can(Capability.REVIEW),
        200,
    ),
    ("comments", "get", lambda w: f"/api/posts/{w.in_review.pk}/comments/", lambda w: None, everyone, 200),
    (
        "comment-create",
        "post",
        lambda w: f"/api/posts/{w.in_review.pk}/comments/",
        lambda w: {"body": "Nice"},
        can(Capability.COMMENT),
        201,
    ),
    (
        "comment-resolve",
        "patch",
        lambda w: f"/api/comments/{w.comment.pk}/",
        lambda w: {"resolved": True},
        can(Capability.COMMENT),
        200,
    ),
    ("revisions", "get", lambda w: f"/api/posts/{w.in_review.pk}/revisions/", lambda w: None, everyone, 200),
    ("revision", "get", lambda w: f"/api/posts/{w.in_review.pk}/revisions/1/", lambda w: None, everyone, 200),
    (
        "revision-restore",
        "post",
        lambda w: f"/api/posts/{w.in_review.pk}/revisions/1/restore/",
        lambda w: {},
        can(Capability.CREATE_CONTENT),
        200,
    ),
    ("history", "get", lambda w: f"/api/posts/{w.in_review.pk}/history/", lambda w: None, everyone, 200),
    ("client-links", "get", lambda w: f"/api/posts/{w.in_review.pk}/client-links/", lambda w: None, can_share, 200),
    (
        "client-link-create",
        "post",
        lambda w: f"/api/posts/{w.in_review.pk}/client-links/",
        lambda w: {"clientEmail": "x@client.test"},
        can_share,
        201,
    ),
    ("client-link-revoke", "post", lambda w: f"/api/client-links/{w.link.pk}/revoke/", lambda w: {}, can_share, 200),
    ("tasks", "get", lambda w: "/api/tasks/", lambda w: None, everyone, 200),
    (
        "task-create",
        "post",
        lambda w: "/api/tasks/",
        lambda w: {"title": "Write alt text", "assigneeId": str(w.crew.users["reviewer"].pk)},
        can(Capability.CREATE_CONTENT),
        201,
    ),
    ("task", "get", lambda w: f"/api/tasks/{w.task.pk}/", lambda w: None, everyone, 200),
    ("task-done", "patch", lambda w: f"/api/tasks/{w.task.pk}/", lambda w: {"done": True}, can_toggle_task, 200),
    ("workflows", "get", lambda w: "/api/workflows/", lambda w: None, everyone, 200),
    ("workflow-create", "post", lambda w: "/api/workflows/", lambda w: WORKFLOW_BODY, lambda r: False, 201),
    ("workflow", "get", lambda w: f"/api/workflows/{w.workflow.pk}/", lambda w: None, everyone, 200),
    (
        "workflow-update",
        "put",
        lambda w: f"/api/workflows/{w.workflow.pk}/",
        lambda w: WORKFLOW_BODY,
        can(Capability.MANAGE_MEMBERS),
        200,
    ),
    (
        "workflow-delete",
        "delete",
        lambda w: f"/api/workflows/{w.workflow.pk}/",
        lambda w: None,
        can(Capability.MANAGE_MEMBERS),
        200,
    ),
    ("activity", "get", lambda w: "/api/activity/", lambda w: None, everyone, 200),
    ("shares", "get", lambda w: f"/api/posts/{w.in_review.pk}/shares/", lambda w: None, can(Capability.VIEW), 200),
    (
        "share-create",
        "post",
        lambda w: f"/api/posts/{w.draft.pk}/shares/",
        lambda w: {"userId": str(w.crew.users["client"].pk)},
        can(Capability.CREATE_CONTENT),
        201,
    ),
    (
        "share-delete",
        "delete",
        lambda w: f"/api/posts/{w.in_review.pk}/shares/{w.crew.users['client'].pk}/",
        lambda w: None,
        can(Capability.CREATE_CONTENT),
        200,
    ),
]

# A client is an outside approver: on the post shared with them they do what their role allows; the
# draft is not shared with them (404); the team's internal areas, and sharing, are closed to them (403).
CLIENT_EXPECTED = {
    "review": 200,
    "submit": 404,
    "approve": 200,
    "request-changes": 200,
    "comments": 200,
    "comment-create": 201,
    "revisions": 200,
    "revision": 200,
    "revision-restore": 403,
    "history": 200,
}


TEAM_LEVEL = {"tasks", "task-create", "workflows", "workflow-create", "activity"}


def _call(client: APIClient, method: str, url: str, body: Any, **headers: str) -> Any:
    return getattr(client, method)(url, body, format="json", headers=headers or None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "body", "allowed", "ok"), API_CASES, ids=[c[0] for c in API_CASES])
def test_api_permission_matrix(role, name, method, url, body, allowed, ok):
    world = _world()
    client = APIClient()
    client.force_authenticate(world.crew.users[role])
    if name == "workflow-create":  # the team already has its default workflow: a brand-less second one clashes
        world.workflow.delete()
        allowed = can(Capability.MANAGE_MEMBERS)

    response = _call(client, method, url(world), body(world), X_TEAM_ID=str(world.crew.team.pk))

    if role == "client":
        expected = CLIENT_EXPECTED.get(name, 403)
        assert response.status_code == expected, response.json()
        assert response.json()["success"] is (expected < 400)
    elif allowed(role):
        assert response.status_code == ok, response.json()
        assert response.json()["success"] is True
    else:
        assert response.status_code == 403, response.json()
        assert response.json()["error"]["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize(("name", "method", "url", "body", "allowed", "ok"), API_CASES, ids=[c[0] for c in API_CASES])
def test_api_is_404_for_a_non_member(name, method, url, body, allowed, ok):
    world = _world()
    client = APIClient()
    client.force_authenticate(world.crew.outsider)

    # acting in their own team the objects do not exist; naming the team they are not in is a 404 too
    own = _call(client, method, url(world), body(world))
    named = _call(client, method, url(world), body(world), X_TEAM_ID=str(world.crew.team.pk))

    if name in TEAM_LEVEL:  # in their own team these are their own (empty) lists, never the crew's rows
        if method == "get":
            assert own.status_code == 200 and own.json()["count"] == 0
    else:
        assert own.status_code == 404, own.json()
        assert own.json()["error"]["code"] == "NOT_FOUND"
    assert named.status_code == 404


# Pages -----------------------------------------------------------------------------------------
PAGE_GETS = [
    ("post", lambda w: f"/posts/{w.in_review.pk}/"),
    ("revision", lambda w: f"/posts/{w.in_review.pk}/revisions/2/"),
    ("activity", lambda w: "/activity/"),
    ("tasks", lambda w: "/tasks/"),
    ("workflows", lambda w: "/workflows/"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url"), PAGE_GETS, ids=[p[0] for p in PAGE_GETS])
def test_every_page_renders_for_every_role(role, name, url):
    world = _world()
    client = Client()
    client.force_login(world.crew.users[role])
    world.crew.users[role].current_team = world.crew.team
    world.crew.users[role].save(update_fields=["current_team"])

    internal = name in ("activity", "tasks", "workflows")
    assert client.get(url(world)).status_code == (403 if role == "client" and internal else 200)


PAGE_POSTS = [
    ("submit", lambda w: f"/posts/{w.draft.pk}/review/submit/", {}),
    ("approve", lambda w: f"/posts/{w.in_review.pk}/review/approve/", {}),
    ("comment", lambda w: f"/posts/{w.in_review.pk}/comments/", {"body": "hi"}),
    ("task", lambda w: f"/posts/{w.in_review.pk}/tasks/", {"title": "t"}),
    ("restore", lambda w: f"/posts/{w.in_review.pk}/revisions/1/restore/", {}),
    ("client-link", lambda w: f"/posts/{w.in_review.pk}/client-links/", {"days": 3}),
    ("revoke", lambda w: f"/client-links/{w.link.pk}/revoke/", {}),
    ("resolve", lambda w: f"/comments/{w.comment.pk}/resolve/", {"resolved": "1"}),
    ("task-toggle", lambda w: f"/tasks/{w.task.pk}/toggle/", {}),
    ("workflow-delete", lambda w: f"/workflows/{w.workflow.pk}/delete/", {}),
    ("share", lambda w: f"/posts/{w.draft.pk}/shares/", lambda w: {"user": str(w.crew.users["client"].pk)}),
    ("unshare", lambda w: f"/posts/{w.in_review.pk}/shares/{w.crew.users['client'].pk}/remove/", {}),
]
PAGE_GETS_WITH_OBJECTS = [p for p in PAGE_GETS if p[0] in ("post", "revision")]


@pytest.mark.parametrize(
    ("name", "url", "data"),
    [*PAGE_POSTS, *[(n, u, None) for n, u in PAGE_GETS_WITH_OBJECTS]],
    ids=[p[0] for p in PAGE_POSTS] + [f"get-{p[0]}" for p in PAGE_GETS_WITH_OBJECTS],
)
def test_pages_are_404_for_a_non_member(name, url, data):
    world = _world()
    client = Client()
    client.force_login(world.crew.outsider)

    if callable(data):
        data = data(world)
    response = client.get(url(world)) if data is None else client.post(url(world), data)

    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_page_actions_follow_the_role(role):
    world = _world()
    client = Client()
    user = world.crew.users[role]
    user.current_team = world.crew.team
    user.save(update_fields=["current_team"])
    client.force_login(user)

    client.post(f"/posts/{world.in_review.pk}/review/approve/")
    client.post(f"/posts/{world.in_review.pk}/comments/", {"body": f"From the {role}"})
    client.post(f"/workflows/{world.workflow.pk}/delete/")

    world.in_review.refresh_from_db()
    assert (world.in_review.status == "APPROVED") is can(Capability.REVIEW)(role)
    assert world.in_review.comments.filter(body=f"From the {role}").exists() is can(Capability.COMMENT)(role)
    assert type(world.workflow).objects.filter(pk=world.workflow.pk).exists() is not can(Capability.MANAGE_MEMBERS)(
        role
    )
