"""Approvals in the sidebar: the posts waiting for my decision, decided inline, then the ones I submitted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from content.models import ApprovalStage, ApprovalWorkflow, PostStatus
from content.tests.factories import ContentPostFactory
from content.workflow import post_submit
from teams.models import Membership
from teams.permissions import TeamContext
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _ctx(user, team):
    return TeamContext(user=user, team=team, membership=Membership.objects.get(team=team, user=user))


def _join(team, role):
    user = UserFactory()
    MembershipFactory(team=team, user=user, role=role)
    user.current_team = team
    user.save(update_fields=["current_team"])
    return user


@pytest.fixture
def team():
    owner = UserFactory()
    team = owner.current_team
    team.requires_approval = True
    team.save(update_fields=["requires_approval"])
    return team


def _submitted(team, author, text):
    post = ContentPostFactory(author=author, team=team, title=text, content=text, hashtags=[])
    post_submit(ctx=_ctx(author, team), post=post)
    return post


def test_the_reviewer_sees_what_waits_for_them_and_approves_inline(client, team):
    # given an editor's post in review, a draft, and another team's post in review
    editor = _join(team, Membership.Role.EDITOR)
    reviewer = _join(team, Membership.Role.REVIEWER)
    waiting = _submitted(team, editor, "Spring menu launch")
    ContentPostFactory(author=editor, team=team, title="Still a draft", hashtags=[])
    other = UserFactory()
    ContentPostFactory(author=other, title="Another team's secret", status=PostStatus.IN_REVIEW, hashtags=[])
    client.force_login(reviewer)

    # when the reviewer opens Approvals from the sidebar
    home = client.get("/dashboard/").content.decode()
    page = client.get("/approvals/").content.decode()

    # then the sidebar's Approvals is this queue, which lists only the post waiting for them
    assert 'href="/approvals/"' in home and 'data-testid="nav-approvals"' in home
    assert "Spring menu launch" in page
    assert "Still a draft" not in page and "secret" not in page

    # when they approve it inline, they are back on the queue and it is gone from it
    response = client.post(f"/posts/{waiting.pk}/review/approve/", {"next": "/approvals/"})
    assert response.status_code == 302 and response["Location"] == "/approvals/"
    waiting.refresh_from_db()
    assert waiting.status == PostStatus.APPROVED
    assert "Spring menu launch" not in client.get("/approvals/").content.decode()


def test_request_changes_inline_needs_a_comment(client, team):
    editor = _join(team, Membership.Role.EDITOR)
    reviewer = _join(team, Membership.Role.REVIEWER)
    post = _submitted(team, editor, "Autumn hours")
    client.force_login(reviewer)

    refused = client.post(f"/posts/{post.pk}/review/request-changes/", {"next": "/approvals/"}, follow=True)
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    assert "Autumn hours" in refused.content.decode()  # still in the queue, with the refusal shown

    client.post(f"/posts/{post.pk}/review/request-changes/", {"next": "/approvals/", "comment": "Add the prices"})
    post.refresh_from_db()
    assert post.status == PostStatus.CHANGES_REQUESTED


def test_an_outside_next_is_ignored(client, team):
    editor = _join(team, Membership.Role.EDITOR)
    reviewer = _join(team, Membership.Role.REVIEWER)
    post = _submitted(team, editor, "Winter")
    client.force_login(reviewer)

    response = client.post(f"/posts/{post.pk}/review/approve/", {"next": "https://evil.example/"})

    assert response["Location"] == f"/posts/{post.pk}/"


def test_a_stage_naming_its_reviewers_waits_only_for_them(client, team):
    editor = _join(team, Membership.Role.EDITOR)
    named = _join(team, Membership.Role.REVIEWER)
    bystander = _join(team, Membership.Role.REVIEWER)
    workflow = ApprovalWorkflow.objects.create(team=team, name="Legal")
    stage = ApprovalStage.objects.create(workflow=workflow, position=0, name="Legal check", required_approvals=1)
    stage.reviewers.add(named)
    _submitted(team, editor, "Contest rules")

    client.force_login(named)
    assert "Contest rules" in client.get("/approvals/").content.decode()
    client.force_login(bystander)
    assert "Contest rules" not in client.get("/approvals/").content.decode()


def test_the_author_sees_what_they_sent_and_its_state(client, team):
    editor = _join(team, Membership.Role.EDITOR)
    _submitted(team, editor, "My pending post")
    client.force_login(editor)

    page = client.get("/approvals/").content.decode()

    assert 'data-testid="submitted-list"' in page
    assert "My pending post" in page and "In review" in page
    assert 'data-testid="approval-item"' not in page  # nobody approves their own post


def test_workflow_settings_live_under_team(client, team):
    client.force_login(team.owner)

    team_page = client.get("/team/").content.decode()
    workflows = client.get("/workflows/").content.decode()

    assert 'data-testid="team-workflows-link"' in team_page
    assert 'href="/workflows/"' in team_page
    assert "Approval workflows" in workflows


def test_the_queue_reads_a_fixed_number_of_queries(client, team):
    editor = _join(team, Membership.Role.EDITOR)
    reviewer = _join(team, Membership.Role.REVIEWER)
    _submitted(team, editor, "First")
    client.force_login(reviewer)
    client.get("/approvals/")

    with CaptureQueriesContext(connection) as few:
        client.get("/approvals/")
    for n in range(8):
        _submitted(team, editor, f"More {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/approvals/").content.decode()

    assert page.count('data-testid="approval-item"') == 9
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
