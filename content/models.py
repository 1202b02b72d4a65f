from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class PostStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    SCHEDULED = "SCHEDULED", "Scheduled"
    PUBLISHED = "PUBLISHED", "Published"
    FAILED = "FAILED", "Failed"


class ContentPost(TimeStampedModel):
    """The spec's ContentPost. `author` is the spec's userId; the team owns the post."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts")
    title = models.CharField(max_length=255, blank=True)
    content = models.TextField()
    hashtags = models.JSONField(default=list, blank=True)
    platform = models.CharField(max_length=20, blank=True)
    tone = models.CharField(max_length=50, blank=True)
    audience = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    engagement_score = models.FloatField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["author", "status"]),
            models.Index(fields=["scheduled_at"]),
        ]

    def __str__(self) -> str:
        return self.title or self.content[:60]
