"""Pre-publish checks: what each platform (and each account) would refuse, shown before publishing.

Also builds the PublishRequest the connectors get from `content.outgoing.outgoing_for` (the one
builder of a post's outgoing text), so the checked text is exactly the posted text; long text is
split into a thread where the platform has threads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch

from content.models import ContentPost
from content.outgoing import outgoing_for
from content.platform_rules import count_characters, fits, rule_for, split_thread
from social.models import MediaAsset, PostMedia, SocialAccount
from social.platforms.base import MediaItem, PostCharge, Problem, PublishRequest
from social.platforms.checks import standard_problems
from social.platforms.registry import get_connector
from social.services.credentials import account_credentials
from social.services.media import media_item

# Where the connector posts a first comment: a reply right under the post on the thread platforms.
# (LinkedIn, Facebook and Instagram comments need extra permissions the connectors do not ask for.)
FIRST_COMMENT_PLATFORMS = frozenset({"twitter", "mastodon", "bluesky", "sandbox"})


@dataclass
class PlatformCheck:
    platform: str
    label: str
    char_count: int
    char_limit: int
    problems: list[Problem] = field(default_factory=list)
    thread: list[str] = field(default_factory=list)
    account: SocialAccount | None = None
    charge: PostCharge | None = None  # what the platform bills the app for this post (X)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def char_limit_for(platform: str, account: SocialAccount | None) -> int:
    """A Mastodon server sets its own limit; the account remembers it from when it connected."""
    override = (account.metadata or {}).get("max_characters") if account is not None else None
    return int(override) if override else rule_for(platform).max_chars


def build_request(
    *,
    platform: str,
    text: str,
    account: SocialAccount | None = None,
    media: Sequence[MediaItem] = (),
    first_comment: str = "",
    title: str = "",
    idempotency_key: str = "",
) -> PublishRequest:
    limit = char_limit_for(platform, account)
    parts = [text]
    if rule_for(platform).threads and not fits(platform, text, limit=limit):
        parts = split_thread(platform, text, limit=limit)
    return PublishRequest(
        text=parts[0],
        thread=parts[1:],
        idempotency_key=idempotency_key,
        media=list(media),
        first_comment=first_comment,
        title=title,
    )


def media_prefetch(path: str = "media_links") -> Prefetch:
    """Prefetch a post's media with their assets, for building many publish requests at once."""
    return Prefetch(path, queryset=PostMedia.objects.select_related("asset"))


def request_for_post(*, post: ContentPost, account: SocialAccount, idempotency_key: str) -> PublishRequest:
    # A batch loads the links with `media_prefetch`; a single post reads them here.
    prefetched = getattr(post, "_prefetched_objects_cache", {}).get("media_links")
    links = prefetched if prefetched is not None else post.media_links.select_related("asset")
    assets = [link.asset for link in links]
    outgoing = outgoing_for(post)
    return build_request(
        platform=account.platform,
        text=outgoing.text,
        account=account,
        media=[media_item(a) for a in assets],
        first_comment=outgoing.first_comment,
        title=post.title,
        idempotency_key=idempotency_key,
    )


def problems_for(*, platform: str, request: PublishRequest, account: SocialAccount | None) -> list[Problem]:
    connector = get_connector(platform)
    creds = account_credentials(account) if account is not None else None
    problems = connector.validate(request, account=creds)
    limit = char_limit_for(platform, account)
    codes = {p.code for p in problems}
    if not fits(platform, request.text, limit=limit) and not codes & {"too_long", "too_long_thread"}:
        problems += [p for p in standard_problems(platform, request, char_limit=limit) if p.code == "too_long"]
    if request.thread:
        problems.append(
            Problem("thread", f"Posted as a thread of {len(request.thread) + 1} parts.", "warning", "content")
        )
    if request.first_comment and platform not in FIRST_COMMENT_PLATFORMS:
        problems.append(
            Problem(
                "first_comment_unsupported",
                f"The first comment is not posted to {rule_for(platform).label}.",
                "warning",
                "firstComment",
            )
        )
    return problems


def checks_run(
    *,
    text: str,
    platforms: Iterable[str] = (),
    accounts: Iterable[SocialAccount] = (),
    media: Sequence[MediaAsset] = (),
    first_comment: str = "",
) -> list[PlatformCheck]:
    """One check per account (account limits apply) or, for bare platform names, per platform."""
    items = [media_item(asset) for asset in media]
    targets: list[tuple[str, SocialAccount | None]] = [(a.platform, a) for a in accounts]
    targets += [(p, None) for p in platforms]
    results = []
    for platform, account in targets:
        request = build_request(platform=platform, text=text, account=account, media=items, first_comment=first_comment)
        results.append(
            PlatformCheck(
                platform=platform,
                label=rule_for(platform).label,
                char_count=count_characters(platform, text),
                char_limit=char_limit_for(platform, account),
                problems=problems_for(platform=platform, request=request, account=account),
                thread=[request.text, *request.thread] if request.thread else [],
                account=account,
                charge=get_connector(platform).post_charge(request),
            )
        )
    return results
