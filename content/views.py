"""Dashboard pages: the Generate studio (streamed writing, live counters, previews, save) and the posts library."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import UserPreferences
from content import platform_rules, selectors
from content.engagement import predict_engagement
from content.forms import (
    STUDIO_LANGUAGES,
    TONE_CHOICES,
    CountForm,
    PostFilterForm,
    SaveDraftForm,
    StudioForm,
    platform_choices,
)
from content.generation import stream_text
from content.learning import learned_summary
from content.models import ContentPost, GenerationKind
from content.moderation_gate import moderate_text
from content.outgoing import normalize_newlines
from content.prompts import is_rtl
from content.providers.registry import providers_for
from content.services import brief_build, post_create, post_delete, post_update, shape_for
from content.streaming import sse, sse_response
from content.tracked_links import campaign_clean, tracked_links_set
from core.api.errors import ApiError, NotFoundError, PermissionDeniedError, QuotaExceeded
from core.api.exceptions import error_body
from teams.permissions import Capability, TeamContext, clients_allowed, request_team_context, require

PAGE_SIZE = 20


def _json_error(exc: ApiError) -> JsonResponse:
    body = error_body(
        code=exc.code, message=exc.message, details=exc.details, retryable=exc.retryable, retry_after=exc.retry_after
    )
    return JsonResponse(body, status=exc.status_code)


def _studio_form(ctx: TeamContext, data: Any = None, initial: dict[str, Any] | None = None) -> StudioForm:
    return StudioForm(
        data,
        initial=initial,
        brands=selectors.brand_list(team=ctx.team),
        templates=selectors.template_list(team=ctx.team),
        providers=providers_for(team=ctx.team),
    )


def _composer_defaults(request: HttpRequest) -> dict[str, Any]:
    """A new post starts from the profile's defaults; it is written in the UI's language unless chosen."""
    prefs = UserPreferences.objects.filter(pk=request.user.pk).first() or UserPreferences()
    platform = platform_rules.normalize_platform(prefs.default_platform or "linkedin")
    ui_language = (get_language() or "en").split("-")[0]
    return {
        "platforms": [platform if platform in dict(platform_choices()) else "linkedin"],
        "tone": prefs.default_tone if prefs.default_tone in dict(TONE_CHOICES) else "professional",
        "audience": prefs.default_audience,
        "language": ui_language if ui_language in STUDIO_LANGUAGES else "en",
    }


@login_required
@require_GET
def studio(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    post: ContentPost | None = None
    initial = _composer_defaults(request)
    if request.GET.get("template"):  # "Use in composer" from the templates library
        template = selectors.template_get(team=ctx.team, template_id=request.GET["template"])
        initial["template"] = str(template.pk)
        if template.platform:
            initial["platforms"] = [template.platform]
        if template.tone:
            initial["tone"] = template.tone
    if request.GET.get("post"):
        post = selectors.post_get(ctx=ctx, post_id=request.GET["post"])
        initial = {
            "topic": post.title,
            "platforms": [post.platform or "linkedin"],
            "tone": post.tone or "professional",
            "audience": post.audience,
            # A post saved before its language was recorded is taken to be in the UI's language.
            "language": (post.metadata or {}).get("language") or initial["language"],
            "brand": str(post.brand_id) if post.brand_id else "",
        }
    providers = providers_for(team=ctx.team)
    context = {
        "form": _studio_form(ctx, initial=initial),
        "post": post,
        "can_write": ctx.can(Capability.CREATE_CONTENT),
        "offline_only": all(p.offline for p in providers),
        "team_timezone": ctx.team.timezone,
        "brands": selectors.brand_list(team=ctx.team),  # their default hashtags prefill "Write it myself"
        "nav_section": "generate",
    }
    return render(request, "content/studio.html", context)


def _studio_events(*, ctx: TeamContext, data: dict[str, Any], brand: Any, template: Any) -> Iterator[bytes]:
    for platform in data["platforms"]:
        brief = brief_build(
            kind=GenerationKind.CAPTION,
            topic=data["topic"],
            platform=platform,
            tone=data["tone"],
            audience=data["audience"],
            language=data["language"],
            brand=brand,
            template=template,
        )
        try:
            for event in stream_text(
                team=ctx.team,
                user=ctx.user,
                brief=brief,
                preferred=data["provider"] or None,
                regenerate=data["regenerate"],
            ):
                if event.kind == "done" and event.outcome is not None:
                    shaped = shape_for(brief=brief, raw=event.outcome.text)
                    engagement = predict_engagement(
                        text=shaped.content, platform=platform, hashtags=shaped.hashtags, team=ctx.team
                    )
                    decision = moderate_text(text=shaped.content, team=ctx.team, user=ctx.user, platform=platform)
                    yield sse(
                        "done",
                        {
                            "platform": platform,
                            "content": shaped.content,
                            "hashtags": shaped.hashtags,
                            "characterCount": shaped.character_count,
                            "characterLimit": shaped.character_limit,
                            "engagement": {
                                "score": engagement.score,
                                "reasons": engagement.reasons,
                                "source": engagement.source,
                                "sourceLabel": str(engagement.source_label),
                            },
                            "warnings": event.outcome.warnings,
                            "languageCheck": event.outcome.language_check,
                            "learnedFrom": learned_summary(
                                posts=event.outcome.learned_from, guidance=event.outcome.learned_guidance
                            ),
                            "provider": event.outcome.provider,
                            "label": event.outcome.provider_label,
                            "model": event.outcome.model,
                            "offline": event.outcome.offline,
                            "cached": event.outcome.cached,
                            "direction": "rtl" if is_rtl(brief.language) else "ltr",
                            "moderation": decision.as_dict(),
                        },
                    )
                else:
                    yield sse(event.kind, {"platform": platform, "text": event.text, **event.data})
        except ApiError as exc:
            error = {"platform": platform, "code": exc.code, "message": exc.message, "retryAfter": exc.retry_after}
            if isinstance(exc.details, dict) and exc.details.get("upgradeUrl"):
                error["upgradeUrl"] = exc.details["upgradeUrl"]  # the plan's limit: the studio offers the upgrade
            yield sse("error", error)
            if isinstance(exc, QuotaExceeded):
                break
    yield sse("end", {})


@login_required
@require_POST
def studio_stream(request: HttpRequest) -> HttpResponseBase:
    ctx = request_team_context(request)
    try:
        require(ctx, Capability.CREATE_CONTENT)
        form = _studio_form(ctx, request.POST)
        if not form.is_valid():
            return JsonResponse(
                error_body(code="VALIDATION_ERROR", message=_("Check the highlighted fields."), details=form.errors),
                status=400,
            )
        data = form.cleaned_data
        brand = selectors.brand_get(team=ctx.team, brand_id=data["brand"]) if data["brand"] else None
        template = selectors.template_get(team=ctx.team, template_id=data["template"]) if data["template"] else None
    except ApiError as exc:
        return _json_error(exc)
    return sse_response(request, _studio_events(ctx=ctx, data=data, brand=brand, template=template))


@login_required
@require_POST
def character_count(request: HttpRequest) -> JsonResponse:
    """Counts as each platform counts (X weights, Bluesky graphemes, ...): the studio's counters ask here."""
    form = CountForm(request.POST)
    if not form.is_valid():
        return JsonResponse(
            error_body(code="VALIDATION_ERROR", message="Invalid input.", details=form.errors), status=400
        )
    text = form.cleaned_data["text"]
    counts = {}
    for platform in form.cleaned_data["platforms"]:
        rule = platform_rules.rule_for(platform)
        tags = platform_rules.extract_hashtags(text)
        counts[platform] = {
            "count": platform_rules.count_characters(platform, text),
            "limit": rule.max_chars,
            "fits": platform_rules.fits(platform, text),
            "hashtags": len(tags),
            "maxHashtags": rule.max_hashtags,
        }
    return JsonResponse({"success": True, "counts": counts})


