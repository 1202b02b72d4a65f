"""The approval workflow of a post: submit, approve, request changes, and what an edit undoes.

Post states: DRAFT → IN_REVIEW → APPROVED or CHANGES_REQUESTED → SCHEDULED → PUBLISHED. Every
state change goes through `_move`, which refuses a transition not in `TRANSITIONS` (409).

A post follows its brand's workflow, else its team's, else (when the team requires approval or
someone submits anyway) one implicit stage: one approval by any member whose role may review.
Decisions belong to a review round; an edit after approval starts a new round, so old approvals
stop counting without being deleted (the history keeps them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from content.models import ApprovalDecision, ApprovalWorkflow, ContentPost, PostComment, PostShare, PostStatus
from core.api.errors import ConflictError, PermissionDeniedError, ValidationFailed
from core.events import POST_APPROVED, event_emit, post_summary
from core.stored_messages import Message
from teams.models import Membership, Notification
from teams.permissions import ROLE_CAPABILITIES, Capability, TeamContext, require
from teams.services import activity_record, notification_send

S = PostStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.IN_REVIEW, S.SCHEDULED}),
    S.IN_REVIEW: frozenset({S.IN_REVIEW, S.APPROVED, S.CHANGES_REQUESTED, S.DRAFT}),
    S.CHANGES_REQUESTED: frozenset({S.IN_REVIEW, S.DRAFT}),
    S.APPROVED: frozenset({S.SCHEDULED, S.IN_REVIEW, S.DRAFT, S.PUBLISHED}),
    S.SCHEDULED: frozenset({S.PUBLISHED, S.FAILED, S.DRAFT, S.IN_REVIEW}),
    S.FAILED: frozenset({S.SCHEDULED, S.DRAFT, S.IN_REVIEW}),
    S.PUBLISHED: frozenset(),
}
SUBMITTABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.FAILED})
REVIEW_ROLES = frozenset(role for role, caps in ROLE_CAPABILITIES.items() if Capability.REVIEW in caps)


@dataclass(frozen=True)
class Stage:
    position: int
    name: str
    required_approvals: int
    reviewer_ids: frozenset[object] | None  # None: any member whose role may review


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def _label(status: str) -> str:
    return str(PostStatus(status).label) if status in PostStatus.values else status


def _move(post: ContentPost, target: str) -> None:
    if not can_transition(post.status, target):
        raise ConflictError(
            f"A post that is {_label(post.status).lower()} cannot become {_label(target).lower()}.",
            details={"status": [post.status], "allowed": sorted(TRANSITIONS.get(post.status, ()))},
        )
    post.status = target


def _sources(target: str) -> list[str]:
    return [status for status, targets in TRANSITIONS.items() if target in targets]


def _move_stored(post: ContentPost, target: str, **fields: Any) -> bool:
    """Move the stored post to `target` when its stored state may become it (one conditional UPDATE,
    so a concurrent change is never overwritten). Returns whether it moved."""
    moved = ContentPost.objects.filter(pk=post.pk, status__in=_sources(target)).update(
        status=target, updated_at=timezone.now(), **fields
    )
    if moved:
        post.status = target
        for name, value in fields.items():
            setattr(post, name, value)
    return bool(moved)


def post_mark_scheduled(*, post: ContentPost, at: datetime) -> bool:
    """A schedule was stored for the post: it shows as SCHEDULED at `at` once its approval passed.

    A post still waiting for approval keeps its review state (the dispatcher holds its schedules);
    a post already scheduled keeps its first time.
    """
    if not approval_passed(post):
        return False
    return _move_stored(post, S.SCHEDULED, scheduled_at=at)


def post_mark_unscheduled(*, post: ContentPost) -> bool:
    """Its last schedule was cancelled: a SCHEDULED post goes back to being a draft."""
    if post.status != S.SCHEDULED:
        return False
    moved = ContentPost.objects.filter(pk=post.pk, status=S.SCHEDULED).update(
        status=S.DRAFT, scheduled_at=None, updated_at=timezone.now()
    )
    if moved:
        post.status, post.scheduled_at = S.DRAFT, None
    return bool(moved)


def team_workflows(team_id: Any) -> list[ApprovalWorkflow]:
    """The team's active workflows with their stages and named reviewers, in three queries."""
    return list(ApprovalWorkflow.objects.filter(team_id=team_id, is_active=True).prefetch_related("stages__reviewers"))


def workflow_among(workflows: list[ApprovalWorkflow], post: ContentPost) -> ApprovalWorkflow | None:
    """The brand's active workflow when the post has a brand with one, else the team's default."""
    if post.brand_id:
        own = next((w for w in workflows if w.brand_id == post.brand_id), None)
        if own is not None:
            return own
    return next((w for w in workflows if w.brand_id is None), None)


