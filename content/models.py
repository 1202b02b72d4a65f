from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.models import TimeStampedModel


class PostStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    IN_REVIEW = "IN_REVIEW", _("In review")
    CHANGES_REQUESTED = "CHANGES_REQUESTED", _("Changes requested")
    APPROVED = "APPROVED", _("Approved")
    SCHEDULED = "SCHEDULED", _("Scheduled")
    PUBLISHED = "PUBLISHED", _("Published")
    FAILED = "FAILED", _("Failed")


# Posts the calendar's side form offers for scheduling (newest first, per team: a partial index).
UNSCHEDULED_STATUSES = [PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.FAILED]


class Brand(TimeStampedModel):
    """A brand voice a team writes in: the generator puts it into every prompt that names it."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="brands")
    name = models.CharField(max_length=120)
    voice = models.TextField(blank=True, help_text="How the brand sounds, in a few sentences.")
    words_to_use = models.JSONField(default=list, blank=True)
    words_to_avoid = models.JSONField(default=list, blank=True)
    example_posts = models.JSONField(default=list, blank=True)
    default_hashtags = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "teams_brand"  # the table kept its name when the model moved here from teams
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="brand_unique_team_name")]

    def __str__(self) -> str:
        return self.name


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
        db_table = "teams_brandasset"  # kept from teams, as Brand's
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class ContentPost(TimeStampedModel):
    """The spec's ContentPost. `author` is the spec's userId; the team owns the post."""

    # Posts are listed newest first within their team, never across teams, so the (team, -created_at)
    # indexes below serve them. A created_at index of its own misled PostgreSQL when one team holds
    # most posts: the side form's newest unscheduled posts walked it past every newer published post.
    created_at = models.DateTimeField(auto_now_add=True)
    # Declared again so it stays after created_at: a new post's times are set in field order, updated >= created.
    updated_at = models.DateTimeField(auto_now=True)
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
    brand = models.ForeignKey(Brand, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    # The review: which round (an edit after approval starts a new one), which stage, when fully approved.
    review_round = models.PositiveIntegerField(default=0)
    review_stage = models.PositiveSmallIntegerField(default=0)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["team", "-created_at"], name="content_post_team_newest_idx"),
            models.Index(fields=["author", "status"]),
            models.Index(fields=["scheduled_at"]),
            models.Index(
                fields=["team", "-created_at"],
                condition=models.Q(status__in=UNSCHEDULED_STATUSES),
                name="content_post_unscheduled_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.content[:60]


class PostRevision(TimeStampedModel):
    """The post as it stood after one edit; restoring one records a new revision."""

    post = models.ForeignKey(ContentPost, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    content = models.TextField()
    hashtags = models.JSONField(default=list, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["post", "-number"]
        constraints = [models.UniqueConstraint(fields=["post", "number"], name="post_revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.post} r{self.number}"


class ContentTemplate(TimeStampedModel):
    """A reusable post skeleton with {placeholders}; every edit keeps a version to diff and restore."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="content_templates")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    body = models.TextField()
    platform = models.CharField(max_length=20, blank=True)
    tone = models.CharField(max_length=50, blank=True)
    is_public = models.BooleanField(default=False, help_text="Listed in the gallery other teams copy from.")
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["team", "name"]), models.Index(fields=["is_public", "name"])]

    def __str__(self) -> str:
        return self.name


class ContentTemplateVersion(TimeStampedModel):
    """A snapshot of a template after one edit, with the unified diff from the version before it."""

    template = models.ForeignKey(ContentTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=120)
    body = models.TextField()
    platform = models.CharField(max_length=20, blank=True)
    tone = models.CharField(max_length=50, blank=True)
    diff = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class ProviderName(models.TextChoices):
    OPENAI = "openai", "OpenAI"
    ANTHROPIC = "anthropic", "Anthropic (Claude)"
    OPENAI_COMPATIBLE = "openai_compatible", _("OpenAI-compatible (Gemini, Ollama, vLLM)")
    OFFLINE = "offline", _("Offline writer")


