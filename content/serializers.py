"""API shapes. Inputs validate; services act. snake_case here, camelCase on the wire."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from content import platform_rules
from content.models import Brand, BrandAsset, ContentPost, ContentTemplate, ContentTemplateVersion, PostStatus
from content.providers.registry import canonical_name
from moderation.models import Decision

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def platform_choices() -> list[str]:
    return [*platform_rules.platforms(), *platform_rules.ALIASES]


class PlatformField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=platform_choices(), **kwargs)

    def to_internal_value(self, data: Any) -> str:
        return platform_rules.normalize_platform(super().to_internal_value(str(data).lower() if data else data))


def validate_language(value: str) -> str:
    value = (value or "en").strip()
    if not _LANGUAGE.match(value):
        raise serializers.ValidationError("Use a language code such as en, es, ar or pt-BR.")
    return value.lower()


class GenerateRequestSerializer(serializers.Serializer):
    prompt = serializers.CharField(max_length=4000, trim_whitespace=True)
    platform = PlatformField()
    tone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    audience = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content_type = serializers.ChoiceField(choices=["CAPTION", "HASHTAGS", "OPTIMIZATION"])
    ai_provider = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=10, required=False, default="en")
    brand_id = serializers.UUIDField(required=False, allow_null=True)
    template_id = serializers.UUIDField(required=False, allow_null=True)
    variants = serializers.IntegerField(required=False, default=1, min_value=1)
    regenerate = serializers.BooleanField(required=False, default=False, help_text="Skip the cache.")
    user_id = serializers.CharField(required=False, allow_blank=True, help_text="Must be the caller when given.")

    def validate_language(self, value: str) -> str:
        return validate_language(value)

    def validate_ai_provider(self, value: str) -> str:
        if value and canonical_name(value) is None:
            raise serializers.ValidationError("Unknown provider: use openai, anthropic (claude), gemini or offline.")
        return value

    def validate_variants(self, value: int) -> int:
        if value > settings.AI_MAX_VARIANTS:
            raise serializers.ValidationError(f"At most {settings.AI_MAX_VARIANTS} variants.")
        return value


class ModerationReasonSerializer(serializers.Serializer):
    check = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.CharField()


class ModerationSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reasons = ModerationReasonSerializer(many=True)


class EngagementSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    model = serializers.CharField()
    source_label = serializers.CharField()

    def get_fields(self) -> dict[str, Any]:
        # "source" is also a Field attribute, so the field is added here rather than declared.
        fields: dict[str, Any] = super().get_fields()
        fields["source"] = serializers.ChoiceField(
            choices=["team_model", "platform_benchmarks"],
            help_text="Where the score comes from: the workspace's trained model, or platform benchmarks.",
        )
        return fields


class LearnedFromSerializer(serializers.Serializer):
    posts = serializers.IntegerField()
    guidance = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField(help_text='"Based on your 3 best posts"')


class LanguageCheckSerializer(serializers.Serializer):
    requested = serializers.CharField()
    detected = serializers.CharField(allow_null=True, help_text="Null when the text is too short to tell.")
    confidence = serializers.FloatField()
    matches = serializers.BooleanField()


class GenerationMetadataSerializer(serializers.Serializer):
    provider = serializers.CharField()
    provider_label = serializers.CharField()
    offline = serializers.BooleanField()
    model = serializers.CharField()
    cached = serializers.BooleanField()
    language = serializers.CharField()
    direction = serializers.ChoiceField(choices=["ltr", "rtl"])
    platform = serializers.CharField()
    character_count = serializers.IntegerField()
    character_limit = serializers.IntegerField()
    hashtags = serializers.ListField(child=serializers.CharField())
    tokens_in = serializers.IntegerField()
    tokens_out = serializers.IntegerField()
    latency_ms = serializers.IntegerField()
    moderation = ModerationSerializer()
    engagement = EngagementSerializer()
    improvements = serializers.ListField(child=serializers.CharField())
    language_check = LanguageCheckSerializer(allow_null=True)
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text="Shown with the draft, e.g. when it is not in the language asked for."
    )
    learned_from = LearnedFromSerializer(
        allow_null=True, help_text="The team's best posts and model guidance the writer was given (spec 10.1)."
    )


class VariantSerializer(serializers.Serializer):
    content = serializers.CharField()
    hashtags = serializers.ListField(child=serializers.CharField())
    character_count = serializers.IntegerField()
    engagement = EngagementSerializer()
    warnings = serializers.ListField(child=serializers.CharField())


class GenerateResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    content = serializers.CharField()
    metadata = GenerationMetadataSerializer()
    variants = VariantSerializer(many=True)


class OptimizeRequestSerializer(serializers.Serializer):
    content_id = serializers.UUIDField()
    optimization_type = serializers.CharField(max_length=50, required=False, default="engagement")
    brand_id = serializers.UUIDField(required=False, allow_null=True)


class OptimizeResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    optimized_content = serializers.CharField()
    improvements = serializers.ListField(child=serializers.CharField())
    metadata = GenerationMetadataSerializer()


class TranslateRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    language = serializers.CharField(max_length=10)
    platform = PlatformField()
    brand_id = serializers.UUIDField(required=False, allow_null=True)

    def validate_language(self, value: str) -> str:
        return validate_language(value)


class AnalyticsSerializer(serializers.Serializer):
    views = serializers.IntegerField()
    likes = serializers.IntegerField()
    shares = serializers.IntegerField()
    comments = serializers.IntegerField()
    clicks = serializers.IntegerField()
    engagement_rate = serializers.FloatField()
    reach = serializers.IntegerField()
    impressions = serializers.IntegerField()


EMPTY_ANALYTICS = dict.fromkeys(("views", "likes", "shares", "comments", "clicks", "reach", "impressions"), 0) | {
    "engagement_rate": 0.0
}


class PostSerializer(serializers.ModelSerializer):
    """The spec's ContentPost; `userId` is the author. Analytics arrive with the analytics issue."""

    id = serializers.CharField(read_only=True)
    user_id = serializers.SerializerMethodField()
    analytics = serializers.SerializerMethodField()
    brand_id = serializers.SerializerMethodField()

    class Meta:
        model = ContentPost
        fields = [
            "id",
            "user_id",
            "title",
            "content",
            "hashtags",
            "platform",
            "tone",
            "audience",
            "status",
            "scheduled_at",
            "published_at",
            "engagement_score",
            "analytics",
            "metadata",
            "brand_id",
            "approved_at",
            "created_at",
            "updated_at",
        ]

    def get_user_id(self, post: ContentPost) -> str | None:
        return str(post.author_id) if post.author_id else None

    def get_brand_id(self, post: ContentPost) -> str | None:
        return str(post.brand_id) if post.brand_id else None

    @staticmethod
    def get_analytics(post: ContentPost) -> dict[str, Any]:
        return dict(EMPTY_ANALYTICS)


