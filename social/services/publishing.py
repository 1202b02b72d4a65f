"""Publishing a post to accounts, exactly once per (post, account).

The PublishResult row is the delivery claim. An attempt starts only after a conditional UPDATE
took the row's lease (PENDING, lease free, retry time reached); the platform is called outside any
transaction; a later attempt (retry, crash recovery) reads back before posting again. Errors are
classified by the connector: transient and rate-limited wait (honouring Retry-After), auth marks
the account for reconnecting, content fails with the platform's message.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.db.models import F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from content.models import ContentPost, PostStatus
from content.outgoing import outgoing_for
from content.workflow import approval_passed
from core.api.errors import ConflictError, ContentBlocked, ValidationFailed
from core.events import POST_FAILED, POST_PUBLISHED, ProductEvent, events_emit, post_summary
from core.metrics import publish_outcome_record
from moderation.integration import (
    ModerationResult,
    TextCheck,
    ensure_publishable,
    ensure_publishable_many,
    record_published,
    record_published_many,
)
from social.models import AccountHealth, PublishResult, PublishStatus, SocialAccount, idempotency_key_for
from social.platforms.base import ConnectorError, ErrorKind, PublishedPost
from social.services.accounts import account_mark_healthy, account_record_error
from social.services.budgets import Budget, budget_release, budget_reserve_many, platform_budget, platform_budget_record
from social.services.checks import media_prefetch, problems_for, request_for_post
from social.services.credentials import account_credentials, connector_for_account
from social.services.leases import LeaseKeeper

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


def publish_results_prepare(*, deliveries: Sequence[tuple[Any, Any, str]]) -> None:
    """`publish_result_prepare` for many `(post id, account id, platform)` in two queries; existing rows
    are kept."""
    if not deliveries:
        return
    existing = set(
        PublishResult.objects.filter(
            post_id__in={post_id for post_id, _, _ in deliveries},
            social_account_id__in={account_id for _, account_id, _ in deliveries},
        ).values_list("post_id", "social_account_id")
    )
    missing = {
        (post_id, account_id): platform
        for post_id, account_id, platform in deliveries
        if (post_id, account_id) not in existing
    }
    PublishResult.objects.bulk_create(
        [
            PublishResult(
                post_id=post_id,
                social_account_id=account_id,
                platform=platform,
                idempotency_key=idempotency_key_for(post_id, account_id),
            )
            for (post_id, account_id), platform in missing.items()
        ],
        ignore_conflicts=True,  # a concurrent caller created it: the unique pair keeps one row
    )


def update_returning(queryset: QuerySet[Any], fields: Sequence[str], **values: Any) -> list[dict[str, Any]]:
    """`queryset.update(**values)` in one statement that also returns `fields` of every row it changed.

    A conditional UPDATE is how a claim is taken; RETURNING tells which rows this caller won (and
    their fresh state) without a second query and without trusting a row lock SQLite does not have.
    The filter must be on the model's own table (no joins). PostgreSQL and SQLite >= 3.35.
    """
    query = queryset.query.chain(UpdateQuery)
    assert isinstance(query, UpdateQuery)
    query.add_update_values(values)
    connection = connections[queryset.db]
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return []
    model_fields = [queryset.model._meta.get_field(name) for name in fields]
    columns = [f.get_col(queryset.model._meta.db_table) for f in model_fields]  # type: ignore[union-attr]
    returning = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)  # type: ignore[union-attr]
    with transaction.mark_for_rollback_on_error(queryset.db), connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {returning}", params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        item = {}
        for name, column, raw in zip(fields, columns, row, strict=True):
            value = raw
            for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
                value = converter(value, column, connection)
            item[name] = value
        out.append(item)
    return out


def update_each(rows: Sequence[Any], fields: Sequence[str]) -> int:
    """Save `fields` of many rows of one model, each with its own values, in one UPDATE.

    The values travel as a VALUES list joined on the primary key. bulk_update builds a CASE per row
    and field instead, whose compiling cost a delivery batch more than all its other statements.
    PostgreSQL and SQLite >= 3.33 (UPDATE ... FROM).
    """
    if not rows or not fields:
        return 0
    model = type(rows[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    targets = [meta.get_field(name) for name in fields]
    postgres = connection.vendor == "postgresql"

    def cast(expr: str, f: Any) -> str:
        # PostgreSQL types a VALUES column from its first row (NULL is text); SQLite keeps what it is given.
        return f"CAST({expr} AS {f.db_type(connection)})" if postgres else expr

    names = [f"column{i}" for i in range(1, len(targets) + 2)]  # what both databases call VALUES' columns
    row_sql = "(" + ", ".join(["%s"] * len(names)) + ")"
    params: list[Any] = []
    for row in rows:
        params.append(pk.get_db_prep_save(row.pk, connection))
        params += [f.get_db_prep_save(getattr(row, f.attname), connection) for f in targets]  # type: ignore[union-attr]
    table = quote(meta.db_table)
    assignments = ", ".join(
        f"{quote(f.column)} = {cast(f'v.{name}', f)}"  # type: ignore[union-attr]
        for f, name in zip(targets, names[1:], strict=True)
    )
    sql = (
        f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v "  # noqa: S608
        f"WHERE {table}.{quote(pk.column)} = {cast('v.column1', pk)}"
    )
    with transaction.mark_for_rollback_on_error(connection.alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


_CLAIMED_FIELDS = ["id", "attempts", "platform_post_id", "metadata", "error", "error_kind", "next_attempt_at"]


def _claim_many(results: list[PublishResult], now: datetime, lease: datetime) -> set[Any]:
    """Take the lease of every delivery in `results` that is free and due, in one conditional UPDATE.

    Returns the ids won; their objects are refreshed with the state the UPDATE returned. The caller
    keeps the lease renewed while it works (`social.services.leases`).
    """
    if not results:
        return set()
    by_id = {r.pk: r for r in results}
    won = update_returning(
        PublishResult.objects.filter(pk__in=list(by_id), status=PublishStatus.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)),
        _CLAIMED_FIELDS,
        claimed_until=lease,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    ids = set()
    for row in won:
        result = by_id[row.pop("id")]
        for name, value in row.items():
            setattr(result, name, value)
        result.status, result.claimed_until, result.updated_at = PublishStatus.PENDING, lease, now
        ids.add(result.pk)
    return ids


@dataclass
class _Reserved:
    """Posts of an account's budget a batch reserved and has not used yet, and when (which windows)."""

    account: SocialAccount
    left: int
    at: float


