"""Content reads. Every one takes the acting team; another team's rows do not exist (404)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from content import platform_rules
from content.models import Brand, ContentPost, ContentTemplate, ContentTemplateVersion, LinkClickDay, TrackedLink
from content.outgoing import short_link_url
from core.api.errors import NotFoundError
from teams.models import Team
from teams.permissions import TeamContext


def _get(queryset: QuerySet[Any], object_id: Any, what: str) -> Any:
    try:
        return queryset.get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFoundError(f"No such {what}.") from exc


def posts_visible(*, team: Team, viewer: TeamContext | None = None) -> QuerySet[ContentPost]:
    """The one rule for which posts a member may read: all the team's, except that a client member
    sees only the posts shared with them (any other post does not exist for them: a 404)."""
    posts = ContentPost.objects.filter(team=team)
    if viewer is not None and viewer.is_client:
        posts = posts.filter(shares__user=viewer.user)
    return posts


def post_list(
    *, team: Team, status: str = "", platform: str = "", q: str = "", viewer: TeamContext | None = None
) -> QuerySet[ContentPost]:
    posts = posts_visible(team=team, viewer=viewer).select_related("author")
    if status:
        posts = posts.filter(status=status.upper())
    if platform:
        posts = posts.filter(platform=platform_rules.normalize_platform(platform))
    if q:
        posts = posts.filter(Q(title__icontains=q) | Q(content__icontains=q))
    return posts.order_by("-created_at")


def post_get(*, ctx: TeamContext, post_id: Any) -> ContentPost:
    """The one way to read a post by id, for every page, API and service: a post of the acting team,
    and for a client member only one shared with them (any other is a 404). Clients reach it only
    from views marked `@clients_allowed` (`teams.permissions.request_team_context`)."""
    return _get(posts_visible(team=ctx.team, viewer=ctx).select_related("author"), post_id, "post")


def posts_by_ids(*, ctx: TeamContext, post_ids: list[Any]) -> list[ContentPost]:
    """The posts in the order asked (duplicates dropped); any id not readable is a 404 naming it."""
    wanted: dict[Any, None] = {}
    for post_id in post_ids:
        try:
            wanted[uuid.UUID(str(post_id))] = None
        except (TypeError, ValueError, AttributeError) as exc:
            raise NotFoundError("No such post.") from exc
    found = {p.pk: p for p in posts_visible(team=ctx.team, viewer=ctx).filter(pk__in=list(wanted))}
    missing = [str(p) for p in wanted if p not in found]
    if missing:
        raise NotFoundError("No such post.", details={"postIds": missing})
    return [found[p] for p in wanted]


def posts_recent(*, ctx: TeamContext, limit: int = 30) -> QuerySet[ContentPost]:
    """The posts edited last, for pickers (publish, A/B tests)."""
    return posts_visible(team=ctx.team, viewer=ctx).order_by("-updated_at")[:limit]


def template_list(*, team: Team, q: str = "") -> QuerySet[ContentTemplate]:
    templates = ContentTemplate.objects.filter(team=team).select_related("created_by")
    if q:
        templates = templates.filter(Q(name__icontains=q) | Q(body__icontains=q))
    return templates.order_by("name")


def template_gallery(*, q: str = "", platform: str = "") -> QuerySet[ContentTemplate]:
    templates = ContentTemplate.objects.filter(is_public=True).select_related("team", "created_by")
    if q:
        templates = templates.filter(Q(name__icontains=q) | Q(body__icontains=q))
    if platform:
        templates = templates.filter(platform=platform_rules.normalize_platform(platform))
    return templates.order_by("name")


def template_get(*, team: Team, template_id: Any) -> ContentTemplate:
    return _get(ContentTemplate.objects.filter(team=team).select_related("created_by"), template_id, "template")


def template_get_copyable(*, team: Team, template_id: Any) -> ContentTemplate:
    """A template the team may copy: its own, or one published to the gallery."""
    return _get(ContentTemplate.objects.filter(Q(team=team) | Q(is_public=True)), template_id, "template")


def template_versions(*, template: ContentTemplate) -> QuerySet[ContentTemplateVersion]:
    return template.versions.select_related("author").order_by("-number")


def template_version_get(*, template: ContentTemplate, number: Any) -> ContentTemplateVersion:
    try:
        return template.versions.get(number=int(number))
    except (ContentTemplateVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFoundError("No such version.") from exc


def brand_list(*, team: Team) -> QuerySet[Brand]:
    return Brand.objects.filter(team=team).order_by("name")


def brand_get(*, team: Team, brand_id: Any) -> Brand:
    return _get(Brand.objects.filter(team=team), brand_id, "brand")


def post_link_clicks(*, post: ContentPost) -> dict[str, Any]:
    """A post's tracked links with their clicks, in total and per UTC day. Two queries, whatever the traffic."""
    totals = TrackedLink.objects.filter(post=post).annotate(total=Coalesce(Sum("click_days__clicks"), 0))
    links = list(totals.order_by("created_at"))
    days = LinkClickDay.objects.filter(link__post=post).values("day").annotate(clicks=Sum("clicks")).order_by("day")
    return {
        "kind": "lifetime",  # every click since the link was made, whatever range the caller shows
        "total": sum(link.total for link in links),  # type: ignore[attr-defined]
        "links": [
            {
                "code": link.code,
                "short_url": short_link_url(link.code),
                "target_url": link.target_url,
                "destination": link.destination,
                "campaign": link.campaign,
                "clicks": link.total,  # type: ignore[attr-defined]
            }
            for link in links
        ],
        "by_day": [{"date": row["day"].isoformat(), "clicks": row["clicks"]} for row in days],
    }


def tracked_link_destination(*, code: str) -> str | None:
    """Where a short link goes, without counting a click."""
    return TrackedLink.objects.filter(code=code).values_list("destination", flat=True).first()
