"""Collaboration on posts: approval workflows and decisions, comments, tasks, client approval links.

They moved here from teams (which sits below content and could only point at posts by name); their
tables kept the names they had there (`db_table`). content.models imports them so Django finds them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class ApprovalWorkflow(TimeStampedModel):
    """How a team's (or one brand's) posts get approved: ordered stages, each with its reviewers."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="approval_workflows")
    brand = models.ForeignKey(
        "content.Brand",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="approval_workflows",
        help_text="Blank: the team's default workflow. A brand's own workflow wins for its posts.",
    )
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "teams_approvalworkflow"
        ordering = ["team", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(brand__isnull=True), name="workflow_one_default_per_team"
            ),
            models.UniqueConstraint(
                fields=["team", "brand"], condition=models.Q(brand__isnull=False), name="workflow_one_per_brand"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalStage(TimeStampedModel):
    """One step of a workflow: `required_approvals` distinct reviewers of the named ones must approve."""

    workflow = models.ForeignKey(ApprovalWorkflow, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    required_approvals = models.PositiveSmallIntegerField(default=1)
    reviewers = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Blank: any member whose role may review.",
    )

    class Meta:
        db_table = "teams_approvalstage"
        ordering = ["workflow", "position"]
        constraints = [models.UniqueConstraint(fields=["workflow", "position"], name="stage_unique_position")]

    def __str__(self) -> str:
        return f"{self.workflow}: {self.position + 1}. {self.name}"


class ApprovalDecision(TimeStampedModel):
    """A reviewer's (or a client's, through a link) approval or change request for one review round."""

    class Verdict(models.TextChoices):
        APPROVED = "APPROVED", "Approved"
        CHANGES_REQUESTED = "CHANGES_REQUESTED", "Changes requested"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="approval_decisions")
    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="approval_decisions")
    round = models.PositiveIntegerField(help_text="The post's review round; an edit starts a new one.")
    stage_position = models.PositiveSmallIntegerField(default=0)
    stage_name = models.CharField(max_length=120, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_name = models.CharField(max_length=120, blank=True)
    client_email = models.EmailField(blank=True)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "teams_approvaldecision"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["post", "round"])]

    def __str__(self) -> str:
        return f"{self.verdict} by {self.reviewer or self.client_email}"

    @property
    def decided_by(self) -> str:
        if self.reviewer_id:
            return self.reviewer.get_short_name() if self.reviewer else ""
        return f"{self.client_name} <{self.client_email}> (client)"


class PostComment(TimeStampedModel):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="post_comments")
    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")  # type: ignore[var-annotated]
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "teams_postcomment"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class Task(TimeStampedModel):
    """Work assigned to a member, optionally about one post, with a deadline and two reminders."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="tasks")
    post = models.ForeignKey(
        "content.ContentPost", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assigned_tasks")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "teams_task"
        ordering = ["done_at", "due_at", "-created_at"]
        indexes = [models.Index(fields=["team", "done_at"]), models.Index(fields=["done_at", "due_at"])]

    def __str__(self) -> str:
        return self.title


class ClientApprovalLink(TimeStampedModel):
    """A signed, expiring, revocable link that lets someone outside the team approve one post."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="client_links")
    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="client_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_name = models.CharField(max_length=120, blank=True)
    client_email = models.EmailField(blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(ApprovalDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "teams_clientapprovallink"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Client link for {self.client_email or 'a client'}"