@dataclass
class _Batch:
    """What a batch of deliveries shares: moderation decided for all of them up front (once per post
    and platform, whatever the number of its accounts), and what is written once at the end rather
    than after every delivery: the outcomes, the published texts' fingerprints, the posts' status.

    Writing outcomes at the end keeps exactly-once: until then each delivery still holds its lease,
    and a worker that dies before the write leaves them to lease expiry, where the next attempt reads
    back what the platform already has before posting (attempts > 1)."""

    post_ids: set[Any] = field(default_factory=set)
    verdicts: dict[Any, ModerationResult | ContentBlocked] = field(default_factory=dict)
    finished: list[tuple[PublishResult, tuple[str, ...]]] = field(default_factory=list)
    published: list[tuple[Any, Any, str]] = field(default_factory=list)
    events: list[ProductEvent] = field(default_factory=list)
    unstarted: Counter[Any] = field(default_factory=Counter)  # claimed deliveries per account not begun yet
    budgets: dict[Any, _Reserved] = field(default_factory=dict)  # per account: posts reserved and not used yet

    def budget_take(self, account: SocialAccount) -> Budget | None:
        """One post from the account's posting budget; the exhausted window's budget when there is none.

        The first delivery to an account reserves for every delivery to it the batch has not begun yet, in
        one cache round trip per window rather than one per post; what was not used is given back to the
        same windows when the batch is written. A worker that dies mid-batch holds its reservation until
        the windows reset."""
        reserved = self.budgets.get(account.pk)
        if reserved is None or reserved.left == 0:
            at = time.time()
            left, exhausted = budget_reserve_many(account, 1 + self.unstarted[account.pk], now=at)
            if left == 0:
                return exhausted
            reserved = self.budgets[account.pk] = _Reserved(account, left, at)
        reserved.left -= 1
        return None

    def budget_give_back(self, account: SocialAccount) -> None:
        """A post taken with `budget_take` was certainly not posted: back to the reservation."""
        self.budgets[account.pk].left += 1

    def write(self) -> None:
        """The batch's outcomes: one UPDATE per kind of outcome, one upsert of fingerprints; then their
        events, together (webhooks read a team's subscriptions once for all of them)."""
        groups: dict[tuple[str, ...], list[PublishResult]] = {}
        for result, fields in self.finished:
            groups.setdefault(fields, []).append(result)
        self.finished = []
        now = timezone.now()
        for fields, rows in groups.items():
            # What every row of the group shares goes in a plain UPDATE (status, errors, lease, time); only
            # the rest travels row by row, as one UPDATE ... FROM (VALUES ...) (`update_each`).
            for row in rows:
                row.updated_at = now
            same = {f: getattr(rows[0], f) for f in fields if all(getattr(r, f) == getattr(rows[0], f) for r in rows)}
            if same:
                PublishResult.objects.filter(pk__in=[r.pk for r in rows]).update(**same)
            varying = [f for f in fields if f not in same]
            if varying:
                update_each(rows, varying)
        if self.published:
            # Published text joins the near-duplicate index moderation compares new posts against.
            record_published_many(items=self.published)
            self.published = []
        posts_status_sync(post_ids=self.post_ids)
        self.post_ids = set()
        budgets, self.budgets = self.budgets, {}
        for reserved in budgets.values():
            if reserved.left:
                budget_release(reserved.account, reserved.left, now=reserved.at)
        events, self.events = self.events, []
        events_emit(events)


