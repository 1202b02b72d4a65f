from __future__ import annotations

from django.conf import settings
from django.db import models

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

    class Meta:
        ordering = ["platform", "account_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "platform", "account_id"], name="social_account_unique_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.account_name}"


class PublishStatus(models.TextChoices):
    SUCCESS = "SUCCESS", "Success"
    FAILED = "FAILED", "Failed"
    PENDING = "PENDING", "Pending"


class PublishResult(TimeStampedModel):
    """The outcome of delivering one post to one account (the spec's PublishResult)."""

    post = models.ForeignKey("content.ContentPost", on_delete=models.CASCADE, related_name="publish_results")
    social_account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="publish_results")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    platform_post_id = models.CharField(max_length=255, blank=True, null=True)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=PublishStatus.choices, default=PublishStatus.PENDING)
    published_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, null=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["post"]), models.Index(fields=["social_account"])]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.platform}: {self.status}"
