from __future__ import annotations

from rest_framework import serializers

from core.events import EVENT_NAMES
from integrations.models import Feed, FeedItem, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    failed_count = serializers.IntegerField(read_only=True, default=0)
    delivery_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "disabled_reason",
            "failing_since",
            "delivery_count",
            "failed_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_NAMES), allow_empty=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WebhookUpdateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_NAMES), allow_empty=False, required=False
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class WebhookAttemptSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)

    class Meta:
        model = WebhookAttempt
        fields = [
            "id",
            "number",
            "manual",
            "succeeded",
            "response_status",
            "response_body",
            "error",
            "duration_ms",
            "retry_in_seconds",
            "created_at",
        ]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    endpoint_id = serializers.CharField(read_only=True)
    attempts = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint_id",
            "event_id",
            "event_type",
            "status",
            "next_attempt_at",
            "payload",
            "attempts",
            "created_at",
        ]
        read_only_fields = fields


class FeedSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    brand_id = serializers.CharField(read_only=True, allow_null=True)
    queue_account_id = serializers.CharField(read_only=True, allow_null=True)
    draft_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Feed
        fields = [
            "id",
            "url",
            "title",
            "is_active",
            "rewrite_with_ai",
            "platform",
            "brand_id",
            "queue_account_id",
            "last_fetched_at",
            "last_status",
            "last_error",
            "draft_count",
            "created_at",
        ]
        read_only_fields = fields


class FeedWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    rewrite_with_ai = serializers.BooleanField(required=False)
    platform = serializers.CharField(max_length=20, required=False, allow_blank=True)
    brand_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    queue_account_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class FeedItemSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    post_id = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = FeedItem
        fields = ["id", "guid", "link", "title", "post_id", "note", "created_at"]
        read_only_fields = fields