def _moderate_batch(results: list[PublishResult]) -> dict[Any, ModerationResult | ContentBlocked]:
    """The delivery-time moderation of a batch, team by team, in a few queries per team."""
    by_team: dict[Any, list[PublishResult]] = {}
    for result in results:
        by_team.setdefault(result.social_account.team_id, []).append(result)
    verdicts: dict[Any, ModerationResult | ContentBlocked] = {}
    for rows in by_team.values():
        # One decision per post and platform: a post going to three accounts is checked once.
        checks: dict[TextCheck, list[PublishResult]] = {}
        for r in rows:
            item = TextCheck(
                text=outgoing_for(r.post).moderated,
                platform=r.social_account.platform,
                post_id=str(r.post_id),
                author=r.post.author,
            )
            checks.setdefault(item, []).append(r)
        team = rows[0].social_account.team
        items = list(checks)
        for item, verdict in zip(items, ensure_publishable_many(team=team, items=items), strict=True):
            for row in checks[item]:
                verdicts[row.pk] = verdict
    return verdicts


def _finish(result: PublishResult, batch: _Batch | None = None, **changes: Any) -> PublishResult:
    changes.setdefault("claimed_until", None)
    changes["updated_at"] = timezone.now()
    for name, value in changes.items():
        setattr(result, name, value)
    if batch is not None:
        batch.finished.append((result, tuple(sorted(changes))))
        batch.post_ids.add(result.post_id)
    else:
        PublishResult.objects.filter(pk=result.pk).update(**changes)
        post_status_sync(post=result.post)
    return result


def _succeed(
    result: PublishResult, published: PublishedPost, *, read_back: bool, batch: _Batch | None = None
) -> PublishResult:
    metadata = {**(result.metadata or {}), "readBack": read_back}
    text = outgoing_for(result.post).text
    if batch is not None:
        batch.published.append((result.post.team_id, result.post_id, text))
    else:
        # Published text joins the near-duplicate index moderation compares new posts against.
        record_published(team=result.post.team, post_id=result.post_id, text=text)
    publish_outcome_record(platform=result.platform, succeeded=True)
    finished = _finish(
        result,
        batch,
        status=PublishStatus.SUCCESS,
        platform_post_id=published.platform_post_id,
        url=published.url[:500],
        published_at=published.published_at or timezone.now(),
        error=None,
        error_kind="",
        next_attempt_at=None,
        metadata=metadata,
    )
    _announce(POST_PUBLISHED, finished, batch)
    return finished