def workflow_for_post(post: ContentPost) -> ApprovalWorkflow | None:
    return workflow_among(team_workflows(post.team_id), post)


def stages_of(workflow: ApprovalWorkflow | None) -> list[Stage]:
    if workflow is None or not workflow.stages.all():
        # the default single stage is named in the reader's language (a team's own stages are its words)
        return [Stage(position=0, name=gettext("Review"), required_approvals=1, reviewer_ids=None)]
    return [
        Stage(
            position=index,
            name=stage.name,
            required_approvals=max(1, stage.required_approvals),
            reviewer_ids=frozenset(r.pk for r in stage.reviewers.all()) or None,
        )
        for index, stage in enumerate(sorted(workflow.stages.all(), key=lambda s: s.position))
    ]


def stages_for_post(post: ContentPost) -> list[Stage]:
    return stages_of(workflow_for_post(post))


def approval_required(post: ContentPost) -> bool:
    return bool(post.team.requires_approval) or workflow_for_post(post) is not None


def approval_passed_q(prefix: str = "") -> Q:
    """`approval_passed` as a filter, for rows reached through `prefix` (e.g. "post__").

    Lets the dispatcher skip waiting posts in SQL, so any number of them never crowd out the
    approved ones from a claim batch.
    """
    applicable = ApprovalWorkflow.objects.filter(team_id=OuterRef(f"{prefix}team_id"), is_active=True).filter(
        Q(brand__isnull=True) | Q(brand_id=OuterRef(f"{prefix}brand_id"))
    )
    no_approval_needed = Q(Q(**{f"{prefix}team__requires_approval": False}), ~Exists(applicable))
    return Q(Q(**{f"{prefix}approved_at__isnull": False}) | no_approval_needed)


def approval_passed(post: ContentPost) -> bool:
    """What the scheduling gate asks: may this post go out now?"""
    return post.approved_at is not None or not approval_required(post)


def stage_reviewers(post: ContentPost, stage: Stage) -> list[User]:
    """Members who may decide this stage: a review role, named on the stage if it names anyone, not the author.

    A client member reviews only the posts shared with them (they cannot see any other)."""
    shared = PostShare.objects.filter(post_id=post.pk, user_id=OuterRef("user_id"))
    members = (
        Membership.objects.filter(team_id=post.team_id, role__in=REVIEW_ROLES)
        .filter(~Q(role=Membership.Role.CLIENT) | Q(Exists(shared)))
        .select_related("user")
    )
    users = [m.user for m in members if m.user_id != post.author_id]
    if stage.reviewer_ids is not None:
        users = [u for u in users if u.pk in stage.reviewer_ids]
    return users


def current_stage(post: ContentPost) -> Stage | None:
    stages = stages_for_post(post)
    return stages[post.review_stage] if post.review_stage < len(stages) else None


def _post_url(post: ContentPost) -> str:
    return reverse("content:post_detail", args=[post.pk])


def _title(post: ContentPost) -> str:
    return (post.title or post.content[:60]).strip() or "Untitled post"


def _lock(post: ContentPost) -> ContentPost:
    locked = ContentPost.objects.select_for_update(of=("self",)).select_related("team").get(pk=post.pk)
    return locked


def _request_review(post: ContentPost, stage: Stage) -> None:
    for reviewer in stage_reviewers(post, stage):
        notification_send(
            user=reviewer,
            team=post.team,
            title=Message(gettext_noop("Approval requested: %(post)s"), post=_title(post)),
            body=Message(gettext_noop("Stage %(number)s: %(name)s"), number=stage.position + 1, name=stage.name),
            url=_post_url(post),
            event=Notification.Event.APPROVAL_REQUESTED,
        )


def _notify_author(post: ContentPost, *, title: Message, body: Message, event: str, kind: str) -> None:
    if post.author is not None:
        notification_send(
            user=post.author, team=post.team, title=title, body=body, url=_post_url(post), event=event, kind=kind
        )


def _invalidate_round(post: ContentPost) -> None:
    ApprovalDecision.objects.filter(post=post, invalidated_at__isnull=True).update(invalidated_at=timezone.now())


