"""RSS and Atom feeds to drafts: subscribe, fetch (conditional GET through the address guard), import.

Each new entry becomes a draft through `content.services.post_create` (optionally written by the AI
writer in the brand's voice first) and, when the feed names an account, joins that account's queue
through `scheduling.queueing.queue_add`, the same paths a person's draft and "Add to queue" take.
"""

from __future__ import annotations

import html
import io
import logging
import re
from datetime import timedelta
from typing import Any

import feedparser
import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from content import platform_rules
from content.models import Brand, ContentPost, GenerationKind
from content.services import brief_build, content_generate, post_create
from core.api.errors import ApiError, ConflictError, ValidationFailed
from core.netguard import GENERIC_MESSAGE, DestinationRefused, guarded_client
from integrations.destinations import destination_check
from integrations.models import Feed, FeedItem
from scheduling.queueing import queue_add
from social.models import SocialAccount
from teams.permissions import Capability, TeamContext, require, team_context

logger = logging.getLogger(__name__)

USER_AGENT = "ContentGenAI-Feeds/1.0 (+https://contentgen.ai)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_client: httpx.Client | None = None


def _http() -> httpx.Client:
    global _client
    if _client is None:
        _client = guarded_client(
            timeout=settings.FEED_TIMEOUT_SECONDS, max_bytes=settings.FEED_MAX_BYTES, follow_redirects=True
        )
    return _client


# Subscriptions --------------------------------------------------------------------------------


def _options_clean(ctx: TeamContext, *, platform: str, brand: Brand | None, queue_account: SocialAccount | None) -> str:
    for row, field in ((brand, "brandId"), (queue_account, "queueAccountId")):
        if row is not None and row.team_id != ctx.team.pk:
            raise ValidationFailed("Choose one of this workspace's own.", details={field: ["Unknown."]})
    if queue_account is not None:
        require(ctx, Capability.PUBLISH)  # queued drafts get published without anyone pressing a button
        return queue_account.platform
    platform = platform_rules.normalize_platform(platform)
    if platform:
        try:
            platform_rules.rule_for(platform)
        except KeyError as exc:
            raise ValidationFailed("Unknown platform.", details={"platform": ["Unknown platform."]}) from exc
    return platform


def feed_create(
    *,
    ctx: TeamContext,
    url: str,
    title: str = "",
    rewrite_with_ai: bool = False,
    platform: str = "",
    brand: Brand | None = None,
    queue_account: SocialAccount | None = None,
) -> Feed:
    require(ctx, Capability.CREATE_CONTENT)
    url = destination_check(url=url)
    platform = _options_clean(ctx, platform=platform, brand=brand, queue_account=queue_account)
    if Feed.objects.filter(team=ctx.team, url=url).exists():
        raise ConflictError("This workspace already follows that feed.", details={"url": ["Already followed."]})
    feed = Feed.objects.create(
        team=ctx.team,
        url=url,
        title=title.strip()[:200],
        rewrite_with_ai=rewrite_with_ai,
        platform=platform,
        brand=brand,
        queue_account=queue_account,
        created_by=ctx.user,
    )
    feed_fetch_request(feed=feed)
    return feed


def feed_update(*, ctx: TeamContext, feed: Feed, changes: dict[str, Any]) -> Feed:
    """`changes` may hold title, is_active, rewrite_with_ai, platform, brand, queue_account."""
    require(ctx, Capability.CREATE_CONTENT)
    for name in ("title", "is_active", "rewrite_with_ai", "brand", "queue_account", "platform"):
        if name in changes:
            setattr(feed, name, changes[name].strip()[:200] if name == "title" else changes[name])
    feed.platform = _options_clean(ctx, platform=feed.platform, brand=feed.brand, queue_account=feed.queue_account)
    feed.save()
    return feed


def feed_delete(*, ctx: TeamContext, feed: Feed) -> None:
    """Stop following; drafts made from it stay."""
    require(ctx, Capability.CREATE_CONTENT)
    feed.delete()


def feed_fetch_request(*, feed: Feed) -> None:
    from integrations.tasks import fetch_feed

    feed_id = str(feed.pk)
    transaction.on_commit(lambda: fetch_feed.delay(feed_id))


def feeds_due(*, limit: int = 500) -> list[str]:
    stale = timezone.now() - timedelta(seconds=settings.FEED_FETCH_INTERVAL_SECONDS)
    due = (
        Feed.objects.filter(is_active=True)
        .filter(Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lt=stale))
        .order_by("last_fetched_at")
        .values_list("pk", flat=True)[:limit]
    )
    return [str(pk) for pk in due]


# Fetching -------------------------------------------------------------------------------------


def _record(feed: Feed, *, status: int | None, error: str = "", **changes: Any) -> None:
    Feed.objects.filter(pk=feed.pk).update(
        last_fetched_at=timezone.now(), last_status=status, last_error=error[:300], **changes
    )