def _announce(name: str, result: PublishResult, batch: _Batch | None) -> None:
    """The outcome's event: with the batch's when it has one (sent once its outcomes are written)."""
    published_at = result.published_at
    event = ProductEvent(
        name=name,
        team_id=result.social_account.team_id,
        data={
            "post": post_summary(result.post),
            "result": {
                "id": str(result.pk),
                "account_id": str(result.social_account_id),
                "platform": result.platform,
                "status": result.status,
                "platform_post_id": result.platform_post_id,
                "url": result.url,
                "published_at": published_at.isoformat() if published_at else None,
                "error": result.error,
            },
        },
    )
    if batch is not None:
        batch.events.append(event)
    else:
        events_emit([event])


def _fail(result: PublishResult, message: str, kind: str, batch: _Batch | None = None) -> PublishResult:
    publish_outcome_record(platform=result.platform, succeeded=False)
    finished = _finish(
        result, batch, status=PublishStatus.FAILED, error=message[:2000], error_kind=kind, next_attempt_at=None
    )
    _announce(POST_FAILED, finished, batch)
    return finished


def retry_delay_seconds(failed_attempts: int) -> int | None:
    """Seconds to wait after the `failed_attempts`-th failed attempt in a row; None when retries are used up.

    `SCHEDULING_RETRY_DELAYS` (env `SCHEDULE_RETRY_DELAYS`, default 60,300,1800) is the whole policy:
    one retry per entry, so the defaults retry after 1, 5 and 30 minutes and then give up.
    """
    delays = list(settings.SCHEDULING_RETRY_DELAYS)
    if failed_attempts < 1:
        return 0  # nothing failed (a posting budget is waited for): only the reset time counts
    if failed_attempts > len(delays):
        return None
    return int(delays[failed_attempts - 1])


def _wait(
    result: PublishResult, message: str, kind: str, retry_after: int | None, batch: _Batch | None = None
) -> PublishResult:
    """Stay PENDING until the retry time; FAILED once every configured retry was used."""
    # "Retry now" starts a fresh round of retries: count only the attempts since it was pressed.
    failed = result.attempts - int((result.metadata or {}).get("retryFrom", 0))
    backoff = retry_delay_seconds(failed)
    if backoff is None:
        return _fail(result, f"Gave up after {failed} attempts: {message}", kind, batch)
    delay = max(retry_after or 0, backoff)
    return _finish(
        result,
        batch,
        error=message[:2000],
        error_kind=kind,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )


def post_status_sync(*, post: ContentPost) -> None:
    """PUBLISHED once any account has it; FAILED when every delivery failed; otherwise unchanged."""
    posts_status_sync(post_ids=[post.pk])


def posts_status_sync(*, post_ids: Iterable[Any]) -> None:
    """`post_status_sync` for many posts in at most three queries."""
    ids = list(post_ids)
    if not ids:
        return
    statuses: dict[Any, set[str]] = {}
    for post_id, status in PublishResult.objects.filter(post_id__in=ids).values_list("post_id", "status"):
        statuses.setdefault(post_id, set()).add(status)
    published = [pk for pk, seen in statuses.items() if PublishStatus.SUCCESS in seen]
    failed = [pk for pk, seen in statuses.items() if seen == {PublishStatus.FAILED}]
    now = timezone.now()
    if published:
        # The success filter goes in the aggregate, not the WHERE: there it let PostgreSQL pair the post's
        # index with the status index, reading every successful delivery ever for each post (0.5 ms each).
        first = (
            PublishResult.objects.filter(post_id=OuterRef("pk"))
            .values("post_id")
            .annotate(first=Min("published_at", filter=Q(status=PublishStatus.SUCCESS)))
            .values("first")
        )
        ContentPost.objects.filter(pk__in=published).exclude(status=PostStatus.PUBLISHED).update(
            status=PostStatus.PUBLISHED, published_at=Subquery(first), updated_at=now
        )
    if failed:
        ContentPost.objects.filter(pk__in=failed).update(status=PostStatus.FAILED, updated_at=now)


def publish_result_deliver(*, result_id: Any, http: httpx.Client | None = None) -> PublishResult:
    """One delivery attempt, if this caller wins the claim; otherwise the row as it stands."""
    return publish_results_deliver(result_ids=[result_id], http=http)[0]


