from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.stored_messages import message_render


class Team(TimeStampedModel):
    """A workspace. Everything a user owns belongs to one; every user has a personal one."""

    name = models.CharField(max_length=120)
    is_personal = models.BooleanField(default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_teams")
    timezone = models.CharField(max_length=64, default="UTC")
    requires_approval = models.BooleanField(default=False)
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # One personal workspace per user.
            models.UniqueConstraint(
                fields=["owner"], condition=models.Q(is_personal=True), name="team_one_personal_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Admin")
        EDITOR = "editor", _("Editor")
        REVIEWER = "reviewer", _("Reviewer")
        VIEWER = "viewer", _("Viewer")
        CLIENT = "client", _("Client")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        ordering = ["team__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user")]
        indexes = [models.Index(fields=["user", "team"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"


class Notification(TimeStampedModel):
    """An in-app notification; delivered live over the websocket and listed in the bell."""

    class Kind(models.TextChoices):
        INFO = "info", _("Info")
        SUCCESS = "success", _("Success")
        WARNING = "warning", _("Warning")
        ERROR = "error", _("Error")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")

    class Event(models.TextChoices):
        """What happened: what a user's preferences (live, email digest, off) are chosen by."""

        GENERAL = "general", _("General")
        MENTION = "mention", _("Mentioned in a comment")
        COMMENT = "comment", _("Comment on my post")
        APPROVAL_REQUESTED = "approval_requested", _("Approval requested")
        APPROVAL_GIVEN = "approval_given", _("Approval given")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISH_RESULT = "publish_result", _("Publish result")
        TASK_ASSIGNED = "task_assigned", _("Task assigned")
        DEADLINE = "deadline", _("Deadline")
        INVITATION = "invitation", _("Invitation")
        SECURITY = "security", _("Security")
        MODERATION_CASE = "moderation_case", _("New moderation case")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INFO)
    event = models.CharField(max_length=30, choices=Event.choices, default=Event.GENERAL)
    # title/body hold the English text (the fallback for rows from before keys); title_key/body_key
    # and params are rendered in the reader's language when shown (core.stored_messages).
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    title_key = models.CharField(max_length=200, blank=True)
    body_key = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the notification went out in an email digest, so a digest never repeats it.
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def localized_title(self) -> str:
        """The title in the active language (the stored English when it has no key)."""
        return message_render(key=self.title_key, params=self.params, fallback=self.title)

    @property
    def localized_body(self) -> str:
        return message_render(key=self.body_key, params=self.params, fallback=self.body)


class Brand(TimeStampedModel):
    """A brand voice a team writes in: the generator puts it into every prompt that names it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="brands")
    name = models.CharField(max_length=120)
    voice = models.TextField(blank=True, help_text="How the brand sounds, in a few sentences.")
    words_to_use = models.JSONField(default=list, blank=True)
    words_to_avoid = models.JSONField(default=list, blank=True)
    example_posts = models.JSONField(default=list, blank=True)
    default_hashtags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="brand_unique_team_name")]

    def __str__(self) -> str:
        return self.name


class Invitation(TimeStampedModel):
    """An email invitation to join a team with a role. Only a hash of the link's token is stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Membership.Role.choices, default=Membership.Role.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and team: inviting again re-sends that one.
            models.UniqueConstraint(
                fields=["team", "email"], condition=models.Q(status="pending"), name="invitation_one_pending"
            )
        ]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return f"{self.email} to {self.team} ({self.status})"


def brand_asset_path(instance: BrandAsset, filename: str) -> str:
    return f"brands/{instance.brand_id}/{filename}"


class BrandAsset(TimeStampedModel):
    """A brand's logo, colour or file. Files live in the default storage (S3 in production)."""

    class Kind(models.TextChoices):
        LOGO = "logo", _("Logo")
        COLOR = "color", _("Colour")
        FILE = "file", _("File")

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=120)
    file = models.FileField(upload_to=brand_asset_path, blank=True, max_length=300)
    color = models.CharField(max_length=7, blank=True, help_text="#RRGGBB, for colours.")
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class ActivityEvent(models.Model):
    """The team's activity feed and audit trail: who did what to which object, append-only."""

    id = models.BigAutoField(primary_key=True)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=60, help_text="Dotted name, e.g. post.submitted, member.invited.")
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300)
    summary_key = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-created_at"]), models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.summary

    @property
    def localized_summary(self) -> str:
        """The summary in the active language (the stored English when it has no key)."""
        return message_render(key=self.summary_key, params=self.params, fallback=self.summary)


# Collaboration on posts ----------------------------------------------------------------------
# Posts live in `content`, a higher app: these rows point at "content.ContentPost" by string.


class ApprovalWorkflow(TimeStampedModel):
    """How a team's (or one brand's) posts get approved: ordered stages, each with its reviewers."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="approval_workflows")
    brand = models.ForeignKey(
        Brand,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="approval_workflows",
        help_text="Blank: the team's default workflow. A brand's own workflow wins for its posts.",
    )
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
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
        ordering = ["workflow", "position"]
        constraints = [models.UniqueConstraint(fields=["workflow", "position"], name="stage_unique_position")]

    def __str__(self) -> str:
        return f"{self.workflow}: {self.position + 1}. {self.name}"


class ApprovalDecision(TimeStampedModel):
    """A reviewer's (or a client's, through a link) approval or change request for one review round."""

    class Verdict(models.TextChoices):
        APPROVED = "APPROVED", _("Approved")
        CHANGES_REQUESTED = "CHANGES_REQUESTED", _("Changes requested")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="approval_decisions")
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
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="post_comments")
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
        ordering = ["created_at"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class Task(TimeStampedModel):
    """Work assigned to a member, optionally about one post, with a deadline and two reminders."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tasks")
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
        ordering = ["done_at", "due_at", "-created_at"]
        indexes = [models.Index(fields=["team", "done_at"]), models.Index(fields=["done_at", "due_at"])]

    def __str__(self) -> str:
        return self.title


class ClientApprovalLink(TimeStampedModel):
    """A signed, expiring, revocable link that lets someone outside the team approve one post."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="client_links")
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
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Client link for {self.client_email or 'a client'}"