class AIProviderConfig(TimeStampedModel):
    """The spec's AIProvider. A row without a team overrides the env defaults for everyone;
    a row with a team is that team's own configuration (bring your own key)."""

    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="ai_provider_configs"
    )
    name = models.CharField(max_length=30, choices=ProviderName.choices)
    model = models.CharField(max_length=120, blank=True, help_text="Blank: the env default.")
    max_tokens = models.PositiveIntegerField(null=True, blank=True)
    temperature = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    priority = models.PositiveIntegerField(null=True, blank=True, help_text="Lower runs first. Blank: env order.")
    api_key = EncryptedTextField(blank=True)
    base_url = models.URLField(blank=True)

    class Meta:
        ordering = ["team_id", "priority", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(team__isnull=True), name="aiprovider_one_global_per_name"
            ),
            models.UniqueConstraint(
                fields=["team", "name"], condition=models.Q(team__isnull=False), name="aiprovider_one_per_team_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()} ({self.team or 'global'})"


class GenerationKind(models.TextChoices):
    CAPTION = "CAPTION", _("Caption")
    HASHTAGS = "HASHTAGS", _("Hashtags")
    OPTIMIZATION = "OPTIMIZATION", _("Optimization")
    TRANSLATION = "TRANSLATION", _("Translation")


class GenerationRecord(TimeStampedModel):
    """One generation call: who asked, which provider answered, what it cost."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="generation_records")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=GenerationKind.choices)
    provider = models.CharField(max_length=30, blank=True)
    model = models.CharField(max_length=120, blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    estimated_cost = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    cache_hit = models.BooleanField(default=False)
    succeeded = models.BooleanField(default=True)
    error_code = models.CharField(max_length=50, blank=True)
    attempts = models.JSONField(default=list, blank=True, help_text="Providers tried, in order, with their outcome.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} by {self.provider or 'nobody'} ({self.created_at:%Y-%m-%d %H:%M})"


class PostShare(TimeStampedModel):
    """A post shared with one client member: a client sees (and reviews) only the posts shared with them."""

    post = models.ForeignKey(ContentPost, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_share_unique_post_user")]
        indexes = [models.Index(fields=["user", "post"])]

    def __str__(self) -> str:
        return f"{self.post} shared with {self.user}"


class TrackedLink(TimeStampedModel):
    """A link of a post shortened on our domain (`/l/<code>`), redirecting to the target with UTM tags.

    The post's outgoing text carries the short link (content.outgoing), so what the platform receives
    is what the author previewed. Rows outlive a switched-off tracking: published short links keep
    redirecting.
    """

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="tracked_links")
    post = models.ForeignKey(ContentPost, on_delete=models.CASCADE, related_name="tracked_links")
    code = models.CharField(max_length=16, unique=True)
    target_url = models.URLField(max_length=2000, help_text="The link as the author wrote it.")
    destination = models.URLField(max_length=2400, help_text="The target with its UTM parameters.")
    campaign = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "target_url"], name="tracked_link_unique_post_target")]

    def __str__(self) -> str:
        return f"/l/{self.code} → {self.target_url}"


class LinkClickDay(models.Model):
    """Clicks of a tracked link per UTC day, referring host and country: no IP, no user agent, no cookie."""

    id = models.BigAutoField(primary_key=True)
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="click_days")
    day = models.DateField()
    referrer_host = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=2, blank=True)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "day", "referrer_host", "country"], name="link_click_day_unique_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.link.code} {self.day}: {self.clicks}"


# Collaboration's models live in their own module; importing them here registers them with the app.
from content.collab_models import (  # noqa: E402, F401
    ApprovalDecision,
    ApprovalStage,
    ApprovalWorkflow,
    ClientApprovalLink,
    PostComment,
    Task,
)
