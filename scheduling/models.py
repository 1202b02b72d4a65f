from __future__ import annotations

from django.db import models

from core.models import TimeStampedModel


class ScheduleStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    PROCESSING = "PROCESSING", "Processing"
    COMPLETED = "COMPLETED", "Completed"
    FAILED = "FAILED", "Failed"


class ScheduledPost(TimeStampedModel):
    """One post due on one platform/account at one instant (the spec's ScheduledPost).

    `scheduled_at` is UTC; `timezone` keeps the IANA zone it was planned in, so recurrence and
    display stay right across DST changes.
    """

    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="scheduled_posts")
    social_account = models.ForeignKey(
        "social.SocialAccount", null=True, blank=True, on_delete=models.CASCADE, related_name="scheduled_posts"
    )
    platform = models.CharField(max_length=20)
    scheduled_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="UTC")
    status = models.CharField(max_length=20, choices=ScheduleStatus.choices, default=ScheduleStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, null=True)

    class Meta:
        ordering = ["scheduled_at"]
        indexes = [models.Index(fields=["scheduled_at", "status"])]

    def __str__(self) -> str:
        return f"{self.post_id} on {self.platform} at {self.scheduled_at:%Y-%m-%d %H:%M} UTC"
