from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

METRIC_FIELDS: tuple[str, ...] = ("views", "likes", "shares", "comments", "clicks", "reach", "impressions")


class ContentAnalytics(models.Model):
    """A snapshot of one post's metrics on one platform at `recorded_at` (the spec's model).

    Counters are cumulative: a later snapshot of the same post and platform supersedes an earlier one.
    Integer ids: this is the one table that grows to millions of rows, and the rollup watermark relies
    on ids growing.
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
    # A database default too: collectors that COPY or INSERT raw rows need not know the column.
    simulated = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Made up by the sandbox platform (or the demo), not reported by a real network.",
    )

    class Meta:
        verbose_name_plural = "content analytics"
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["post", "platform"]),
            models.Index(fields=["recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.platform} metrics of {self.post_id} at {self.recorded_at:%Y-%m-%d %H:%M}"


class DailyMetricRollup(models.Model):
    """The latest snapshot of one post on one platform on one UTC day (see docs/analytics.md).

    The counters are the cumulative values of that snapshot (the post's lifetime figures as of that
    day); the `*_gained` columns are what the post gained since its previous rollup row (its first
    row: since publication), so a period's activity is a plain SUM over the period's rows.
    `team`, `language` and `region` are copied from the post so dashboard queries never join posts.
    """

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="metric_rollups")
    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="metric_rollups")
    platform = models.CharField(max_length=20)
    date = models.DateField()
    views = models.BigIntegerField(default=0)
    likes = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    comments = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    reach = models.BigIntegerField(default=0)
    impressions = models.BigIntegerField(default=0)
    views_gained = models.BigIntegerField(default=0)
    likes_gained = models.BigIntegerField(default=0)
    shares_gained = models.BigIntegerField(default=0)
    comments_gained = models.BigIntegerField(default=0)
    clicks_gained = models.BigIntegerField(default=0)
    reach_gained = models.BigIntegerField(default=0)
    impressions_gained = models.BigIntegerField(default=0)
    simulated = models.BooleanField(default=False)
    language = models.CharField(max_length=16, blank=True, default="")
    region = models.CharField(max_length=32, blank=True, default="")
    recorded_at = models.DateTimeField()
    snapshot_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "platform", "date"], name="rollup_unique_post_platform_day")
        ]
        indexes = [
            models.Index(fields=["team", "date"]),
            models.Index(fields=["post", "platform", "date"], name="rollup_post_platform_date"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} rollup of {self.post_id} on {self.date}"


class RollupWatermark(models.Model):
    """The highest ContentAnalytics id already folded into the rollups (one row, name="daily")."""

    name = models.CharField(max_length=32, unique=True)
    last_snapshot_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_snapshot_id}"


class ExportFormat(models.TextChoices):
    CSV = "CSV", "CSV"
    PDF = "PDF", "PDF"
    JSON = "JSON", "JSON"
    XML = "XML", "XML"


class ExportStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    READY = "READY", _("Ready")
    FAILED = "FAILED", _("Failed")


class AnalyticsExport(TimeStampedModel):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="analytics_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    format = models.CharField(max_length=8, choices=ExportFormat.choices)
    time_range = models.CharField(max_length=40)
    platform = models.CharField(max_length=20, blank=True, default="")
    metrics = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    file = models.FileField(upload_to="analytics-exports/", blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.format} export of {self.team_id} ({self.status})"


class EngagementModel(TimeStampedModel):
    """A team's trained engagement model with its held-out accuracy. The newest row is the one in use."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="engagement_models")
    algorithm = models.CharField(max_length=200)
    n_train = models.PositiveIntegerField()
    n_test = models.PositiveIntegerField()
    mae = models.FloatField(help_text="Mean absolute error of the model on held-out posts (engagement rate).")
    baseline_mae = models.FloatField(help_text="The same error for a predictor that always says the training mean.")
    features = models.JSONField(default=list)
    blob = models.BinaryField()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.algorithm} for {self.team_id} (MAE {self.mae:.4f} vs {self.baseline_mae:.4f})"

    @property
    def beats_baseline(self) -> bool:
        return self.mae < self.baseline_mae


class ABTestStatus(models.TextChoices):
    RUNNING = "RUNNING", _("Running")
    COMPLETED = "COMPLETED", _("Completed")


class ABTest(TimeStampedModel):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="ab_tests")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=200)
    hypothesis = models.TextField(blank=True, default="")
    platform = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=ABTestStatus.choices, default=ABTestStatus.RUNNING)
    significance_level = models.FloatField(default=0.05)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ABVariant(models.Model):
    test = models.ForeignKey(ABTest, on_delete=models.CASCADE, related_name="variants")
    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="ab_variants")
    label = models.CharField(max_length=20)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["test", "label"], name="ab_variant_unique_label"),
            models.UniqueConstraint(fields=["test", "post"], name="ab_variant_unique_post"),
        ]

    def __str__(self) -> str:
        return f"{self.test_id} {self.label}"


class CompetitorPost(TimeStampedModel):
    """A competitor's post entered by hand (URL and/or text, metrics as seen); never fetched."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="competitor_posts")
    competitor = models.CharField(max_length=120)
    url = models.URLField(max_length=500, blank=True, default="")
    platform = models.CharField(max_length=20)
    text = models.TextField(blank=True, default="")
    views = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.competitor}: {self.url or self.text[:40]}"
