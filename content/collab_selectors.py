"""Collaboration reads. Every one takes the acting team; another team's rows do not exist (404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from content.models import ApprovalDecision, ApprovalStage, ApprovalWorkflow, ClientApprovalLink, PostComment, Task
from core.api.errors import NotFoundError
from teams.models import Team


def _get(queryset: QuerySet[Any], object_id: Any, what: str) -> Any:
    try:
        return queryset.get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFoundError(f"No such {what}.") from exc


def comments_for_post(*, post: Any) -> QuerySet[PostComment]:
    return (
        PostComment.objects.filter(post=post)
        .select_related("author", "resolved_by")
        .prefetch_related("mentions")
        .order_by("created_at")
    )


def comment_get(*, team: Team, comment_id: Any) -> PostComment:
    return _get(PostComment.objects.filter(team=team).select_related("post", "author"), comment_id, "comment")


def decisions_for_post(*, post: Any) -> QuerySet[ApprovalDecision]:
    return ApprovalDecision.objects.filter(post=post).select_related("reviewer").order_by("-created_at")


def tasks_for_team(*, team: Team, assignee_id: Any = None, include_done: bool = True) -> QuerySet[Task]:
    tasks = Task.objects.filter(team=team).select_related("assignee", "created_by", "post")
    if assignee_id:
        tasks = tasks.filter(assignee_id=assignee_id)
    if not include_done:
        tasks = tasks.filter(done_at__isnull=True)
    return tasks.order_by("done_at", "due_at", "-created_at")


def tasks_for_post(*, post: Any) -> QuerySet[Task]:
    return Task.objects.filter(post=post).select_related("assignee").order_by("done_at", "due_at", "-created_at")


def task_get(*, team: Team, task_id: Any) -> Task:
    return _get(Task.objects.filter(team=team).select_related("assignee", "post"), task_id, "task")


def workflows_for_team(*, team: Team) -> QuerySet[ApprovalWorkflow]:
    return (
        ApprovalWorkflow.objects.filter(team=team)
        .select_related("brand")
        .prefetch_related(
            Prefetch("stages", queryset=ApprovalStage.objects.order_by("position").prefetch_related("reviewers"))
        )
        .order_by("brand__name", "name")
    )


def workflow_get(*, team: Team, workflow_id: Any) -> ApprovalWorkflow:
    return _get(workflows_for_team(team=team), workflow_id, "workflow")


def client_links_for_post(*, post: Any) -> QuerySet[ClientApprovalLink]:
    return ClientApprovalLink.objects.filter(post=post).select_related("created_by", "decision").order_by("-created_at")


def client_link_get(*, team: Team, link_id: Any) -> ClientApprovalLink:
    return _get(ClientApprovalLink.objects.filter(team=team).select_related("post"), link_id, "link")