def feed_fetch(*, feed_id: Any) -> int:
    """Fetch the feed once; the number of drafts it added."""
    feed = Feed.objects.select_related("team__owner", "brand", "queue_account", "created_by").filter(pk=feed_id).first()
    if feed is None or not feed.is_active:
        return 0
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        response = _http().get(feed.url, headers=headers)
        body = response.content
    except DestinationRefused as exc:
        logger.warning("feed refused", extra={"feed": str(feed.pk), "reason": exc.reason})
        _record(feed, status=None, error=str(GENERIC_MESSAGE))
        return 0
    except httpx.HTTPError as exc:
        _record(feed, status=None, error=_("Could not fetch the feed.") + f" ({type(exc).__name__})")
        return 0
    if response.status_code == 304:
        _record(feed, status=304)
        return 0
    if response.status_code != 200:
        _record(feed, status=response.status_code, error=_("The feed answered HTTP %s.") % response.status_code)
        return 0
    # A stream, never bytes: feedparser would try to open a bytes value as a local file name.
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers={"content-type": response.headers.get("content-type", "")}
    )
    if parsed.bozo and not parsed.entries:
        _record(feed, status=200, error=_("This is not an RSS or Atom feed."))
        return 0
    try:
        added = _import_entries(feed, list(parsed.entries[: settings.FEED_MAX_ITEMS_PER_FETCH]))
    except ApiError as exc:  # nobody left who may write drafts: say so on the feed, keep the validators
        _record(feed, status=200, error=exc.message)
        return 0
    _record(
        feed,
        status=200,
        etag=response.headers.get("etag", "")[:300],
        last_modified=response.headers.get("last-modified", "")[:100],
        title=feed.title or _plain(str(parsed.feed.get("title", "")))[:200],
    )
    return added


# Importing ------------------------------------------------------------------------------------


def _plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(markup))).strip()


def _author_context(feed: Feed) -> TeamContext:
    for user in (feed.created_by, feed.team.owner):
        if user is None:
            continue
        try:
            ctx = team_context(user=user, requested_team_id=str(feed.team_id))
        except Http404:  # the person who added the feed left the workspace
            continue
        if ctx.can(Capability.CREATE_CONTENT):
            return ctx
    raise ValidationFailed("Nobody in the workspace can write drafts for this feed.")


def _import_entries(feed: Feed, entries: list[Any]) -> int:
    keyed = [((str(e.get("id") or ""))[:500], (str(e.get("link") or ""))[:2000], e) for e in entries]
    keyed = [(guid, link, e) for guid, link, e in keyed if guid or link]
    seen = FeedItem.objects.filter(team_id=feed.team_id).filter(
        Q(guid__in=[g for g, _l, _e in keyed if g]) | Q(link__in=[lk for _g, lk, _e in keyed if lk])
    )
    known = {value for pair in seen.values_list("guid", "link") for value in pair if value}
    fresh = [(g, lk, e) for g, lk, e in keyed if not ({g, lk} - {""}) & known]
    if not fresh:
        return 0
    ctx = _author_context(feed)
    added = 0
    for guid, link, entry in reversed(fresh):  # feeds list newest first; drafts are made oldest first
        try:
            with transaction.atomic():
                item = FeedItem.objects.create(
                    team_id=feed.team_id,
                    feed=feed,
                    guid=guid,
                    link=link,
                    title=_plain(str(entry.get("title", "")))[:300],
                )
        except IntegrityError:  # a concurrent fetch, or the same article twice in this feed
            continue
        _draft_for(feed, ctx, item, entry)
        added += 1 if item.post_id else 0
    return added


def _fit(platform: str, title: str, summary: str, link: str) -> str:
    def compose(text: str) -> str:
        return "\n\n".join(part for part in (title, text, link) if part)

    if not platform:
        return compose(summary[:2000])
    while summary and not platform_rules.fits(platform, compose(summary)):
        summary = summary[: int(len(summary) * 0.8)].rsplit(" ", 1)[0].rstrip(".,;: ") + "…"
        if len(summary) < 20:
            summary = ""
    return compose(summary)


def _rewritten(feed: Feed, ctx: TeamContext, title: str, summary: str, link: str) -> tuple[str, list[str]]:
    brief = brief_build(
        kind=GenerationKind.CAPTION,
        topic=title or link,
        platform=feed.platform,
        brand=feed.brand,
        source_text=f"{title}\n\n{summary}\n\n{link}",
    )
    shaped = content_generate(ctx=ctx, brief=brief).first.shaped
    content = shaped.content
    if link and link not in content:
        with_link = f"{content}\n\n{link}"
        if not feed.platform or platform_rules.fits(feed.platform, with_link):
            content = with_link
    return content, list(shaped.hashtags)


def _draft_for(feed: Feed, ctx: TeamContext, item: FeedItem, entry: Any) -> None:
    title = _plain(str(entry.get("title", "")))
    summary = _plain(str(entry.get("summary", "")))
    notes: list[str] = []
    content = _fit(feed.platform, title, summary, item.link)
    hashtags: list[str] = []
    if feed.rewrite_with_ai:
        try:
            content, hashtags = _rewritten(feed, ctx, title, summary, item.link)
        except ApiError as exc:
            notes.append(_("Kept the feed's text: the AI writer failed (%s).") % exc.message)
    source = {"kind": "feed", "feed_id": str(feed.pk), "guid": item.guid, "link": item.link}
    try:
        with transaction.atomic():
            post: ContentPost = post_create(
                ctx=ctx,
                title=title[:255],
                content=content,
                hashtags=hashtags,
                platform=feed.platform,
                brand=feed.brand,
                metadata={"source": source},
            )
    except ApiError as exc:
        FeedItem.objects.filter(pk=item.pk).update(note=(_("No draft: %s") % exc.message)[:300])
        return
    item.post = post
    if feed.queue_account is not None and feed.queue_account.is_active:
        try:
            with transaction.atomic():
                queue_add(post=post, account=feed.queue_account)
        except ApiError as exc:
            notes.append(_("Not queued: %s") % exc.message)
    FeedItem.objects.filter(pk=item.pk).update(post=post, note=" ".join(notes)[:300])
