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

    @property
    def actor_placement(self) -> str:
        """Where a feed line puts the actor's name around the summary.

        "before" a verb phrase ("Ada" + "wrote “Launch”"); "named" when the sentence names the person
        itself ("%(who)s approved …": prefixing the name read "Rui Rui approved"); "after" a sentence
        said of the workspace ("Imported 3 posts · Ada").
        """
        key = self.summary_key or self.summary
        if key.startswith("%("):
            return "named"
        return "before" if key[:1].islower() else "after"
