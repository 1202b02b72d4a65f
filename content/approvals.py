"""The Approvals page's reads: the posts waiting for my decision, then the ones I submitted.

The whole queue is read in a fixed number of queries however many posts wait: the team's workflows,
the posts in review, this round's decisions and the shares are each loaded once and matched in Python
with the same rules `stage_reviewers` applies to one post.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from content.models import ApprovalDecision, ContentPost, PostShare, PostStatus
from content.workflow import REVIEW_ROLES, Stage, stages_of, team_workflows, workflow_among
from teams.permissions import TeamContext


@dataclass(frozen=True)
class WaitingPost:
    post: ContentPost
    stage: Stage
    stage_count: int


def approvals_waiting_for(*, ctx: TeamContext) -> list[WaitingPost]:
    """Posts in review whose current stage I may decide and have not decided yet this round, oldest first."""
    if ctx.role not in REVIEW_ROLES:
        return []
    posts = list(
        ContentPost.objects.filter(team=ctx.team, status=PostStatus.IN_REVIEW)
        .exclude(author=ctx.user)
        .select_related("author", "brand")
        .order_by("updated_at")
    )
    if ctx.is_client:
        shared = set(PostShare.objects.filter(user=ctx.user, post__in=posts).values_list("post_id", flat=True))
        posts = [p for p in posts if p.pk in shared]
    decided = set(
        ApprovalDecision.objects.filter(post__in=posts, reviewer=ctx.user, invalidated_at__isnull=True).values_list(
            "post_id", "round", "stage_position"
        )
    )
    workflows = team_workflows(ctx.team.pk)
    waiting = []
    for post in posts:
        stages = stages_of(workflow_among(workflows, post))
        if post.review_stage >= len(stages):
            continue
        stage = stages[post.review_stage]
        if stage.reviewer_ids is not None and ctx.user.pk not in stage.reviewer_ids:
            continue
        if (post.pk, post.review_round, stage.position) in decided:
            continue
        waiting.append(WaitingPost(post=post, stage=stage, stage_count=len(stages)))
    return waiting


def approvals_submitted_by(*, ctx: TeamContext) -> QuerySet[ContentPost]:
    """My posts that are in review, sent back for changes, or approved and not scheduled yet."""
    statuses = [PostStatus.IN_REVIEW, PostStatus.CHANGES_REQUESTED, PostStatus.APPROVED]
    return (
        ContentPost.objects.filter(team=ctx.team, author=ctx.user, status__in=statuses)
        .select_related("brand")
        .order_by("-updated_at")
    )