def publish_results_deliver(*, result_ids: Sequence[Any], http: httpx.Client | None = None) -> list[PublishResult]:
    """One attempt for each delivery this caller wins the claim of, in order; the rows as they stand.

    What every attempt reads (post, author, account, team) is loaded once for the whole list, the
    claims are taken in one statement, and moderation decides for the whole list at once (once per
    post and platform); the outcomes and the published texts' fingerprints are written together at
    the end. A worker dying mid-list leaves its deliveries to lease expiry and read-back (attempts > 1
    always asks the platform first), never to a blind repost.

    Leases: every claim is held for SOCIAL_PUBLISH_LEASE_SECONDS and renewed while this call works
    (`social.services.leases`); a delivery is started only while at least half a lease remains, so claims are
    given back for the next sweep when renewals fail.
    """
    loaded = {
        r.pk: r
        for r in PublishResult.objects.select_related("social_account__team", "post__team", "post__author__preferences")
        .prefetch_related(media_prefetch("post__media_links"))
        .filter(pk__in=list(result_ids))
    }
    ordered = []
    for result_id in result_ids:
        result = loaded.get(result_id) or loaded.get(PublishResult._meta.pk.to_python(result_id))  # type: ignore[union-attr]
        if result is None:
            raise PublishResult.DoesNotExist(f"PublishResult {result_id} does not exist.")
        ordered.append(result)
    now = timezone.now()
    lease_seconds = settings.SOCIAL_PUBLISH_LEASE_SECONDS
    lease = now + timedelta(seconds=lease_seconds)
    won = _claim_many([r for r in ordered if r.status == PublishStatus.PENDING], now, lease)
    batch = _Batch(verdicts=_moderate_batch([r for r in ordered if r.pk in won]))
    batch.unstarted.update(r.social_account_id for r in ordered if r.pk in won)
    connectors: dict[Any, tuple[Any, Any]] = {}
    out: list[PublishResult] = []
    with LeaseKeeper(won, lease, lease_seconds) as keeper:
        try:
            for index, result in enumerate(ordered):
                if index and result.pk in won and keeper.remaining() < lease_seconds / 2:
                    unstarted = [r for r in ordered[index:] if r.pk in won]
                    keeper.release(unstarted)
                    won.difference_update(r.pk for r in unstarted)
                    batch.unstarted.subtract(r.social_account_id for r in unstarted)
                if result.pk in won:
                    batch.unstarted[result.social_account_id] -= 1
                    _attempt(result, batch=batch, http=http, connectors=connectors)
                else:
                    result.refresh_from_db()
                out.append(result)
        finally:
            with keeper.lock:
                batch.write()  # what was delivered before an error is recorded all the same
    return out


