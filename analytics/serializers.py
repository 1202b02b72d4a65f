from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from analytics.exports import EXPORT_METRICS
from analytics.metrics import parse_time_range
from analytics.models import ExportFormat
from core.api.errors import ValidationFailed
from social.models import Platform

PLATFORMS = [choice for choice, _ in Platform.choices]


def clean_platform(value: str | None) -> str | None:
    if not value:
        return None
    value = value.lower()
    value = "twitter" if value == "x" else value
    if value not in PLATFORMS:
        raise ValidationFailed("Unknown platform.", details={"platform": [f"One of {', '.join(PLATFORMS)}."]})
    return value


class RangeQuerySerializer(serializers.Serializer):
    time_range = serializers.CharField(required=False, default="30d", help_text="7d, 30d, 90d, 12m or from..to")
    platform = serializers.CharField(required=False, allow_blank=True, default="")


class EngagementQuerySerializer(RangeQuerySerializer):
    post_id = serializers.UUIDField(required=False)


class ExportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    time_range = serializers.CharField(default="30d")
    platform = serializers.CharField(required=False, allow_blank=True, default="")
    metrics = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EXPORT_METRICS)), required=False, default=list
    )

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("format"), str):
            data = {**data, "format": data["format"].upper()}
        return super().to_internal_value(data)

    def validate_time_range(self, value: str) -> str:
        try:
            parse_time_range(value)
        except ValidationFailed as exc:
            raise serializers.ValidationError((exc.details or {}).get("timeRange") or [exc.message]) from None
        return value

    def validate_platform(self, value: str) -> str:
        try:
            return clean_platform(value) or ""
        except ValidationFailed as exc:
            raise serializers.ValidationError((exc.details or {}).get("platform") or [exc.message]) from None


class ExportResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    download_url = serializers.CharField()
    export_id = serializers.CharField()
    status = serializers.CharField()


class PredictRequestSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    text = serializers.CharField(max_length=10_000)
    when = serializers.DateTimeField(required=False)
    has_media = serializers.BooleanField(default=False)
    hashtags = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)


class ABTestCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    platform = serializers.ChoiceField(choices=Platform.choices)
    post_ids = serializers.ListField(child=serializers.UUIDField(), min_length=2, max_length=5)
    hypothesis = serializers.CharField(required=False, allow_blank=True, default="")
    significance_level = serializers.FloatField(required=False, default=0.05, min_value=0.001, max_value=0.2)


class CompetitorPostSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    competitor = serializers.CharField(max_length=120)
    url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    platform = serializers.ChoiceField(choices=Platform.choices)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    views = serializers.IntegerField(min_value=0, default=0)
    likes = serializers.IntegerField(min_value=0, default=0)
    shares = serializers.IntegerField(min_value=0, default=0)
    comments = serializers.IntegerField(min_value=0, default=0)
    clicks = serializers.IntegerField(min_value=0, default=0)
    impressions = serializers.IntegerField(min_value=0, default=0)
    posted_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("url") and not attrs.get("text"):
            raise serializers.ValidationError({"text": ["Give the post's URL or its text."]})
        return attrs


DataResponseSerializer = inline_serializer(
    "AnalyticsDataResponse", {"success": serializers.BooleanField(), "data": serializers.DictField()}
)