def post_submit(*, ctx: TeamContext, post: ContentPost) -> ContentPost:
    """Send a draft (or a post that needed changes) to its first stage's reviewers."""
    require(ctx, Capability.CREATE_CONTENT)
    with transaction.atomic():
        post = _lock(post)
        if post.status not in SUBMITTABLE:
            raise ConflictError(
                f"Only a draft or a post that needs changes can be submitted; this one is "
                f"{_label(post.status).lower()}.",
                details={"status": [post.status]},
            )
        if not post.content.strip():
            raise ValidationFailed("Write the post before submitting it.", details={"content": ["Empty."]})
        stage = stages_for_post(post)[0]
        if not stage_reviewers(post, stage):
            raise ConflictError(
                "Nobody in this team can review this post yet: invite a reviewer or name one on the workflow.",
                details={"reviewers": ["None available."]},
            )
        _invalidate_round(post)
        _move(post, S.IN_REVIEW)
        post.review_round += 1
        post.review_stage = 0
        post.approved_at = None
        post.save(update_fields=["status", "review_round", "review_stage", "approved_at", "updated_at"])
        activity_record(
            team=post.team,
            actor=ctx.user,
            verb="post.submitted",
            summary=Message(gettext_noop("submitted “%(post)s”"), post=_title(post)),
            target=post,
        )
        _request_review(post, stage)
    return post


def _check_reviewer(post: ContentPost, stage: Stage, user: User) -> None:
    if post.author_id == user.pk:
        raise PermissionDeniedError("Authors cannot approve or reject their own post.")
    if user.pk not in {u.pk for u in stage_reviewers(post, stage)}:
        raise PermissionDeniedError(f"You are not a reviewer of the stage “{stage.name}”.")


def _require_in_review(post: ContentPost, action: str) -> Stage:
    if post.status != S.IN_REVIEW:
        raise ConflictError(
            f"Only a post in review can be {action}; this one is {_label(post.status).lower()}.",
            details={"status": [post.status]},
        )
    stage = current_stage(post)
    if stage is None:  # the workflow lost stages mid-review: finish it
        raise ConflictError("This post's workflow changed; submit it again.", details={"status": [post.status]})
    return stage


def _record_approval(
    post: ContentPost,
    stage: Stage,
    *,
    actor: User | None,
    reviewer: User | None = None,
    client_name: str = "",
    client_email: str = "",
    comment: str = "",
) -> ApprovalDecision:
    """Count one approval of the current stage; advance or finish the review when the stage has enough."""
    decision = ApprovalDecision.objects.create(
        team=post.team,
        post=post,
        round=post.review_round,
        stage_position=stage.position,
        stage_name=stage.name,
        reviewer=reviewer,
        client_name=client_name,
        client_email=client_email,
        verdict=ApprovalDecision.Verdict.APPROVED,
        comment=comment,
    )
    given = ApprovalDecision.objects.filter(
        post=post,
        round=post.review_round,
        stage_position=stage.position,
        verdict=ApprovalDecision.Verdict.APPROVED,
        invalidated_at__isnull=True,
    ).count()
    who: str | Message = (
        reviewer.get_short_name()
        if reviewer
        else Message(gettext_noop("%(name)s (client)"), name=client_name or client_email)
    )
    stages = stages_for_post(post)
    if given < stage.required_approvals:
        body = Message(
            gettext_noop("%(who)s approved stage “%(stage)s” (%(given)s of %(required)s)."),
            who=who,
            stage=stage.name,
            given=given,
            required=stage.required_approvals,
        )
    elif stage.position + 1 < len(stages):
        post.review_stage = stage.position + 1
        _move(post, S.IN_REVIEW)
        post.save(update_fields=["review_stage", "status", "updated_at"])
        body = Message(
            gettext_noop("%(who)s approved; stage “%(stage)s” is done, now “%(next)s”."),
            who=who,
            stage=stage.name,
            next=stages[stage.position + 1].name,
        )
        _request_review(post, stages[stage.position + 1])
    else:
        _move(post, S.APPROVED)
        post.approved_at = timezone.now()
        post.save(update_fields=["status", "approved_at", "updated_at"])
        body = Message(gettext_noop("%(who)s approved. The post is ready to schedule."), who=who)
    _notify_author(
        post,
        title=Message(
            gettext_noop("Approved: %(post)s")
            if post.status == S.APPROVED
            else gettext_noop("Approval given: %(post)s"),
            post=_title(post),
        ),
        body=body,
        event=Notification.Event.APPROVAL_GIVEN,
        kind=Notification.Kind.SUCCESS,
    )
    activity_record(
        team=post.team,
        actor=actor,
        verb="post.approved",
        summary=Message(
            gettext_noop("%(who)s approved “%(post)s” (%(stage)s)"), who=who, post=_title(post), stage=stage.name
        ),
        target=post,
        data={"round": post.review_round, "stage": stage.position, "status": post.status},
    )
    if post.status == S.APPROVED:
        event_emit(
            name=POST_APPROVED,
            team_id=post.team_id,
            data={"post": post_summary(post), "approved_by": str(actor.pk) if actor else None},
        )
    return decision


