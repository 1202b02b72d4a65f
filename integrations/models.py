"""Outgoing webhooks (endpoints, deliveries, attempts) and feed subscriptions that become drafts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.models import TimeStampedModel


class WebhookEndpoint(TimeStampedModel):
    """A URL of the team's that receives the events it subscribed to, signed with its own secret."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="Event names this endpoint receives.")
    secret = EncryptedTextField()
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    # Set by the first failed attempt after a success; the endpoint is disabled when it gets this old.
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(TimeStampedModel):
    """One event for one endpoint: retried until it succeeds or its retry window closes."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        SUCCEEDED = "SUCCEEDED", _("Succeeded")
        FAILED = "FAILED", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64, db_index=True)
    event_type = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """What one POST of a delivery got back: the delivery log."""

    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    manual = models.BooleanField(default=False)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    succeeded = models.BooleanField(default=False)
    # Seconds until the next automatic attempt that this failure scheduled (null: none follows).
    retry_in_seconds = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"


class Feed(TimeStampedModel):
    """An RSS or Atom feed the team follows; new items become drafts."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    rewrite_with_ai = models.BooleanField(default=False)
    brand = models.ForeignKey("content.Brand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    platform = models.CharField(max_length=20, blank=True)
    queue_account = models.ForeignKey(
        "social.SocialAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["team", "url"], name="feed_unique_url_per_team")]

    def __str__(self) -> str:
        return self.title or self.url


class FeedItem(TimeStampedModel):
    """An entry seen in a feed: the record that keeps it from becoming a second draft."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500, blank=True)
    link = models.CharField(max_length=2000, blank=True)
    title = models.CharField(max_length=300, blank=True)
    post = models.ForeignKey("content.ContentPost", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True, help_text="Why no draft or no queue slot, when so.")

    class Meta:
        ordering = ["-created_at"]
        # The duplicate check: an entry whose GUID or link the workspace has seen is not a new draft,
        # also when two fetches of the feed (or two feeds carrying one article) race.
        constraints = [
            models.UniqueConstraint(
                fields=["team", "guid"], condition=~models.Q(guid=""), name="feed_item_unique_guid_per_team"
            ),
            models.UniqueConstraint(
                fields=["team", "link"], condition=~models.Q(link=""), name="feed_item_unique_link_per_team"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.link or self.guid