def _attempt(
    result: PublishResult, *, batch: _Batch, http: httpx.Client | None, connectors: dict[Any, tuple[Any, Any]]
) -> PublishResult:
    """The claimed attempt: checks, moderation, read-back when an earlier attempt may have landed, publish."""
    account = result.social_account
    if not account.is_active:
        return _fail(result, "The account was disconnected.", ErrorKind.AUTH, batch)
    if account.health == AccountHealth.NEEDS_RECONNECT:
        return _fail(
            result, f"Reconnect {account.account_name} to publish: {account.last_error}", ErrorKind.AUTH, batch
        )

    request = request_for_post(post=result.post, account=account, idempotency_key=result.idempotency_key)
    blocking = [
        p for p in problems_for(platform=account.platform, request=request, account=account) if p.severity == "error"
    ]
    if blocking:
        return _fail(result, " ".join(p.message for p in blocking), ErrorKind.CONTENT, batch)
    # Checked again at delivery: the text or the team's policy may have changed since scheduling.
    verdict = batch.verdicts.get(result.pk)
    if verdict is None:
        try:
            verdict = ensure_publishable(
                team=account.team,
                text=outgoing_for(result.post).moderated,
                platform=account.platform,
                post_id=str(result.post_id),
                author=result.post.author,
            )
        except ContentBlocked as exc:
            verdict = exc
    if isinstance(verdict, ContentBlocked):
        return _fail(result, f"Moderation: {verdict.message}", ErrorKind.CONTENT, batch)

    if account.pk not in connectors:
        connectors[account.pk] = (connector_for_account(account, http=http), account_credentials(account))
    connector, creds = connectors[account.pk]
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
                return _succeed(result, existing, read_back=True, batch=batch)
        reported = _platform_budget_read(connector, creds, account)
        exhausted = reported if reported is not None and reported.remaining <= 0 else batch.budget_take(account)
        if exhausted is not None:
            PublishResult.objects.filter(pk=result.pk).update(attempts=F("attempts") - 1)
            result.attempts -= 1
            resets_in = (exhausted.resets_at - timezone.now()).total_seconds() if exhausted.resets_at else None
            wait = int(resets_in) + 1 if resets_in is not None else PLATFORM_QUOTA_RECHECK_SECONDS
            return _wait(
                result,
                f"Posting budget used ({exhausted.limit}); waiting for the reset.",
                ErrorKind.RATE_LIMITED,
                max(wait, 1),
                batch,
            )
        reserved = True
        published = connector.publish(creds, request)
        _platform_budget_after_post(account, published, read_live=reported is not None)
        charge = connector.post_charge(request)
        if charge is not None:
            result.metadata = {
                **(result.metadata or {}),
                "charge": {"amount": str(charge.amount), "currency": charge.currency},
            }
    except ConnectorError as exc:
        return _handle_error(result, account, exc, reserved=reserved, batch=batch)
    except httpx.HTTPError as exc:
        error = ConnectorError(f"Network error: {type(exc).__name__}", kind=ErrorKind.TRANSIENT)
        return _handle_error(result, account, error, reserved=reserved, batch=batch)
    if account.health != AccountHealth.HEALTHY:
        account_mark_healthy(account=account)
    logger.info("published", extra={"publish_result": str(result.pk), "platform": account.platform})
    return _succeed(result, published, read_back=False, batch=batch)


# A platform quota without a reset time (Instagram's moving 24-hour window) is read again after this.
PLATFORM_QUOTA_RECHECK_SECONDS = 3600


def _platform_budget_read(connector: Any, creds: Any, account: SocialAccount) -> Any:
    """The platform's own remaining budget, read before posting (Instagram's content_publishing_limit;
    for X, Mastodon and Bluesky the headers of the previous post). None when it says nothing."""
    try:
        reported = connector.rate_budget(creds)
    except ConnectorError as exc:
        # The quota could not be read; the post itself will tell whether the account still works.
        logger.info("posting budget read failed", extra={"social_account": str(account.pk), "kind": str(exc.kind)})
        return None
    if reported is None:
        return None
    platform_budget_record(account, reported)
    return platform_budget(account)


def _platform_budget_after_post(account: SocialAccount, published: PublishedPost, *, read_live: bool) -> None:
    """Keep the budget the platform reported with the post, or count the post against the figure read before."""
    headers = (published.raw or {}).get("rate_limit") if isinstance(published.raw, dict) else None
    if headers:
        platform_budget_record(account, headers)
        return
    saved = (account.metadata or {}).get("rate_limit")
    if read_live and isinstance(saved, dict) and "remaining" in saved:
        platform_budget_record(account, {**saved, "remaining": max(0, int(saved["remaining"]) - 1)})


def _handle_error(
    result: PublishResult, account: SocialAccount, error: ConnectorError, *, reserved: bool, batch: _Batch
) -> PublishResult:
    logger.warning(
        "publish failed",
        extra={"publish_result": str(result.pk), "kind": str(error.kind), "status": error.status},
    )
    if reserved and error.kind in (ErrorKind.AUTH, ErrorKind.CONTENT):
        batch.budget_give_back(account)  # refused outright: nothing was posted
    account_record_error(account=account, error=error)
    if error.kind == ErrorKind.AUTH:
        return _fail(result, f"Reconnect the account: {error.message}", ErrorKind.AUTH, batch)
    if error.kind == ErrorKind.CONTENT:
        return _fail(result, error.message, ErrorKind.CONTENT, batch)
    return _wait(result, error.message, error.kind, error.retry_after, batch)


def publish_result_retry(*, result: PublishResult) -> PublishResult:
    """A person asked to try a failed delivery again: back to PENDING, read-back still applies."""
    result.refresh_from_db(fields=["attempts", "metadata"])
    PublishResult.objects.filter(pk=result.pk, status=PublishStatus.FAILED).update(
        status=PublishStatus.PENDING,
        next_attempt_at=None,
        claimed_until=None,
        metadata={**(result.metadata or {}), "retryFrom": result.attempts},
        updated_at=timezone.now(),
    )
    return publish_result_deliver(result_id=result.pk)


