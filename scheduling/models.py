from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ScheduleStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    PROCESSING = "PROCESSING", _("Processing")
    COMPLETED = "COMPLETED", _("Completed")
    FAILED = "FAILED", _("Failed")
    CANCELLED = "CANCELLED", _("Cancelled")


class RecurringSchedule(TimeStampedModel):
    """A series: one post re-published to one account by an RRULE evaluated in `timezone`.

    The start is wall-clock date and time in that zone, so 09:00 stays 09:00 across DST.
    Each occurrence becomes its own ContentPost copy and ScheduledPost when it nears.
    """

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="recurring_schedules")
    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="recurring_schedules")
    social_account = models.ForeignKey(
        "social.SocialAccount", on_delete=models.CASCADE, related_name="recurring_schedules"
    )
    rrule = models.CharField(max_length=500, help_text="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,WE")
    # Wall-clock date and time of the first occurrence in `timezone`: no instant is implied.
    start_date = models.DateField()
    start_time = models.TimeField()
    timezone = models.CharField(max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    materialized_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def start_local(self) -> datetime:
        return datetime.combine(self.start_date, self.start_time)

    def __str__(self) -> str:
        return f"{self.rrule} from {self.start_local:%Y-%m-%d %H:%M} {self.timezone}"


class ScheduledPost(TimeStampedModel):
    """One post due on one platform/account at one instant (the spec's ScheduledPost).

    `scheduled_at` is UTC; `timezone` keeps the IANA zone it was planned in, so recurrence and
    display stay right across DST changes.
    """

    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="scheduled_posts")
    # The post's team, kept here so a calendar reads a team's period from one index instead of joining
    # every post the team has (a month of 2,000 schedules in a team of 100,000 posts scanned them all).
    # A post never changes team; save() copies it, and bulk creators set it.
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+", editable=False)
    social_account = models.ForeignKey(
        "social.SocialAccount", null=True, blank=True, on_delete=models.CASCADE, related_name="scheduled_posts"
    )
    platform = models.CharField(max_length=20)
    scheduled_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="UTC")
    status = models.CharField(max_length=20, choices=ScheduleStatus.choices, default=ScheduleStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, null=True)
    # The delivery this schedule became: social's PublishResult is the exactly-once claim.
    publish_result = models.ForeignKey(
        "social.PublishResult", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    recurrence = models.ForeignKey(
        RecurringSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    # Edited on its own: the series no longer rewrites this occurrence.
    is_exception = models.BooleanField(default=False)
    # Placed by "Add to queue": reorder and shuffle move only these.
    in_queue = models.BooleanField(default=False)

    class Meta:
        ordering = ["scheduled_at"]
        indexes = [
            models.Index(fields=["scheduled_at", "status"]),
            models.Index(fields=["social_account", "status", "scheduled_at"]),
            models.Index(fields=["team", "scheduled_at"]),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.team_id is None and self.post_id is not None:
            self.team_id = self.post.team_id
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.post_id} on {self.platform} at {self.scheduled_at:%Y-%m-%d %H:%M} UTC"


class QueueSlot(TimeStampedModel):
    """A Buffer-style posting slot: weekday × local time for one account, in the team's zone."""

    social_account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="queue_slots")
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday … 6 = Sunday")
    time = models.TimeField()

    class Meta:
        ordering = ["weekday", "time"]
        constraints = [
            models.UniqueConstraint(fields=["social_account", "weekday", "time"], name="queue_slot_unique"),
            models.CheckConstraint(condition=models.Q(weekday__gte=0, weekday__lte=6), name="queue_slot_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.social_account_id} {self.weekday} {self.time:%H:%M}"


class DataExport(TimeStampedModel):
    """A team's portability export (posts, schedules, analytics, metadata), built by a task."""

    class Format(models.TextChoices):
        JSON = "JSON", "JSON"
        CSV = "CSV", _("CSV (zip of one file per type)")
        XML = "XML", "XML"

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        READY = "READY", _("Ready")
        FAILED = "FAILED", _("Failed")

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="data_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    format = models.CharField(max_length=4, choices=Format.choices)
    kinds = models.JSONField(default=list, help_text="posts, schedules, analytics, metadata")
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    anonymize = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="portability-exports/", blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "created_at"])]

    def __str__(self) -> str:
        return f"{self.format} export of {self.team_id} ({self.status})"
