"""Publishing a post to accounts, exactly once per (post, account).

The PublishResult row is the delivery claim. An attempt starts only after a conditional UPDATE
took the row's lease (PENDING, lease free, retry time reached); the platform is called outside any
transaction; a later attempt (retry, crash recovery) reads back before posting again. Errors are
classified by the connector: transient and rate-limited wait (honouring Retry-After), auth marks
the account for reconnecting, content fails with the platform's message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from billing.entitlements import require_within_limit
from content.models import ContentPost, PostStatus
from core.api.errors import ContentBlocked
from core.metrics import publish_outcome_record
from moderation.integration import ensure_publishable, record_published
from social.models import AccountHealth, PublishResult, PublishStatus, SocialAccount, idempotency_key_for
from social.platforms.base import ConnectorError, ErrorKind, PublishedPost
from social.services.accounts import account_mark_healthy, account_record_error
from social.services.budgets import budget_release, budget_reserve
from social.services.checks import compose_text, problems_for, request_for_post
from social.services.credentials import account_credentials, connector_for_account

logger = logging.getLogger(__name__)


@dataclass
class PublishOutcome:
    results: list[PublishResult] = field(default_factory=list)
    scheduled: list[Any] = field(default_factory=list)  # scheduling.ScheduledPost rows


def publish_result_prepare(*, post: ContentPost, account: SocialAccount) -> PublishResult:
    """The one row for (post, account), created on first use; concurrent callers get the same row."""
    defaults = {"platform": account.platform, "idempotency_key": idempotency_key_for(post.pk, account.pk)}
    try:
        result, _ = PublishResult.objects.get_or_create(post=post, social_account=account, defaults=defaults)
    except IntegrityError:
        result = PublishResult.objects.get(post=post, social_account=account)
    return result


def _claim(result_id: Any, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.SOCIAL_PUBLISH_LEASE_SECONDS)
    with transaction.atomic():
        locked = PublishResult.objects.select_for_update(skip_locked=True).filter(pk=result_id).first()
        if locked is None:
            return False  # another worker holds the row right now
        claimed = (
            PublishResult.objects.filter(pk=result_id, status=PublishStatus.PENDING)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .update(claimed_until=lease, attempts=F("attempts") + 1, updated_at=now)
        )
    return bool(claimed)


def _finish(result: PublishResult, **changes: Any) -> PublishResult:
    changes.setdefault("claimed_until", None)
    changes["updated_at"] = timezone.now()
    PublishResult.objects.filter(pk=result.pk).update(**changes)
    result.refresh_from_db()
    post_status_sync(post=result.post)
    return result


def _succeed(result: PublishResult, published: PublishedPost, *, read_back: bool) -> PublishResult:
    metadata = {**(result.metadata or {}), "readBack": read_back}
    # Published text joins the near-duplicate index moderation compares new posts against.
    record_published(team=result.post.team, post_id=result.post_id, text=compose_text(result.post))
    publish_outcome_record(platform=result.platform, succeeded=True)
    return _finish(
        result,
        status=PublishStatus.SUCCESS,
        platform_post_id=published.platform_post_id,
        url=published.url[:500],
        published_at=published.published_at or timezone.now(),
        error=None,
        error_kind="",
        next_attempt_at=None,
        metadata=metadata,
    )


def _fail(result: PublishResult, message: str, kind: str) -> PublishResult:
    publish_outcome_record(platform=result.platform, succeeded=False)
    return _finish(result, status=PublishStatus.FAILED, error=message[:2000], error_kind=kind, next_attempt_at=None)


def _wait(result: PublishResult, message: str, kind: str, retry_after: int | None) -> PublishResult:
    """Stay PENDING until the retry time; give up after the configured number of attempts."""
    if result.attempts >= settings.SOCIAL_PUBLISH_MAX_ATTEMPTS:
        return _fail(result, f"Gave up after {result.attempts} attempts: {message}", kind)
    backoff = settings.SOCIAL_PUBLISH_RETRY_BASE_SECONDS * 2 ** max(result.attempts - 1, 0)
    delay = max(retry_after or 0, backoff)
    return _finish(
        result, error=message[:2000], error_kind=kind, next_attempt_at=timezone.now() + timedelta(seconds=delay)
    )


def post_status_sync(*, post: ContentPost) -> None:
    """PUBLISHED once any account has it; FAILED when every delivery failed; otherwise unchanged."""
    statuses = set(PublishResult.objects.filter(post=post).values_list("status", flat=True))
    if PublishStatus.SUCCESS in statuses:
        first = (
            PublishResult.objects.filter(post=post, status=PublishStatus.SUCCESS)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        ContentPost.objects.filter(pk=post.pk).exclude(status=PostStatus.PUBLISHED).update(
            status=PostStatus.PUBLISHED, published_at=first, updated_at=timezone.now()
        )
    elif statuses == {PublishStatus.FAILED}:
        ContentPost.objects.filter(pk=post.pk).update(status=PostStatus.FAILED, updated_at=timezone.now())


def publish_result_deliver(*, result_id: Any, http: httpx.Client | None = None) -> PublishResult:
    """One delivery attempt, if this caller wins the claim; otherwise the row as it stands."""
    now = timezone.now()
    if not _claim(result_id, now):
        return PublishResult.objects.select_related("social_account", "post").get(pk=result_id)
    result = PublishResult.objects.select_related("social_account__team", "post").get(pk=result_id)
    account = result.social_account
    if not account.is_active:
        return _fail(result, "The account was disconnected.", ErrorKind.AUTH)
    if account.health == AccountHealth.NEEDS_RECONNECT:
        return _fail(result, f"Reconnect {account.account_name} to publish: {account.last_error}", ErrorKind.AUTH)

    request = request_for_post(post=result.post, account=account, idempotency_key=result.idempotency_key)
    blocking = [
        p for p in problems_for(platform=account.platform, request=request, account=account) if p.severity == "error"
    ]
    if blocking:
        return _fail(result, " ".join(p.message for p in blocking), ErrorKind.CONTENT)
    try:
        # Checked again at delivery: the text or the team's policy may have changed since scheduling.
        ensure_publishable(
            team=account.team,
            text=compose_text(result.post),
            platform=account.platform,
            post_id=str(result.post_id),
            author=result.post.author,
        )
    except ContentBlocked as exc:
        return _fail(result, f"Moderation: {exc.message}", ErrorKind.CONTENT)

    connector = connector_for_account(account, http=http)
    creds = account_credentials(account)
    reserved = False
    try:
        if result.attempts > 1 or result.platform_post_id:
            # An earlier attempt may have reached the platform before we heard back.
            existing = (
                connector.fetch_post(creds, result.platform_post_id)
                if result.platform_post_id
                else connector.find_existing(creds, request)
            )
            if existing is not None:
                logger.info("publish read back an earlier delivery", extra={"publish_result": str(result.pk)})
                return _succeed(result, existing, read_back=True)
        exhausted = budget_reserve(account)
        if exhausted is not None:
            PublishResult.objects.filter(pk=result.pk).update(attempts=F("attempts") - 1)
            result.refresh_from_db(fields=["attempts"])
            wait = int((exhausted.resets_at - timezone.now()).total_seconds()) + 1
            return _wait(
                result, f"Posting budget used ({exhausted.limit}); waiting for the reset.", ErrorKind.RATE_LIMITED, wait
            )
        reserved = True
        published = connector.publish(creds, request)
    except ConnectorError as exc:
        return _handle_error(result, account, exc, reserved=reserved)
    except httpx.HTTPError as exc:
        error = ConnectorError(f"Network error: {type(exc).__name__}", kind=ErrorKind.TRANSIENT)
        return _handle_error(result, account, error, reserved=reserved)
    if account.health != AccountHealth.HEALTHY:
        account_mark_healthy(account=account)
    logger.info("published", extra={"publish_result": str(result.pk), "platform": account.platform})
    return _succeed(result, published, read_back=False)


def _handle_error(
    result: PublishResult, account: SocialAccount, error: ConnectorError, *, reserved: bool
) -> PublishResult:
    logger.warning(
        "publish failed",
        extra={"publish_result": str(result.pk), "kind": str(error.kind), "status": error.status},
    )
    if reserved and error.kind in (ErrorKind.AUTH, ErrorKind.CONTENT):
        budget_release(account)  # refused outright: nothing was posted
    account_record_error(account=account, error=error)
    if error.kind == ErrorKind.AUTH:
        return _fail(result, f"Reconnect the account: {error.message}", ErrorKind.AUTH)
    if error.kind == ErrorKind.CONTENT:
        return _fail(result, error.message, ErrorKind.CONTENT)
    return _wait(result, error.message, error.kind, error.retry_after)


def publish_result_retry(*, result: PublishResult) -> PublishResult:
    """A person asked to try a failed delivery again: back to PENDING, read-back still applies."""
    PublishResult.objects.filter(pk=result.pk, status=PublishStatus.FAILED).update(
        status=PublishStatus.PENDING, next_attempt_at=None, claimed_until=None, updated_at=timezone.now()
    )
    return publish_result_deliver(result_id=result.pk)


def post_publish(
    *,
    post: ContentPost,
    accounts: list[SocialAccount],
    publish_at: datetime | None = None,
    tz: str = "UTC",
    http: httpx.Client | None = None,
) -> PublishOutcome:
    """Publish now (one attempt per account, in this request) or store the schedule for later."""
    posts_ensure_publishable(posts=[post], accounts=accounts)
    if publish_at is not None and publish_at > timezone.now() + timedelta(seconds=30):
        return PublishOutcome(scheduled=post_schedule_for_accounts(post=post, accounts=accounts, at=publish_at, tz=tz))
    outcome = PublishOutcome()
    for account in accounts:
        result = publish_result_prepare(post=post, account=account)
        outcome.results.append(publish_result_deliver(result_id=result.pk, http=http))
    return outcome


def posts_ensure_publishable(*, posts: list[ContentPost], accounts: list[SocialAccount]) -> None:
    """422 CONTENT_BLOCKED before anything is sent when moderation blocks (or holds for review) a post."""
    platforms = sorted({a.platform for a in accounts})
    for post in posts:
        text = compose_text(post)
        for platform in platforms:
            ensure_publishable(team=post.team, text=text, platform=platform, post_id=str(post.pk), author=post.author)


def post_schedule_for_accounts(*, post: ContentPost, accounts: list[SocialAccount], at: datetime, tz: str) -> list[Any]:
    """PENDING ScheduledPost rows, one per account; the scheduling dispatcher publishes them."""
    scheduled_post = apps.get_model("scheduling", "ScheduledPost")
    with transaction.atomic():
        pending = scheduled_post.objects.filter(post__team=post.team, status="PENDING").count()
        require_within_limit(post.team, "max_scheduled_posts", current=pending, adding=len(accounts))
        rows = [
            scheduled_post.objects.create(
                post=post, social_account=account, platform=account.platform, scheduled_at=at, timezone=tz
            )
            for account in accounts
        ]
        ContentPost.objects.filter(pk=post.pk).update(status=PostStatus.SCHEDULED, scheduled_at=at)
    return rows


def publish_results_due(*, now: datetime | None = None, limit: int = 200) -> list[str]:
    """PENDING deliveries whose retry time came or whose worker died holding the lease."""
    now = now or timezone.now()
    due = (
        PublishResult.objects.filter(status=PublishStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return [str(pk) for pk in due]
