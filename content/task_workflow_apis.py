"""REST for the team's tasks, comment resolution and approval workflows (/api/tasks/, /api/comments/<id>/,
/api/workflows/). One post's review, comments and client links are content.collab_apis."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from content import collab_selectors as selectors
from content.collab_serializers import (
    CommentSerializer,
    CommentUpdateSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
    TaskWriteSerializer,
    WorkflowSerializer,
    WorkflowWriteSerializer,
)
from content.collaboration import (
    StageInput,
    comment_set_resolved,
    task_create,
    task_set_done,
    workflow_delete,
    workflow_save,
)
from content.models import Brand
from content.resource_apis import paginated
from content.selectors import brand_get, post_get
from teams.models import Membership, Team
from teams.permissions import Capability, TeamContextMixin, require

SUCCESS = inline_serializer("CollabSuccessOnly", {"success": serializers.BooleanField()})


_ENVELOPES: dict[str, Any] = {}


def _envelope(name: str, serializer: Any) -> Any:
    # One serializer per component name: two inline serializers sharing a name make the schema
    # generator warn (and `check --deploy` with it).
    if name not in _ENVELOPES:
        _ENVELOPES[name] = inline_serializer(
            f"{name}Envelope", {"success": serializers.BooleanField(), name.lower(): serializer}
        )
    return _ENVELOPES[name]


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def team_member_get(*, team: Team, user_id: Any) -> User:
    membership = Membership.objects.filter(team=team, user_id=user_id).select_related("user").first()
    if membership is None:
        from core.api.errors import ValidationFailed

        raise ValidationFailed("Not a member of this team.", details={"assigneeId": ["Not a member."]})
    return membership.user


class TaskListApi(TeamContextMixin, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("assigneeId", OpenApiTypes.STR, description="`me` for your own"),
            OpenApiParameter("open", OpenApiTypes.BOOL, description="Only tasks not done"),
        ],
        responses={200: TaskSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        ctx = self.team_ctx
        assignee = request.query_params.get("assigneeId", "")
        if assignee == "me":
            assignee = str(ctx.user.pk)
        try:
            tasks = selectors.tasks_for_team(
                team=ctx.team,
                assignee_id=assignee or None,
                include_done=request.query_params.get("open", "") not in ("1", "true"),
            )
            return paginated(request, self, tasks, TaskSerializer)
        except ValidationError:
            return paginated(request, self, selectors.tasks_for_team(team=ctx.team).none(), TaskSerializer)

    @extend_schema(request=TaskWriteSerializer, responses={201: _envelope("Task", TaskSerializer())})
    def post(self, request: Request) -> Response:
        ctx = self.team_ctx
        require(ctx, Capability.CREATE_CONTENT)
        data = _valid(TaskWriteSerializer, request.data)
        post = post_get(ctx=ctx, post_id=data["post_id"]) if data["post_id"] else None
        task = task_create(
            ctx=ctx,
            title=data["title"],
            notes=data["notes"],
            assignee=team_member_get(team=ctx.team, user_id=data["assignee_id"]),
            due_at=data["due_at"],
            post=post,
        )
        return Response({"success": True, "task": TaskSerializer(task).data}, status=status.HTTP_201_CREATED)


class TaskDetailApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: _envelope("Task", TaskSerializer())})
    def get(self, request: Request, task_id: str) -> Response:
        task = selectors.task_get(team=self.team_ctx.team, task_id=task_id)
        return Response({"success": True, "task": TaskSerializer(task).data})

    @extend_schema(request=TaskUpdateSerializer, responses={200: _envelope("Task", TaskSerializer())})
    def patch(self, request: Request, task_id: str) -> Response:
        ctx = self.team_ctx
        task = selectors.task_get(team=ctx.team, task_id=task_id)
        data = _valid(TaskUpdateSerializer, request.data)
        task = task_set_done(ctx=ctx, task=task, done=data["done"])
        return Response({"success": True, "task": TaskSerializer(task).data})


class CommentDetailApi(TeamContextMixin, APIView):
    @extend_schema(
        request=CommentUpdateSerializer,
        responses={200: _envelope("Comment", CommentSerializer())},
        summary="Resolve or reopen a comment",
    )
    def patch(self, request: Request, comment_id: str) -> Response:
        ctx = self.team_ctx
        comment = selectors.comment_get(team=ctx.team, comment_id=comment_id)
        data = _valid(CommentUpdateSerializer, request.data)
        comment = comment_set_resolved(ctx=ctx, comment=comment, resolved=data["resolved"])
        return Response({"success": True, "comment": CommentSerializer(comment).data})


def _stages(data: dict[str, Any]) -> list[StageInput]:
    return [
        StageInput(name=s["name"], required_approvals=s["required_approvals"], reviewer_ids=list(s["reviewer_ids"]))
        for s in data["stages"]
    ]


def _brand(team: Team, brand_id: Any) -> Brand | None:
    return brand_get(team=team, brand_id=brand_id) if brand_id else None


class WorkflowListApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: WorkflowSerializer(many=True)}, summary="The team's approval workflows")
    def get(self, request: Request) -> Response:
        return paginated(request, self, selectors.workflows_for_team(team=self.team_ctx.team), WorkflowSerializer)

    @extend_schema(request=WorkflowWriteSerializer, responses={201: _envelope("Workflow", WorkflowSerializer())})
    def post(self, request: Request) -> Response:
        ctx = self.team_ctx
        require(ctx, Capability.MANAGE_MEMBERS)
        data = _valid(WorkflowWriteSerializer, request.data)
        workflow = workflow_save(
            ctx=ctx,
            name=data["name"],
            stages=_stages(data),
            brand=_brand(ctx.team, data["brand_id"]),
            is_active=data["is_active"],
        )
        workflow = selectors.workflow_get(team=ctx.team, workflow_id=workflow.pk)
        return Response(
            {"success": True, "workflow": WorkflowSerializer(workflow).data}, status=status.HTTP_201_CREATED
        )


class WorkflowDetailApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: _envelope("Workflow", WorkflowSerializer())})
    def get(self, request: Request, workflow_id: str) -> Response:
        workflow = selectors.workflow_get(team=self.team_ctx.team, workflow_id=workflow_id)
        return Response({"success": True, "workflow": WorkflowSerializer(workflow).data})

    @extend_schema(request=WorkflowWriteSerializer, responses={200: _envelope("Workflow", WorkflowSerializer())})
    def put(self, request: Request, workflow_id: str) -> Response:
        ctx = self.team_ctx
        workflow = selectors.workflow_get(team=ctx.team, workflow_id=workflow_id)
        require(ctx, Capability.MANAGE_MEMBERS)
        data = _valid(WorkflowWriteSerializer, request.data)
        workflow_save(
            ctx=ctx,
            name=data["name"],
            stages=_stages(data),
            brand=workflow.brand,
            is_active=data["is_active"],
            workflow=workflow,
        )
        workflow = selectors.workflow_get(team=ctx.team, workflow_id=workflow.pk)
        return Response({"success": True, "workflow": WorkflowSerializer(workflow).data})

    @extend_schema(responses={200: SUCCESS})
    def delete(self, request: Request, workflow_id: str) -> Response:
        ctx = self.team_ctx
        workflow_delete(ctx=ctx, workflow=selectors.workflow_get(team=ctx.team, workflow_id=workflow_id))
        return Response({"success": True})
