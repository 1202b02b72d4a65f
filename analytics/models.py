from __future__ import annotations

from django.db import models
from django.utils import timezone


class ContentAnalytics(models.Model):
    """A snapshot of one post's metrics on one platform at `recorded_at` (the spec's model).

    Integer ids: this is the one table that grows to millions of rows.
    """

    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="analytics")
    platform = models.CharField(max_length=20)
    views = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    engagement_rate = models.FloatField(default=0)
    reach = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "content analytics"
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["post", "platform"]),
            models.Index(fields=["recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.platform} metrics of {self.post_id} at {self.recorded_at:%Y-%m-%d %H:%M}"
