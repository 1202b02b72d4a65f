"""Tracked links: a post's links shortened on our domain, with UTM tags, and their clicks counted.

Opt-in per post (the post page's "Track links" toggle, or the API): every http(s) link of the body and
first comment gets a TrackedLink whose destination is the link with `utm_source` = the post's platform,
`utm_medium` = social and `utm_campaign` = the chosen campaign (tags the author already wrote win).
The post's metadata keeps `{enabled, campaign, links: {as written: code}}`, which content.outgoing
reads to put the short links in the outgoing text without a query.

A click is counted per link, UTC day, referring host and country (from the proxy's country header when
there is one): no IP, no user agent, no cookie, nothing that identifies a person (privacy policy).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import regex
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from content.models import ContentPost, LinkClickDay, PostStatus, TrackedLink
from content.outgoing import SHORT_LINK_PATH, first_comment_of
from content.platform_rules import HTTP_URL
from core.api.errors import ValidationFailed
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record

UTM_MEDIUM = "social"
CAMPAIGN_MAX = 100
_CAMPAIGN = regex.compile(r"^[\p{L}\p{N} _.\-]*$")
_COUNTRY = regex.compile(r"^[A-Z]{2}$")


def utm_apply(url: str, *, source: str, medium: str = UTM_MEDIUM, campaign: str = "") -> str:
    """The URL with UTM parameters added; a parameter the URL already carries is kept as written."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {name for name, _ in query}
    wanted = [("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign)]
    query += [(name, value) for name, value in wanted if value and name not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


def links_in(post: ContentPost) -> list[str]:
    """The http(s) links of the body and first comment, in order, without our own short links."""
    own = settings.SITE_URL.rstrip("/") + SHORT_LINK_PATH
    found = [m.group(0) for text in (post.content, first_comment_of(post)) for m in HTTP_URL.finditer(text)]
    return [url for url in dict.fromkeys(found) if not url.startswith(own) and len(url) <= 2000]


def campaign_clean(campaign: str) -> str:
    campaign = (campaign or "").strip()
    if len(campaign) > CAMPAIGN_MAX or not _CAMPAIGN.match(campaign):
        raise ValidationFailed(
            "The campaign may hold letters, digits, spaces, dots, dashes and underscores (at most 100).",
            details={"campaign": ["Letters, digits, spaces, . - _ only; at most 100 characters."]},
        )
    return campaign


def _new_code() -> str:
    return secrets.token_urlsafe(6)  # 8 characters, 48 random bits: not guessable one by one


def _link_for(post: ContentPost, url: str, campaign: str) -> TrackedLink:
    destination = utm_apply(url, source=post.platform or "social", campaign=campaign)
    link = TrackedLink.objects.filter(post=post, target_url=url).first()
    if link is not None:
        if (link.destination, link.campaign) != (destination, campaign):
            link.destination, link.campaign = destination, campaign
            link.save(update_fields=["destination", "campaign", "updated_at"])
        return link
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    team_id=post.team_id,
                    post=post,
                    code=_new_code(),
                    target_url=url,
                    destination=destination,
                    campaign=campaign,
                )
        except IntegrityError:
            continue  # a code collision: draw another
    raise RuntimeError("Could not allocate a unique tracked link code.")


def tracked_links_sync(*, post: ContentPost) -> None:
    """Give every link of a tracking post its short link (after an edit adds one); no-op when tracking is off."""
    tracking = dict((post.metadata or {}).get("link_tracking") or {})
    if not tracking.get("enabled"):
        return
    campaign = str(tracking.get("campaign", ""))
    links = {url: _link_for(post, url, campaign).code for url in links_in(post)}
    if links != tracking.get("links"):
        tracking["links"] = links
        post.metadata = {**(post.metadata or {}), "link_tracking": tracking}
        ContentPost.objects.filter(pk=post.pk).update(metadata=post.metadata)


@transaction.atomic
def tracked_links_set(*, ctx: TeamContext, post: ContentPost, enabled: bool, campaign: str = "") -> ContentPost:
    """Switch link tracking of a post on (with a campaign) or off. Short links already sent keep working."""
    require(ctx, Capability.CREATE_CONTENT)
    if post.team_id != ctx.team.pk:
        raise ValidationFailed("Not a post of this workspace.")
    if post.status == PostStatus.PUBLISHED:
        # Its links went out as they were: short links now would count nothing and mislead.
        raise ValidationFailed(
            "This post is already published; its links went out as written.", details={"enabled": ["Published."]}
        )
    campaign = campaign_clean(campaign)
    tracking = {"enabled": bool(enabled), "campaign": campaign, "links": {}}
    post.metadata = {**(post.metadata or {}), "link_tracking": tracking}
    ContentPost.objects.filter(pk=post.pk).update(metadata=post.metadata)
    tracked_links_sync(post=post)
    verb = "post.links_tracked" if enabled else "post.links_untracked"
    summary = f"turned link tracking {'on' if enabled else 'off'} for “{post}”"
    activity_record(team=ctx.team, actor=ctx.user, verb=verb, summary=summary, target=post)
    return post


def _referrer_host(referrer: str) -> str:
    try:
        host = urlsplit(referrer).hostname or ""
    except ValueError:
        return ""
    return host.lower()[:255]


def link_click_record(*, code: str, referrer: str = "", country: str = "", day: date | None = None) -> str | None:
    """Count one click and return where it goes, or None for an unknown code."""
    link = TrackedLink.objects.filter(code=code).only("pk", "destination").first()
    if link is None:
        return None
    country = (country or "").strip().upper()
    bucket: dict[str, Any] = {
        "link": link,
        "day": day or timezone.now().date(),
        "referrer_host": _referrer_host(referrer),
        "country": country if _COUNTRY.match(country) and country not in {"XX", "T1"} else "",
    }
    with transaction.atomic():
        row, created = LinkClickDay.objects.get_or_create(**bucket, defaults={"clicks": 1})
        if not created:
            LinkClickDay.objects.filter(pk=row.pk).update(clicks=F("clicks") + 1)
    return link.destination