def _in_team_zone(value: datetime | None, tz_name: str) -> datetime | None:
    """The planned time was typed as wall-clock time in the workspace's zone, not the server's."""
    if value is None:
        return None
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return value
    return timezone.make_aware(timezone.make_naive(value), tz)


def _with_first_comment(metadata: dict[str, Any], comment: str) -> dict[str, Any]:
    """The composer's first comment lives in the post's metadata, where publishing reads it."""
    out = {k: v for k, v in metadata.items() if k != "first_comment"}
    return {**out, "first_comment": comment} if comment else out


@login_required
@require_POST
def save_draft(request: HttpRequest) -> JsonResponse:
    ctx = request_team_context(request)
    form = SaveDraftForm(request.POST)
    if not form.is_valid():
        return JsonResponse(
            error_body(code="VALIDATION_ERROR", message=_("Check the highlighted fields."), details=form.errors),
            status=400,
        )
    data = form.cleaned_data
    data["content"] = normalize_newlines(data["content"])  # the textarea's CRLF line breaks, as one LF each
    fields = {
        "title": data["title"] or data["content"].split("\n", 1)[0][:120],
        "content": data["content"],
        "hashtags": platform_rules.extract_hashtags(data["content"]),
        "platform": data["platform"],
        "tone": data["tone"],
        "audience": data["audience"],
        "scheduled_at": _in_team_zone(data["scheduled_at"], ctx.team.timezone),
    }
    if "brand" in request.POST:  # the studio always sends it; blank means "No brand"
        try:
            fields["brand"] = selectors.brand_get(team=ctx.team, brand_id=data["brand"]) if data["brand"] else None
        except NotFoundError:
            message = _("Pick one of this team's brands.")
            return JsonResponse(
                error_body(code="VALIDATION_ERROR", message=message, details={"brand": [message]}), status=400
            )
    comment = normalize_newlines(data["first_comment"]).strip() if "first_comment" in request.POST else None
    try:
        campaign = campaign_clean(data["link_campaign"]) if data["track_links"] else ""  # refused before saving
        if data["post_id"]:
            post = selectors.post_get(ctx=ctx, post_id=data["post_id"])
            if comment is not None:
                fields["metadata"] = _with_first_comment(post.metadata or {}, comment)
            post = post_update(ctx=ctx, post=post, changes=fields)
        else:
            metadata = {"language": data["language"] or "en", "provider": data["provider"], "source": "studio"}
            post = post_create(ctx=ctx, metadata=_with_first_comment(metadata, comment or ""), **fields)
        if data["track_links"]:
            post = tracked_links_set(ctx=ctx, post=post, enabled=True, campaign=campaign)
    except ApiError as exc:
        return _json_error(exc)
    edit_url = reverse("content:generate") + f"?post={post.pk}"
    return JsonResponse({"success": True, "post": {"id": str(post.pk), "status": post.status, "editUrl": edit_url}})


@clients_allowed
@login_required
@require_GET
def post_library(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    filters = PostFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    posts = selectors.post_list(
        team=ctx.team,
        status=values.get("status", ""),
        platform=values.get("platform", ""),
        q=values.get("q", "").strip(),
        viewer=ctx,  # a client lists only the posts shared with them
    )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    labels = {p: platform_rules.rule_for(p).label for p in platform_rules.platforms()}
    for post in page.object_list:
        post.platform_label = labels.get(post.platform, post.platform)  # type: ignore[attr-defined]
    return render(
        request,
        "content/posts.html",
        {
            "filters": filters,
            "page": page,
            "posts": page.object_list,
            "query": query.urlencode(),
            "can_write": ctx.can(Capability.CREATE_CONTENT),
            "can_publish": ctx.can(Capability.PUBLISH),  # the bulk "Publish or schedule" action
            "nav_section": "posts",
            "filtered": any(values.values()) if values else False,
        },
    )


@login_required
@require_POST
def post_remove(request: HttpRequest, post_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    post = selectors.post_get(ctx=ctx, post_id=post_id)
    try:
        post_delete(ctx=ctx, post=post)
    except PermissionDeniedError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Post deleted."))
    return redirect("content:posts")
