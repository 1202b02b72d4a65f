"""API shapes of collaboration rows (snake_case here, camelCase on the wire)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from content.models import ApprovalDecision, ApprovalWorkflow, PostComment, Task
from teams.collab_serializers import member_ref


class CommentSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    post_id = serializers.CharField(read_only=True)
    parent_id = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    resolved = serializers.SerializerMethodField()

    class Meta:
        model = PostComment
        fields = ["id", "post_id", "parent_id", "author", "body", "mentions", "resolved", "resolved_at", "created_at"]

    def get_parent_id(self, comment: PostComment) -> str | None:
        return str(comment.parent_id) if comment.parent_id else None

    def get_author(self, comment: PostComment) -> dict[str, Any] | None:
        return member_ref(comment.author)

    def get_mentions(self, comment: PostComment) -> list[dict[str, Any] | None]:
        return [member_ref(u) for u in comment.mentions.all()]

    def get_resolved(self, comment: PostComment) -> bool:
        return comment.resolved_at is not None


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)
    parent_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class CommentUpdateSerializer(serializers.Serializer):
    resolved = serializers.BooleanField()


class TaskSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    post_id = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    done = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "post_id", "assignee", "due_at", "done", "done_at", "created_at"]

    def get_post_id(self, task: Task) -> str | None:
        return str(task.post_id) if task.post_id else None

    def get_assignee(self, task: Task) -> dict[str, Any] | None:
        return member_ref(task.assignee)

    def get_done(self, task: Task) -> bool:
        return task.done_at is not None


class TaskWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    assignee_id = serializers.UUIDField()
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    post_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class TaskUpdateSerializer(serializers.Serializer):
    done = serializers.BooleanField()


class StageSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    required_approvals = serializers.IntegerField(min_value=1, max_value=20, default=1)
    reviewer_ids = serializers.ListField(child=serializers.UUIDField(), required=False, default=list, max_length=50)


class WorkflowWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    brand_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(required=False, default=True)
    stages = StageSerializer(many=True)


class WorkflowSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    brand_id = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalWorkflow
        fields = ["id", "name", "brand_id", "is_active", "stages", "created_at", "updated_at"]

    def get_brand_id(self, workflow: ApprovalWorkflow) -> str | None:
        return str(workflow.brand_id) if workflow.brand_id else None

    def get_stages(self, workflow: ApprovalWorkflow) -> list[dict[str, Any]]:
        return [
            {
                "position": stage.position,
                "name": stage.name,
                "requiredApprovals": stage.required_approvals,
                "reviewers": [member_ref(u) for u in stage.reviewers.all()],
            }
            for stage in workflow.stages.all()
        ]


class DecisionSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    reviewer = serializers.SerializerMethodField()
    valid = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalDecision
        fields = [
            "id",
            "round",
            "stage_position",
            "stage_name",
            "verdict",
            "reviewer",
            "client_name",
            "client_email",
            "comment",
            "valid",
            "created_at",
        ]

    def get_reviewer(self, decision: ApprovalDecision) -> dict[str, Any] | None:
        return member_ref(decision.reviewer)

    def get_valid(self, decision: ApprovalDecision) -> bool:
        return decision.invalidated_at is None