def post_publish(
    *, post: ContentPost, accounts: list[SocialAccount], http: httpx.Client | None = None
) -> PublishOutcome:
    """Publish now: one delivery attempt per account, in this request.

    Called by scheduling's `post_schedule` (the one "publish now or at time T" path), which has
    checked the accounts; moderation and approval are checked here because a delivery needs them.
    """
    posts_ensure_publishable(posts=[post], accounts=accounts)
    posts_ensure_approved(posts=[post])
    outcome = PublishOutcome()
    for account in accounts:
        result = publish_result_prepare(post=post, account=account)
        try:
            delivered = publish_result_deliver(result_id=result.pk, http=http)
        except DatabaseError:
            raise
        except Exception:
            # The delivery is stored and leased: the dispatcher sends it when the lease ends. Answering
            # 500 would tell the user it failed while it is in fact queued (a cache outage did this).
            logger.exception("publish-now attempt failed; the delivery stays queued", extra={"result": str(result.pk)})
            result.refresh_from_db()
            delivered = result
        outcome.results.append(delivered)
    return outcome


def deliveries_check_count(count: int) -> None:
    """One request (API or page) sends at most SOCIAL_BULK_MAX_DELIVERIES deliveries."""
    if count > settings.SOCIAL_BULK_MAX_DELIVERIES:
        raise ValidationFailed(
            f"At most {settings.SOCIAL_BULK_MAX_DELIVERIES} deliveries per request; this asks for {count}.",
            details={"accountIds": [f"Too many deliveries ({count})."]},
        )


def posts_ensure_approved(*, posts: list[ContentPost]) -> None:
    """409 before anything is sent when a post still waits for its team's approval."""
    for post in posts:
        if not approval_passed(post):
            raise ConflictError(
                "This post needs approval before it can be published. Submit it for review, or schedule it: "
                "it goes out once approved.",
                details={"postId": str(post.pk), "status": post.status},
            )


def posts_ensure_publishable(*, posts: list[ContentPost], accounts: list[SocialAccount]) -> None:
    """422 CONTENT_BLOCKED before anything is sent when moderation blocks (or holds for review) a post."""
    platforms = sorted({a.platform for a in accounts})
    for post in posts:
        text = outgoing_for(post).moderated
        for platform in platforms:
            ensure_publishable(team=post.team, text=text, platform=platform, post_id=str(post.pk), author=post.author)


def post_first_comment_set(*, post: ContentPost, text: str | None) -> None:
    """Set (or, with an empty text, clear) the post's optional first comment; None leaves it alone."""
    if text is None:
        return
    metadata = {**(post.metadata or {})}
    if text.strip():
        metadata["first_comment"] = text.strip()
    else:
        metadata.pop("first_comment", None)
    if metadata != (post.metadata or {}):
        post.metadata = metadata
        ContentPost.objects.filter(pk=post.pk).update(metadata=metadata, updated_at=timezone.now())


def posts_ensure_deliverable(*, posts: Sequence[ContentPost], accounts: Sequence[SocialAccount]) -> None:
    """400 before anything is scheduled when a pre-publish check would refuse a delivery (too long,
    wrong media, ...): the author learns it now, not when the post fails at its time."""
    found = []
    for post in posts:
        for account in accounts:
            request = request_for_post(post=post, account=account, idempotency_key="")
            for problem in problems_for(platform=account.platform, request=request, account=account):
                if problem.severity == "error":
                    found.append((post, account, problem))
    if found:
        raise ValidationFailed(
            "Fix these before scheduling: "
            + " ".join(
                f"{account.account_name} ({account.get_platform_display()}): {p.message}" for _, account, p in found
            ),
            details={
                "problems": [
                    {
                        "post_id": str(post.pk),
                        "account_id": str(account.pk),
                        "platform": account.platform,
                        "code": problem.code,
                        "message": problem.message,
                        "field": problem.field,
                    }
                    for post, account, problem in found
                ]
            },
        )


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
