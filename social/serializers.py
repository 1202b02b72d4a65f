"""REST shapes of the social app. snake_case here; clients see camelCase (the renderer converts)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from content.platform_rules import normalize_platform
from social.models import MediaAsset, Platform, PublishResult, SocialAccount
from social.platforms.registry import get_connector
from social.services.budgets import budget_for
from social.services.media import absolute_media_url

SECRET_HINTS = ("token", "secret", "password", "jwt", "key")


def public_metadata(metadata: dict[str, Any] | None) -> dict[str, Any]:
    """Account metadata without anything that looks like a credential."""
    return {k: v for k, v in (metadata or {}).items() if not any(h in k.lower() for h in SECRET_HINTS)}


class PlatformField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Platform.choices, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        return str(super().to_internal_value(normalize_platform(str(data))))


class BudgetSerializer(serializers.Serializer):
    remaining = serializers.IntegerField()
    limit = serializers.IntegerField()
    resets_at = serializers.DateTimeField(allow_null=True)
    reported_by = serializers.ChoiceField(choices=["app", "platform"])


class ChargeSerializer(serializers.Serializer):
    """What the platform bills the app per post (X's pay-per-use pricing)."""

    per_post = serializers.CharField()
    per_post_with_link = serializers.CharField()
    currency = serializers.CharField()


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    last_error = serializers.CharField(allow_blank=True)
    last_checked_at = serializers.DateTimeField(allow_null=True)
    budget = BudgetSerializer(allow_null=True)
    charge = ChargeSerializer(allow_null=True)


class SocialAccountSerializer(serializers.ModelSerializer):
    """The spec's SocialAccount without its tokens, plus `health`."""

    id = serializers.CharField(read_only=True)
    user_id = serializers.SerializerMethodField()
    metadata = serializers.SerializerMethodField()
    health = serializers.SerializerMethodField()

    class Meta:
        model = SocialAccount
        fields = [
            "id",
            "user_id",
            "platform",
            "account_id",
            "account_name",
            "token_expires_at",
            "is_active",
            "permissions",
            "metadata",
            "created_at",
            "updated_at",
            "health",
        ]
        read_only_fields = fields

    def get_user_id(self, account: SocialAccount) -> str | None:
        return str(account.connected_by_id) if account.connected_by_id else None

    def get_metadata(self, account: SocialAccount) -> dict[str, Any]:
        return public_metadata(account.metadata)

    @staticmethod
    def health_of(account: SocialAccount) -> dict[str, Any]:
        budget = budget_for(account)
        rates = get_connector(account.platform).charge_rates()
        return {
            "status": account.health,
            "label": account.get_health_display(),
            "last_error": account.last_error,
            "last_checked_at": account.last_checked_at,
            "budget": None
            if budget is None
            else {
                "remaining": budget.remaining,
                "limit": budget.limit,
                "resets_at": budget.resets_at,
                "reported_by": budget.source,
            },
            "charge": None
            if rates is None
            else {"per_post": str(rates[0]), "per_post_with_link": str(rates[1]), "currency": "USD"},
        }

    def get_health(self, account: SocialAccount) -> dict[str, Any]:
        return HealthSerializer(self.health_of(account)).data


class PublishResultSerializer(serializers.ModelSerializer):
    """The spec's PublishResult, plus why and when a waiting delivery runs again."""

    id = serializers.CharField(read_only=True)
    post_id = serializers.CharField(read_only=True)
    social_account_id = serializers.CharField(read_only=True)

    class Meta:
        model = PublishResult
        fields = [
            "id",
            "post_id",
            "social_account_id",
            "platform",
            "platform_post_id",
            "status",
            "published_at",
            "error",
            "url",
            "error_kind",
            "attempts",
            "next_attempt_at",
        ]
        read_only_fields = fields


class ConnectRequestSerializer(serializers.Serializer):
    platform = PlatformField()
    auth_code = serializers.CharField(max_length=4000, trim_whitespace=False)
    redirect_uri = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    code_verifier = serializers.CharField(max_length=256, required=False, allow_blank=True, default="")
    instance_url = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ConnectResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    account = SocialAccountSerializer()


class TargetsMixin(serializers.Serializer):
    platforms = serializers.ListField(child=PlatformField(), required=False, max_length=20)
    account_ids = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=100)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("platforms") and not attrs.get("account_ids"):
            raise serializers.ValidationError({"platforms": ["Name at least one platform or account."]})
        return attrs


class PublishRequestSerializer(TargetsMixin):
    post_id = serializers.CharField(max_length=64)
    publish_at = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="ISO 8601; without an offset it is wall-clock time in `timezone`. Absent: publish now.",
    )
    timezone = serializers.CharField(max_length=64, required=False, default="UTC")
    media_ids = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=20)
    first_comment = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        max_length=5000,
        help_text="Optional first comment, posted as a reply on X, Bluesky and Mastodon; kept on the post. "
        "An empty string removes it.",
    )

    def validate_timezone(self, value: str) -> str:
        from zoneinfo import available_timezones

        if value not in available_timezones() and value != "UTC":
            raise serializers.ValidationError("Use an IANA time zone such as Europe/Madrid.")
        return value


class ScheduledPostBriefSerializer(serializers.Serializer):
    id = serializers.CharField()
    post_id = serializers.CharField()
    social_account_id = serializers.CharField()
    platform = serializers.CharField()
    scheduled_at = serializers.DateTimeField()
    timezone = serializers.CharField()
    status = serializers.CharField()


class PublishResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    results = PublishResultSerializer(many=True)
    scheduled_posts = ScheduledPostBriefSerializer(many=True)


class BulkPublishRequestSerializer(serializers.Serializer):
    post_ids = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1, max_length=50)
    account_ids = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1, max_length=50)
    publish_at = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="ISO 8601; without an offset it is wall-clock time in `timezone`. Absent: publish now.",
    )
    timezone = serializers.CharField(max_length=64, required=False, default="UTC")


class ValidateRequestSerializer(TargetsMixin):
    text = serializers.CharField(allow_blank=True, max_length=20000, trim_whitespace=False)
    media_ids = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=20)
    first_comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.CharField()
    field = serializers.CharField()


class PostChargeSerializer(serializers.Serializer):
    """What this post would cost the app on a pay-per-use platform (X)."""

    amount = serializers.CharField()
    currency = serializers.CharField()


class PlatformCheckSerializer(serializers.Serializer):
    platform = serializers.CharField()
    account_id = serializers.CharField(allow_null=True)
    ok = serializers.BooleanField()
    char_count = serializers.IntegerField()
    char_limit = serializers.IntegerField()
    problems = ProblemSerializer(many=True)
    thread = serializers.ListField(child=serializers.CharField())
    charge = PostChargeSerializer(allow_null=True)


class ValidateResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    ok = serializers.BooleanField()
    results = PlatformCheckSerializer(many=True)


class MediaAssetSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = MediaAsset
        fields = [
            "id",
            "kind",
            "content_type",
            "size_bytes",
            "width",
            "height",
            "duration_seconds",
            "alt_text",
            "original_name",
            "url",
            "thumbnail_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, asset: MediaAsset) -> str:
        return absolute_media_url(asset.file.url)

    def get_thumbnail_url(self, asset: MediaAsset) -> str | None:
        return absolute_media_url(asset.thumbnail.url) if asset.thumbnail else None


class MediaUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    alt_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=1500)
    post_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
