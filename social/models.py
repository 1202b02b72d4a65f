from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.models import TimeStampedModel


class Platform(models.TextChoices):
    TWITTER = "twitter", "X (Twitter)"
    LINKEDIN = "linkedin", "LinkedIn"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    TIKTOK = "tiktok", "TikTok"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    SANDBOX = "sandbox", "Sandbox"


class AccountHealth(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    DEGRADED = "degraded", "Temporary problem"  # a 5xx or network error: retried, never disconnects
    NEEDS_RECONNECT = "needs_reconnect", "Needs reconnect"  # the platform revoked the token


class SocialAccount(TimeStampedModel):
    """A connected account (the spec's SocialAccount). Tokens are encrypted at rest."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="social_accounts")
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="social_accounts"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    account_id = models.CharField(max_length=255)
    account_name = models.CharField(max_length=255)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True, default="")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    permissions = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    health = models.CharField(max_length=20, choices=AccountHealth.choices, default=AccountHealth.HEALTHY)
    last_error = models.TextField(blank=True, default="")
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # An agency's brand this account speaks for: the brand's page and calendar show its accounts.
    brand = models.ForeignKey(
        "content.Brand", null=True, blank=True, on_delete=models.SET_NULL, related_name="social_accounts"
    )

    class Meta:
        ordering = ["platform", "account_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "platform", "account_id"], name="social_account_unique_per_team")
        ]
        indexes = [models.Index(fields=["is_active", "token_expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.account_name}"


# Stable across processes and releases: the same (post, account) always has the same key.
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c2b1e-3d4a-4f5e-9a8b-7c6d5e4f3a2b")


def idempotency_key_for(post_id: object, account_id: object) -> str:
    return str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{post_id}:{account_id}"))


class PublishStatus(models.TextChoices):
    SUCCESS = "SUCCESS", _("Success")
    FAILED = "FAILED", _("Failed")
    PENDING = "PENDING", _("Pending")


class PublishResult(TimeStampedModel):
    """The outcome of delivering one post to one account (the spec's PublishResult).

    The row is also the delivery claim: unique per (post, account), and an attempt runs only after a
    conditional update took the lease (`claimed_until`), so one post reaches one account at most once.
    """

    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="publish_results")
    social_account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="publish_results")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    platform_post_id = models.CharField(max_length=255, blank=True, null=True)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=PublishStatus.choices, default=PublishStatus.PENDING)
    published_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, null=True)
    metadata = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error_kind = models.CharField(max_length=20, blank=True, default="")
    metrics_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["post"]),
            models.Index(fields=["social_account"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["post", "social_account"], name="publish_result_one_per_post_account")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.platform}: {self.status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.idempotency_key:
            self.idempotency_key = idempotency_key_for(self.post_id, self.social_account_id)
        super().save(*args, **kwargs)


class SandboxPost(TimeStampedModel):
    """A post the sandbox platform received: one row per delivery, so deliveries can be counted."""

    account_id = models.CharField(max_length=255, db_index=True)
    account_name = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)
    thread = models.JSONField(default=list, blank=True)
    first_comment = models.TextField(blank=True)
    media = models.JSONField(default=list, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"sandbox post {self.pk} for {self.account_id}"


class MediaAsset(TimeStampedModel):
    """An uploaded image or video in default storage, served to platforms by URL."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="media_assets")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="media_assets"
    )
    file = models.FileField(upload_to="media/%Y/%m/")
    thumbnail = models.ImageField(upload_to="media/thumbs/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    alt_text = models.CharField(max_length=1500, blank=True)
    posts = models.ManyToManyField("content.ContentPost", through="PostMedia", related_name="media_assets", blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "-created_at"])]

    def __str__(self) -> str:
        return self.original_name or str(self.pk)


class PostMedia(models.Model):
    """Which media a post carries, in order."""

    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="media_links")
    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="post_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["post", "asset"], name="post_media_unique")]

    def __str__(self) -> str:
        return f"{self.asset_id} on {self.post_id}"
