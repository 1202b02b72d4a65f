"""The approval workflow: valid and invalid transitions, stages, edits after approval, revisions, client links."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from content.collaboration import StageInput, client_link_create, client_link_revoke, workflow_save
from content.models import ApprovalDecision, ContentPost, PostRevision, PostShare, PostStatus
from content.revisions import revision_diff, revision_get, revision_restore
from content.services import post_create, post_update
from content.workflow import (
    TRANSITIONS,
    approval_passed,
    can_transition,
    post_approve,
    post_request_changes,
    post_submit,
)
from core.api.errors import ConflictError, PermissionDeniedError, ValidationFailed
from teams.models import ActivityEvent, Notification
from teams.tests.factories import BrandFactory, crew_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew():
    return crew_create()


def _draft(crew, text="Spring is here. Our new roast lands Monday.", **kwargs):
    return post_create(ctx=crew.ctx("editor"), title="Spring roast", content=text, platform="linkedin", **kwargs)


def _events(user, event):
    return Notification.objects.filter(user=user, event=event)


def test_submit_then_approve_walks_draft_to_approved_and_notifies_both_sides(crew):
    post = _draft(crew)
    PostShare.objects.create(post=post, user=crew.users["client"])  # a client reviews what is shared with them

    post = post_submit(ctx=crew.ctx("editor"), post=post)
    assert post.status == PostStatus.IN_REVIEW
    # every member whose role may review is asked, the author is not
    for role in ("owner", "admin", "reviewer", "client"):
        assert _events(crew.users[role], Notification.Event.APPROVAL_REQUESTED).count() == 1
    assert not _events(crew.users["editor"], Notification.Event.APPROVAL_REQUESTED).exists()
    assert not _events(crew.users["viewer"], Notification.Event.APPROVAL_REQUESTED).exists()

    post = post_approve(ctx=crew.ctx("reviewer"), post=post, comment="Lovely")
    assert post.status == PostStatus.APPROVED and post.approved_at is not None
    assert _events(crew.users["editor"], Notification.Event.APPROVAL_GIVEN).get().title.startswith("Approved")
    verbs = list(ActivityEvent.objects.filter(team=crew.team).values_list("verb", flat=True))
    assert {"post.created", "post.submitted", "post.approved"} <= set(verbs)


@pytest.mark.parametrize(
    ("setup", "actor", "error", "message"),
    [
        ("draft", "reviewer", ConflictError, "Only a post in review"),  # approving a DRAFT
        ("in_review", "editor", PermissionDeniedError, "cannot review"),  # a role without REVIEW
        ("in_review", "viewer", PermissionDeniedError, "cannot review"),
        ("own_post", "admin", PermissionDeniedError, "their own post"),  # the author approving
        ("approved", "reviewer", ConflictError, "Only a post in review"),  # approving twice
    ],
)
def test_invalid_approvals_are_refused_and_change_nothing(crew, setup, actor, error, message):
    author = "admin" if setup == "own_post" else "editor"
    post = post_create(ctx=crew.ctx(author), content="Text to review", platform="linkedin")
    if setup != "draft":
        post = post_submit(ctx=crew.ctx(author), post=post)
    if setup == "approved":
        post = post_approve(ctx=crew.ctx("reviewer"), post=post)
    before = (post.status, ApprovalDecision.objects.count())

    with pytest.raises(error, match=message):
        post_approve(ctx=crew.ctx(actor), post=post)

    post.refresh_from_db()
    assert (post.status, ApprovalDecision.objects.count()) == before


def test_the_same_reviewer_cannot_count_twice_in_a_two_approval_stage(crew):
    workflow_save(
        ctx=crew.ctx("owner"),
        name="Two eyes",
        stages=[StageInput(name="Editorial", required_approvals=2, reviewer_ids=[])],
    )
    post = post_submit(ctx=crew.ctx("editor"), post=_draft(crew))
    post_approve(ctx=crew.ctx("reviewer"), post=post)

    with pytest.raises(ConflictError, match="already approved"):
        post_approve(ctx=crew.ctx("reviewer"), post=post)

    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    post_approve(ctx=crew.ctx("admin"), post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_submitting_twice_and_requesting_changes_on_a_draft_are_conflicts(crew):
    post = _draft(crew)
    with pytest.raises(ConflictError):
        post_request_changes(ctx=crew.ctx("reviewer"), post=post, comment="No")
    post_submit(ctx=crew.ctx("editor"), post=post)
    with pytest.raises(ConflictError, match="Only a draft"):
        post_submit(ctx=crew.ctx("editor"), post=post)
    with pytest.raises(ValidationFailed, match="Say what should change"):
        post_request_changes(ctx=crew.ctx("reviewer"), post=post, comment="   ")


def test_transition_table_has_no_way_out_of_published_and_no_shortcut_to_approved():
    assert TRANSITIONS[PostStatus.PUBLISHED] == frozenset()
    assert not can_transition(PostStatus.DRAFT, PostStatus.APPROVED)
    assert not can_transition(PostStatus.CHANGES_REQUESTED, PostStatus.APPROVED)
    assert can_transition(PostStatus.IN_REVIEW, PostStatus.APPROVED)


def test_ordered_stages_with_named_reviewers(crew):
    # given Legal (the admin only) then Brand (the reviewer only)
    workflow_save(
        ctx=crew.ctx("owner"),
        name="Legal then brand",
        stages=[
            StageInput(name="Legal", required_approvals=1, reviewer_ids=[crew.users["admin"].pk]),
            StageInput(name="Brand", required_approvals=1, reviewer_ids=[crew.users["reviewer"].pk]),
        ],
    )
    post = post_submit(ctx=crew.ctx("editor"), post=_draft(crew))
    assert _events(crew.users["admin"], Notification.Event.APPROVAL_REQUESTED).count() == 1
    assert not _events(crew.users["reviewer"], Notification.Event.APPROVAL_REQUESTED).exists()

    # the brand reviewer may not jump the queue
    with pytest.raises(PermissionDeniedError, match="not a reviewer of the stage “Legal”"):
        post_approve(ctx=crew.ctx("reviewer"), post=post)

    post_approve(ctx=crew.ctx("admin"), post=post)
    post.refresh_from_db()
    assert (post.status, post.review_stage) == (PostStatus.IN_REVIEW, 1)
    assert _events(crew.users["reviewer"], Notification.Event.APPROVAL_REQUESTED).count() == 1

    post_approve(ctx=crew.ctx("reviewer"), post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_a_brands_workflow_wins_over_the_teams_for_its_posts(crew):
    brand = BrandFactory(team=crew.team)
    workflow_save(ctx=crew.ctx("owner"), name="Team", stages=[StageInput("Any", 1, [])])
    workflow_save(
        ctx=crew.ctx("owner"),
        name="Brand",
        brand=brand,
        stages=[StageInput("Brand lead", 1, [crew.users["owner"].pk])],
    )
    branded = post_submit(ctx=crew.ctx("editor"), post=_draft(crew, brand=brand))
    with pytest.raises(PermissionDeniedError):
        post_approve(ctx=crew.ctx("reviewer"), post=branded)
    post_approve(ctx=crew.ctx("owner"), post=branded)
    branded.refresh_from_db()
    assert branded.status == PostStatus.APPROVED


def test_request_changes_then_resubmit_starts_a_new_round(crew):
    post = post_submit(ctx=crew.ctx("editor"), post=_draft(crew))
    post_request_changes(ctx=crew.ctx("reviewer"), post=post, comment="Say Monday, not Mon.")
    post.refresh_from_db()
    assert post.status == PostStatus.CHANGES_REQUESTED
    note = _events(crew.users["editor"], Notification.Event.CHANGES_REQUESTED).get()
    assert "Say Monday" in note.body
    assert post.comments.get().body == "Say Monday, not Mon."

    post = post_update(ctx=crew.ctx("editor"), post=post, changes={"content": "Our new roast lands Monday."})
    assert post.status == PostStatus.CHANGES_REQUESTED
    post = post_submit(ctx=crew.ctx("editor"), post=post)
    assert (post.status, post.review_round) == (PostStatus.IN_REVIEW, 2)


def test_an_edit_after_approval_sends_it_back_and_voids_the_approvals(crew):
    crew.team.requires_approval = True
    crew.team.save()
    post = post_submit(ctx=crew.ctx("editor"), post=_draft(crew))
    post = post_approve(ctx=crew.ctx("reviewer"), post=post)
    assert approval_passed(post)

    post = post_update(ctx=crew.ctx("editor"), post=post, changes={"content": "A sneaky change after approval."})

    assert post.status == PostStatus.IN_REVIEW
    assert post.approved_at is None and not approval_passed(post)
    assert ApprovalDecision.objects.get(post=post).invalidated_at is not None
    # the reviewer is asked again and may approve again
    assert _events(crew.users["reviewer"], Notification.Event.APPROVAL_REQUESTED).count() == 2
    post_approve(ctx=crew.ctx("reviewer"), post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_an_edit_after_approval_without_a_workflow_goes_back_to_draft(crew):
    post = post_approve(ctx=crew.ctx("reviewer"), post=post_submit(ctx=crew.ctx("editor"), post=_draft(crew)))
    post = post_update(ctx=crew.ctx("editor"), post=post, changes={"title": "New title"})
    assert post.status == PostStatus.DRAFT and post.approved_at is None


def test_changing_only_the_schedule_time_keeps_the_approval(crew):
    post = post_approve(ctx=crew.ctx("reviewer"), post=post_submit(ctx=crew.ctx("editor"), post=_draft(crew)))
    post = post_update(ctx=crew.ctx("editor"), post=post, changes={"tone": "witty"})
    assert post.status == PostStatus.APPROVED


def test_every_edit_is_a_revision_with_a_diff_and_restore_is_a_new_revision(crew):
    post = _draft(crew, text="Line one\nLine two")
    post = post_update(ctx=crew.ctx("editor"), post=post, changes={"content": "Line one\nLine 2"})
    post = post_update(ctx=crew.ctx("admin"), post=post, changes={"hashtags": ["#coffee"]})
    assert list(post.revisions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]

    second = revision_get(post=post, number=2)
    diff = revision_diff(old=revision_get(post=post, number=1), new=second)
    assert "-Line two" in diff and "+Line 2" in diff
    assert second.editor == crew.users["editor"]

    post = revision_restore(ctx=crew.ctx("editor"), post=post, revision=revision_get(post=post, number=1))
    assert post.content == "Line one\nLine two"
    latest = post.revisions.order_by("-number").first()
    assert (latest.number, latest.restored_from) == (4, 1)
    assert ActivityEvent.objects.filter(verb="revision.restored", target_id=str(post.pk)).exists()


def test_restore_is_refused_to_roles_that_cannot_write(crew):
    post = _draft(crew)
    with pytest.raises(PermissionDeniedError):
        revision_restore(ctx=crew.ctx("reviewer"), post=post, revision=revision_get(post=post, number=1))
    assert PostRevision.objects.filter(post=post).count() == 1


# Client links ----------------------------------------------------------------------------------
def _client_link(crew, client, post=None, **kwargs):
    post = post or post_submit(ctx=crew.ctx("editor"), post=_draft(crew))
    link, token = client_link_create(
        ctx=crew.ctx("owner"), post=post, client_name="Carla Client", client_email="carla@client.test", **kwargs
    )
    return post, link, reverse("content:client_review", args=[token])


def test_a_client_approves_through_the_link_without_an_account(crew, client):
    post, link, url = _client_link(crew, client)

    page = client.get(url)
    assert page.status_code == 200
    assert "Spring is here" in page.content.decode()

    answer = client.post(
        url, {"name": "Carla Client", "email": "carla@client.test", "comment": "Ship it", "decision": "approve"}
    )

    assert answer.status_code == 200
    assert "your approval was recorded" in answer.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    decision = ApprovalDecision.objects.get(post=post)
    assert (decision.client_name, decision.client_email, decision.reviewer) == (
        "Carla Client",
        "carla@client.test",
        None,
    )
    link.refresh_from_db()
    assert link.used_at is not None and link.decision == decision
    # the link is single use: a second post decides nothing more
    again = client.post(url, {"name": "X", "email": "x@x.test", "comment": "", "decision": "approve"})
    assert again.status_code == 200
    assert ApprovalDecision.objects.filter(post=post).count() == 1


def test_a_client_requests_changes_with_a_comment_and_the_author_hears(crew, client):
    post, _, url = _client_link(crew, client)

    missing = client.post(url, {"name": "Carla", "email": "carla@client.test", "comment": "", "decision": "changes"})
    assert missing.status_code == 400
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW

    client.post(url, {"name": "Carla", "email": "carla@client.test", "comment": "Use our logo", "decision": "changes"})
    post.refresh_from_db()
    assert post.status == PostStatus.CHANGES_REQUESTED
    assert _events(crew.users["editor"], Notification.Event.CHANGES_REQUESTED).get().body.startswith("Carla")


def test_expired_revoked_and_tampered_links_get_a_clear_error_page(crew, client):
    post, link, url = _client_link(crew, client, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        expired = client.get(url)
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()

    tampered = url.rstrip("/")[:-3] + "abc/"
    assert client.get(tampered).status_code == 404
    forged = reverse(
        "content:client_review",
        args=[signing.dumps({"link": str(link.pk), "post": str(post.pk)}, salt="someone-else")],
    )
    assert client.get(forged).status_code == 404

    client_link_revoke(ctx=crew.ctx("owner"), link=link)
    revoked = client.post(url, {"name": "C", "email": "c@c.test", "comment": "", "decision": "approve"})
    assert revoked.status_code == 410
    assert "withdrawn" in revoked.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW


def test_client_links_need_a_post_in_review_and_a_role_that_may_share(crew):
    post = _draft(crew)
    with pytest.raises(ConflictError, match="Submit the post"):
        client_link_create(ctx=crew.ctx("owner"), post=post, client_name="C", client_email="c@c.test")
    post_submit(ctx=crew.ctx("editor"), post=post)
    with pytest.raises(PermissionDeniedError):
        client_link_create(ctx=crew.ctx("viewer"), post=post, client_name="C", client_email="c@c.test")


def test_the_post_status_filter_still_lists_every_state(crew):
    post = post_submit(ctx=crew.ctx("editor"), post=_draft(crew))
    from content.selectors import post_list

    assert list(post_list(team=crew.team, status="in_review")) == [post]
    assert ContentPost.objects.filter(team=crew.team, status=PostStatus.DRAFT).count() == 0
