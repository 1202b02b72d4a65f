"""The spec's content endpoints: /api/content/generate, /optimize, /save (and /translate beside them)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import selectors
from content.learning import learned_summary
from content.serializers import (
    GenerateRequestSerializer,
    GenerateResponseSerializer,
    OptimizeRequestSerializer,
    OptimizeResponseSerializer,
    PostSerializer,
    PostWriteSerializer,
    TranslateRequestSerializer,
    envelope,
)
from content.services import (
    GeneratedText,
    GenerationResult,
    brief_build,
    content_generate,
    content_optimize,
    content_translate,
    post_create,
)
from core.api.errors import PermissionDeniedError
from teams.permissions import Capability, TeamContext, TeamContextMixin, require


def check_user_id(request: Request, user_id: str | None) -> None:
    """API.md: a userId in a body is never trusted; another user's id is refused."""
    if user_id and user_id != str(request.user.pk):
        raise PermissionDeniedError("userId must be your own id (or left out).", details={"userId": ["Not you."]})


def engagement_dict(text: GeneratedText) -> dict[str, Any]:
    return text.engagement.as_dict()


def generation_metadata(result: GenerationResult) -> dict[str, Any]:
    first = result.first
    outcome = first.outcome
    return {
        "provider": outcome.provider,
        "provider_label": outcome.provider_label,
        "offline": outcome.offline,
        "model": outcome.model,
        "cached": outcome.cached,
        "language": result.language,
        "direction": result.direction,
        "platform": result.platform,
        "character_count": first.shaped.character_count,
        "character_limit": first.shaped.character_limit,
        "hashtags": first.shaped.hashtags,
        "tokens_in": sum(t.outcome.tokens_in for t in result.texts),
        "tokens_out": sum(t.outcome.tokens_out for t in result.texts),
        "latency_ms": sum(t.outcome.latency_ms for t in result.texts),
        "moderation": result.moderation.as_dict(),
        "engagement": engagement_dict(first),
        "improvements": first.shaped.improvements,
        "language_check": outcome.language_check,
        "warnings": outcome.warnings,
        "learned_from": learned_summary(posts=outcome.learned_from, guidance=outcome.learned_guidance),
    }


def generation_body(result: GenerationResult) -> dict[str, Any]:
    return {
        "success": True,
        "content": result.first.shaped.content,
        "metadata": generation_metadata(result),
        "variants": [
            {
                "content": t.shaped.content,
                "hashtags": t.shaped.hashtags,
                "character_count": t.shaped.character_count,
                "engagement": engagement_dict(t),
                "warnings": t.outcome.warnings,
            }
            for t in result.texts
        ],
    }


def optional_brand(ctx: TeamContext, brand_id: Any) -> Any:
    return selectors.brand_get(team=ctx.team, brand_id=brand_id) if brand_id else None


class ContentGenerateApi(TeamContextMixin, APIView):
    @extend_schema(
        request=GenerateRequestSerializer,
        responses={200: GenerateResponseSerializer},
        summary="Generate a caption, hashtags or an optimised post",
        description="Providers are tried by priority with retries and fallback; `metadata.provider` and "
        "`metadata.model` say who answered. `regenerate: true` skips the one-hour cache. Errors: "
        "QUOTA_EXCEEDED (429), AI_PROVIDER_UNAVAILABLE (503, retryable, nothing charged).",
    )
    def post(self, request: Request) -> Response:
        serializer = GenerateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        check_user_id(request, data.get("user_id"))
        ctx = self.team_ctx
        require(ctx, Capability.CREATE_CONTENT)
        brand = optional_brand(ctx, data.get("brand_id"))
        template = (
            selectors.template_get(team=ctx.team, template_id=data["template_id"]) if data.get("template_id") else None
        )
        optimising = data["content_type"] == "OPTIMIZATION"
        brief = brief_build(
            kind=data["content_type"],
            topic="" if optimising else data["prompt"],
            source_text=data["prompt"] if optimising else "",
            platform=data["platform"],
            tone=data["tone"],
            audience=data["audience"],
            language=data["language"],
            brand=brand,
            template=template,
        )
        result = content_generate(
            ctx=ctx,
            brief=brief,
            variants=data["variants"],
            ai_provider=data["ai_provider"] or None,
            regenerate=data["regenerate"],
        )
        return Response(generation_body(result))


class ContentOptimizeApi(TeamContextMixin, APIView):
    @extend_schema(
        request=OptimizeRequestSerializer,
        responses={200: OptimizeResponseSerializer},
        summary="Optimise a saved post for its platform",
    )
    def post(self, request: Request) -> Response:
        serializer = OptimizeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ctx = self.team_ctx
        post = selectors.post_get(ctx=ctx, post_id=data["content_id"])
        brand = optional_brand(ctx, data.get("brand_id"))
        text = content_optimize(ctx=ctx, post=post, optimization_type=data["optimization_type"], brand=brand)
        result = GenerationResult(
            texts=[text], language=(post.metadata or {}).get("language", "en"), platform=post.platform
        )
        return Response(
            {
                "success": True,
                "optimized_content": text.shaped.content,
                "improvements": text.shaped.improvements,
                "metadata": generation_metadata(result),
            }
        )


class ContentTranslateApi(TeamContextMixin, APIView):
    @extend_schema(
        request=TranslateRequestSerializer,
        responses={200: GenerateResponseSerializer},
        summary="Translate and localise a post (right-to-left languages included)",
    )
    def post(self, request: Request) -> Response:
        serializer = TranslateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ctx = self.team_ctx
        brand = optional_brand(ctx, data.get("brand_id"))
        result = content_translate(
            ctx=ctx, text=data["text"], platform=data["platform"], language=data["language"], brand=brand
        )
        return Response(generation_body(result))


class ContentSaveApi(TeamContextMixin, APIView):
    @extend_schema(
        request=PostWriteSerializer,
        responses={201: envelope("Post", PostSerializer())},
        summary="Save a post as a draft",
    )
    def post(self, request: Request) -> Response:
        serializer = PostWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        check_user_id(request, data.pop("user_id", None))
        for ignored in ("status", "published_at", "analytics"):
            data.pop(ignored, None)
        data["brand"] = optional_brand(self.team_ctx, data.pop("brand_id", None))
        post = post_create(ctx=self.team_ctx, **data)
        return Response({"success": True, "post": PostSerializer(post).data}, status=status.HTTP_201_CREATED)
