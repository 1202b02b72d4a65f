"""Content writes: generation (caption, hashtags, optimise, translate, variants) and posts.

Every generated text goes through `content.outputs.shape_output` (platform limits, hashtag caps)
and `moderate_text` before it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from billing.services import quota_release
from content import platform_rules
from content.engagement import EngagementPrediction, predict_engagement
from content.generation import QUOTA_KIND, GenerationOutcome, generate_text
from content.models import Brand, ContentPost, ContentTemplate, GenerationKind, PostStatus
from content.moderation_gate import ModerationDecision, allowed, moderate_text, raise_if_blocked
from content.outgoing import outgoing_compose, outgoing_for
from content.outputs import ShapedOutput, shape_output
from content.prompts import is_rtl
from content.providers.base import Brief
from content.revisions import TRACKED_FIELDS, revision_record
from content.tracked_links import tracked_links_sync
from content.workflow import post_content_edited
from core.api.errors import ValidationFailed
from core.stored_messages import Message
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record


@dataclass
class GeneratedText:
    shaped: ShapedOutput
    engagement: EngagementPrediction
    outcome: GenerationOutcome


@dataclass
class GenerationResult:
    texts: list[GeneratedText]
    language: str
    platform: str
    moderation: ModerationDecision = field(default_factory=allowed)

    @property
    def first(self) -> GeneratedText:
        return self.texts[0]

    @property
    def direction(self) -> str:
        return "rtl" if is_rtl(self.language) else "ltr"


def brief_build(
    *,
    kind: str,
    topic: str,
    platform: str,
    tone: str = "",
    audience: str = "",
    language: str = "en",
    brand: Brand | None = None,
    template: ContentTemplate | None = None,
    source_text: str = "",
    optimization_type: str = "",
    variant: int = 0,
) -> Brief:
    """The structured request every provider and the prompt builder read."""
    return Brief(
        kind=kind,
        topic=topic.strip(),
        platform=platform_rules.normalize_platform(platform),
        tone=(tone or (template.tone if template else "") or "professional").strip(),
        audience=audience.strip(),
        language=(language or "en").strip().lower(),
        brand_name=brand.name if brand else "",
        brand_voice=brand.voice if brand else "",
        words_to_use=tuple(brand.words_to_use) if brand else (),
        words_to_avoid=tuple(brand.words_to_avoid) if brand else (),
        example_posts=tuple(brand.example_posts) if brand else (),
        default_hashtags=tuple(brand.default_hashtags) if brand else (),
        template_body=template.body if template else "",
        source_text=source_text.strip(),
        optimization_type=optimization_type.strip(),
        variant=variant,
    )


def shape_for(*, brief: Brief, raw: str) -> ShapedOutput:
    return shape_output(kind=brief.kind, raw=raw, platform=brief.platform, extra_hashtags=brief.default_hashtags)


def _moderated(*, ctx: TeamContext, result: GenerationResult) -> GenerationResult:
    decision = moderate_text(text=result.first.shaped.content, team=ctx.team, user=ctx.user, platform=result.platform)
    raise_if_blocked(decision)
    result.moderation = decision
    return result


def content_generate(
    *,
    ctx: TeamContext,
    brief: Brief,
    variants: int = 1,
    ai_provider: str | None = None,
    regenerate: bool = False,
) -> GenerationResult:
    """N texts for one brief (variant 0 is the plain answer, so it can come from the cache)."""
    require(ctx, Capability.CREATE_CONTENT)
    count = max(1, min(variants, settings.AI_MAX_VARIANTS))
    texts: list[GeneratedText] = []
    try:
        for index in range(count):
            variant_brief = Brief(**{**brief.__dict__, "variant": index})
            outcome = generate_text(
                team=ctx.team, user=ctx.user, brief=variant_brief, preferred=ai_provider, regenerate=regenerate
            )
            shaped = shape_for(brief=variant_brief, raw=outcome.text)
            engagement = predict_engagement(
                text=shaped.content, platform=brief.platform, hashtags=shaped.hashtags, team=ctx.team
            )
            texts.append(GeneratedText(shaped=shaped, engagement=engagement, outcome=outcome))
    except Exception:
        # All or nothing: a request that fails part-way gives back the units its earlier variants took.
        for done in texts:
            if done.outcome.charged:
                quota_release(team=ctx.team, kind=QUOTA_KIND)
        raise
    return _moderated(ctx=ctx, result=GenerationResult(texts=texts, language=brief.language, platform=brief.platform))


def content_optimize(
    *, ctx: TeamContext, post: ContentPost, optimization_type: str, brand: Brand | None = None
) -> GeneratedText:
    require(ctx, Capability.CREATE_CONTENT)
    if not post.platform:
        raise ValidationFailed(
            "Set the post's platform before optimising it.", details={"platform": ["Required to optimise."]}
        )
    brief = brief_build(
        kind=GenerationKind.OPTIMIZATION,
        topic=post.title,
        platform=post.platform,
        tone=post.tone,
        audience=post.audience,
        language=(post.metadata or {}).get("language", "en"),
        brand=brand,
        source_text=post.content,
        optimization_type=optimization_type,
    )
    result = content_generate(ctx=ctx, brief=brief)
    return result.first


def content_translate(
    *,
    ctx: TeamContext,
    text: str,
    platform: str,
    language: str,
    topic: str = "",
    brand: Brand | None = None,
    tone: str = "",
    audience: str = "",
) -> GenerationResult:
    brief = brief_build(
        kind=GenerationKind.TRANSLATION,
        topic=topic or text.split("\n", 1)[0][:120],
        platform=platform,
        tone=tone,
        audience=audience,
        language=language,
        brand=brand,
        source_text=text,
    )
    return content_generate(ctx=ctx, brief=brief)


# Posts -----------------------------------------------------------------------------------------
POST_FIELDS = (
    "title",
    "content",
    "hashtags",
    "platform",
    "tone",
    "audience",
    "scheduled_at",
    "engagement_score",
    "metadata",
)


def _check_fits(*, platform: str, content: str) -> None:
    if platform and content and not platform_rules.fits(platform, content):
        used = platform_rules.count_characters(platform, content)
        limit = platform_rules.character_limit(platform)
        rule = platform_rules.rule_for(platform)
        raise ValidationFailed(
            f"The post is {used} characters as {rule.label} counts them; the limit is {limit}.",
            details={"content": [f"{used}/{limit} characters on {rule.label}."]},
        )


def _clean_hashtags(platform: str, hashtags: list[str]) -> list[str]:
    if platform:
        return platform_rules.limit_hashtags(platform, hashtags)
    return [t for t in (platform_rules.normalize_hashtag(h) for h in hashtags) if t]


@transaction.atomic
def post_create(
    *,
    ctx: TeamContext,
    title: str = "",
    content: str,
    hashtags: list[str] | None = None,
    platform: str = "",
    tone: str = "",
    audience: str = "",
    scheduled_at: datetime | None = None,
    engagement_score: float | None = None,
    metadata: dict[str, Any] | None = None,
    brand: Brand | None = None,
) -> ContentPost:
    require(ctx, Capability.CREATE_CONTENT)
    platform = platform_rules.normalize_platform(platform)
    _check_fits(platform=platform, content=content)
    hashtags = _clean_hashtags(platform, hashtags or [])
    outgoing = outgoing_compose(
        body=content, hashtags=hashtags, first_comment=str((metadata or {}).get("first_comment", ""))
    )
    decision = moderate_text(text=outgoing.moderated, team=ctx.team, user=ctx.user, platform=platform)
    raise_if_blocked(decision)
    post = ContentPost.objects.create(
        team=ctx.team,
        author=ctx.user,
        title=title.strip(),
        content=content,
        hashtags=hashtags,
        platform=platform,
        tone=tone,
        audience=audience,
        status=PostStatus.DRAFT,
        scheduled_at=scheduled_at,
        engagement_score=engagement_score,
        metadata=metadata or {},
        brand=brand,
    )
    revision_record(post=post, editor=ctx.user)
    activity_record(
        team=ctx.team,
        actor=ctx.user,
        verb="post.created",
        summary=Message(gettext_noop("wrote “%(post)s”"), post=str(post)),
        target=post,
    )
    return post


@transaction.atomic
def post_update(
    *, ctx: TeamContext, post: ContentPost, changes: dict[str, Any], restored_from: int | None = None
) -> ContentPost:
    require(ctx, Capability.CREATE_CONTENT)
    if post.status == PostStatus.PUBLISHED:
        raise ValidationFailed("A published post cannot be edited.", details={"status": ["Already published."]})
    before = {name: getattr(post, name) for name in TRACKED_FIELDS}
    if "brand" in changes:
        post.brand = changes["brand"]
    for name in POST_FIELDS:
        if name in changes:
            setattr(post, name, changes[name])
    post.platform = platform_rules.normalize_platform(post.platform)
    post.hashtags = _clean_hashtags(post.platform, post.hashtags or [])
    _check_fits(platform=post.platform, content=post.content)
    decision = moderate_text(text=outgoing_for(post).moderated, team=ctx.team, user=ctx.user, platform=post.platform)
    raise_if_blocked(decision)
    post.save()
    tracked_links_sync(post=post)  # a link added by this edit gets its short link too
    if any(getattr(post, name) != before[name] for name in TRACKED_FIELDS):
        revision_record(post=post, editor=ctx.user, restored_from=restored_from)
        post_content_edited(post=post, actor=ctx.user)
    return post


def post_delete(*, ctx: TeamContext, post: ContentPost) -> None:
    require(ctx, Capability.CREATE_CONTENT)
    post.delete()