class PostWriteSerializer(serializers.Serializer):
    """The spec's ContentPost without id/createdAt/updatedAt. New posts are drafts; scheduling has its own endpoint."""

    user_id = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=70000)
    hashtags = serializers.ListField(
        child=serializers.CharField(max_length=140), required=False, default=list, max_length=60
    )
    platform = PlatformField(required=False, allow_blank=True, default="")
    tone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    audience = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=PostStatus.choices, required=False, default=PostStatus.DRAFT)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    published_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    engagement_score = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=100, default=None)
    analytics = serializers.DictField(required=False, help_text="Ignored: analytics are measured, not written.")
    metadata = serializers.DictField(required=False, default=dict)
    brand_id = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="The brand whose approval workflow applies."
    )

    def validate_status(self, value: str) -> str:
        if value != PostStatus.DRAFT:
            raise serializers.ValidationError("Posts are saved as DRAFT; schedule them with /api/content/schedule.")
        return value

    def validate_published_at(self, value: Any) -> Any:
        if value is not None:
            raise serializers.ValidationError("Set by publishing, not by clients.")
        return value


class PostUpdateSerializer(PostWriteSerializer):
    content = serializers.CharField(max_length=70000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class TemplateSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    placeholders = serializers.SerializerMethodField()
    copied_from = serializers.SerializerMethodField()

    class Meta:
        model = ContentTemplate
        fields = [
            "id",
            "name",
            "body",
            "platform",
            "tone",
            "is_public",
            "version",
            "placeholders",
            "copied_from",
            "created_at",
            "updated_at",
        ]

    def get_placeholders(self, template: ContentTemplate) -> list[str]:
        return list(dict.fromkeys(_PLACEHOLDER.findall(template.body)))

    def get_copied_from(self, template: ContentTemplate) -> str | None:
        return str(template.copied_from_id) if template.copied_from_id else None


class GalleryTemplateSerializer(TemplateSerializer):
    team_name = serializers.CharField(source="team.name")

    class Meta(TemplateSerializer.Meta):
        fields = [*TemplateSerializer.Meta.fields, "team_name"]


class TemplateWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=10000)
    platform = PlatformField(required=False, allow_blank=True, default="")
    tone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    is_public = serializers.BooleanField(required=False, default=False)


class TemplateUpdateSerializer(TemplateWriteSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class TemplateVersionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = ContentTemplateVersion
        fields = ["number", "name", "body", "platform", "tone", "diff", "note", "author", "created_at"]

    def get_author(self, version: ContentTemplateVersion) -> str | None:
        return version.author.email if version.author else None


class BrandSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    words_to_use = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=50)
    words_to_avoid = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=50)
    example_posts = serializers.ListField(child=serializers.CharField(max_length=5000), required=False, max_length=10)
    default_hashtags = serializers.ListField(child=serializers.CharField(max_length=140), required=False, max_length=30)

    class Meta:
        model = Brand
        fields = [
            "id",
            "name",
            "voice",
            "words_to_use",
            "words_to_avoid",
            "example_posts",
            "default_hashtags",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class BrandAssetSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = BrandAsset
        fields = ["id", "kind", "name", "color", "content_type", "size", "url", "created_at"]

    def get_url(self, asset: BrandAsset) -> str | None:
        return asset.file.url if asset.file else None


class BrandAssetUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BrandAsset.Kind.choices)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    color = serializers.CharField(max_length=7, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_empty_file=False)


class BrandAccountsSerializer(serializers.Serializer):
    account_ids = serializers.ListField(child=serializers.CharField(max_length=64), max_length=200)


class BrandAccountSerializer(serializers.Serializer):
    id = serializers.CharField(source="pk")
    platform = serializers.CharField()
    account_name = serializers.CharField()


_ENVELOPES: dict[str, Any] = {}


def envelope(name: str, serializer: Any) -> Any:
    """Schema of `{success, <name>}` bodies (one component per name)."""
    if name in _ENVELOPES:
        return _ENVELOPES[name]
    _ENVELOPES[name] = inline_serializer(
        f"{name}Envelope", {"success": serializers.BooleanField(), name[0].lower() + name[1:]: serializer}
    )


SUCCESS = inline_serializer("SuccessOnly", {"success": serializers.BooleanField()})