def post_approve(*, ctx: TeamContext, post: ContentPost, comment: str = "") -> ContentPost:
    require(ctx, Capability.REVIEW)
    with transaction.atomic():
        post = _lock(post)
        stage = _require_in_review(post, "approved")
        _check_reviewer(post, stage, ctx.user)
        already = ApprovalDecision.objects.filter(
            post=post,
            round=post.review_round,
            stage_position=stage.position,
            reviewer=ctx.user,
            invalidated_at__isnull=True,
        ).exists()
        if already:
            raise ConflictError("You already approved this stage of the post.", details={"reviewer": ["Decided."]})
        _record_approval(post, stage, actor=ctx.user, reviewer=ctx.user, comment=comment.strip())
    return post


def _record_changes(
    post: ContentPost,
    stage: Stage,
    *,
    actor: User | None,
    comment: str,
    client_name: str = "",
    client_email: str = "",
) -> ApprovalDecision:
    comment = comment.strip()
    if not comment:
        raise ValidationFailed("Say what should change.", details={"comment": ["Required when requesting changes."]})
    decision = ApprovalDecision.objects.create(
        team=post.team,
        post=post,
        round=post.review_round,
        stage_position=stage.position,
        stage_name=stage.name,
        reviewer=actor,
        client_name=client_name,
        client_email=client_email,
        verdict=ApprovalDecision.Verdict.CHANGES_REQUESTED,
        comment=comment,
    )
    _move(post, S.CHANGES_REQUESTED)
    post.save(update_fields=["status", "updated_at"])
    prefix = "" if actor else f"{client_name or client_email} (client): "
    PostComment.objects.create(team=post.team, post=post, author=actor, body=f"{prefix}{comment}")
    who: str | Message = (
        actor.get_short_name()
        if actor
        else Message(gettext_noop("%(name)s (client)"), name=client_name or client_email)
    )
    _notify_author(
        post,
        title=Message(gettext_noop("Changes requested: %(post)s"), post=_title(post)),
        body=Message(gettext_noop("%(who)s: %(comment)s"), who=who, comment=comment[:200]),
        event=Notification.Event.CHANGES_REQUESTED,
        kind=Notification.Kind.WARNING,
    )
    activity_record(
        team=post.team,
        actor=actor,
        verb="post.changes_requested",
        summary=Message(gettext_noop("%(who)s requested changes to “%(post)s”"), who=who, post=_title(post)),
        target=post,
        data={"round": post.review_round, "stage": stage.position},
    )
    return decision


def post_request_changes(*, ctx: TeamContext, post: ContentPost, comment: str) -> ContentPost:
    require(ctx, Capability.REVIEW)
    with transaction.atomic():
        post = _lock(post)
        stage = _require_in_review(post, "sent back")
        _check_reviewer(post, stage, ctx.user)
        _record_changes(post, stage, actor=ctx.user, comment=comment)
    return post


def post_client_decide(
    *, post: ContentPost, approve: bool, client_name: str, client_email: str, comment: str = ""
) -> tuple[ContentPost, ApprovalDecision]:
    """A client's decision through a magic link: one approval of the current stage, or a change request."""
    with transaction.atomic():
        post = _lock(post)
        stage = _require_in_review(post, "approved" if approve else "sent back")
        if approve:
            decision = _record_approval(
                post, stage, actor=None, client_name=client_name, client_email=client_email, comment=comment.strip()
            )
        else:
            decision = _record_changes(
                post, stage, actor=None, comment=comment, client_name=client_name, client_email=client_email
            )
    return post, decision


def post_content_edited(*, post: ContentPost, actor: User) -> None:
    """An edit of the words undoes the review: approvals stop counting and reviewers look again.

    Called by `post_update` inside its transaction, after the row is saved.
    """
    was_approved = post.approved_at is not None or post.status == S.APPROVED
    if not was_approved and post.status != S.IN_REVIEW:
        return
    _invalidate_round(post)
    post.approved_at = None
    post.review_stage = 0
    post.review_round += 1
    required = approval_required(post)
    if post.status == S.IN_REVIEW or (required and post.status in (S.APPROVED, S.SCHEDULED)):
        _move(post, S.IN_REVIEW)
    elif post.status == S.APPROVED:
        _move(post, S.DRAFT)
    post.save(update_fields=["status", "approved_at", "review_stage", "review_round", "updated_at"])
    activity_record(
        team=post.team,
        actor=actor,
        verb="post.approval_reset",
        summary=Message(gettext_noop("edited “%(post)s”; its approvals no longer count"), post=_title(post)),
        target=post,
    )
    if post.status == S.IN_REVIEW:
        _request_review(post, stages_for_post(post)[0])
