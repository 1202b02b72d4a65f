"""Near-duplicate detection against published texts (the team's own and everyone's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_noop

from core.stored_messages import Message
from moderation import simhash
from moderation.models import ContentFingerprint, FingerprintKey
from moderation.types import Reason

CANDIDATES = 200  # newest candidates looked at per text


@dataclass(frozen=True)
class NearDuplicate:
    fingerprint: ContentFingerprint
    distance: int

    @property
    def similarity(self) -> float:
        return 1.0 - self.distance / simhash.BITS


def max_distance() -> int:
    """Bits two texts may differ in and still be near copies: at most BANDS - 2 (6 of 64), so near
    copies always agree on two whole bands and share a band-pair key (moderation.simhash.pair_keys)."""
    return max(0, min(settings.MODERATION_DUPLICATE_MAX_DISTANCE, simhash.BANDS - 2))


def fingerprints_record_many(items: Sequence[tuple[Any, str, str]]) -> list[ContentFingerprint]:
    """Remember published `(team, post_id, text)`s: one upsert on the team and post (re-publishing a post
    refreshes its row), and their band-pair keys replaced (two statements). Bulk writes
    send no signals, so the caller tells the decision memo (`publication_record_many` does)."""
    rows: dict[tuple[Any, str], ContentFingerprint] = {}
    for team, post_id, text in items:
        if len(simhash.words(text)) < settings.MODERATION_DUPLICATE_MIN_WORDS:
            continue
        value = simhash.simhash(text)
        band_values = {f"band{i}": band for i, band in enumerate(simhash.bands(value))}
        team_id = getattr(team, "pk", team)
        rows[(team_id, str(post_id))] = ContentFingerprint(
            team_id=team_id,
            post_id=str(post_id),
            simhash=simhash.to_signed(value),
            excerpt=" ".join(text.split())[:200],
            **band_values,
        )
    if not rows:
        return []
    with transaction.atomic():
        recorded = ContentFingerprint.objects.bulk_create(
            list(rows.values()),
            update_conflicts=True,
            unique_fields=["team", "post_id"],
            update_fields=["simhash", "excerpt", *(f"band{i}" for i in range(simhash.BANDS))],
        )
        fingerprint_keys_replace(recorded)
    return recorded


def fingerprint_keys_replace(fingerprints: Sequence[ContentFingerprint]) -> None:
    """Store the band-pair keys the near-copy search finds these fingerprints by, replacing older ones.
    The database works the 28 keys out from the stored bands (`simhash.pair_keys`, in SQL): building
    28 rows per fingerprint here cost a delivery batch more than all its other moderation writes."""
    ids = [f.pk for f in fingerprints]
    FingerprintKey.objects.filter(fingerprint_id__in=ids).delete()
    with connection.cursor() as cursor:
        cursor.execute(_keys_insert_sql(len(ids)), ids)


def _keys_insert_sql(count: int) -> str:
    quote = connection.ops.quote_name
    table, keys = quote(ContentFingerprint._meta.db_table), quote(FingerprintKey._meta.db_table)
    width = 2 * simhash.BAND_BITS
    pair = " ".join(
        f"WHEN {n} THEN {table}.{quote(f'band{i}')} * {1 << simhash.BAND_BITS} + {table}.{quote(f'band{j}')}"
        for n, (i, j) in enumerate(simhash.PAIRS)
    )
    numbers = ", ".join(f"({n})" for n in range(len(simhash.PAIRS)))
    return (
        f"INSERT INTO {keys} ({quote('fingerprint_id')}, {quote('key')}) "  # noqa: S608
        f"SELECT {table}.{quote('id')}, p.column1 * {1 << width} + CASE p.column1 {pair} END "
        f"FROM {table}, (VALUES {numbers}) AS p "
        f"WHERE {table}.{quote('id')} IN ({', '.join(['%s'] * count)})"
    )


def near_duplicates(text: str, *, exclude_post_id: str | None = None, limit: int = 5) -> list[NearDuplicate]:
    """Published texts within `max_distance()` bits of `text`, closest first (`near_duplicates_many`)."""
    return near_duplicates_many([(text, exclude_post_id)], limit=limit)[0]


def near_duplicates_many(
    texts: Sequence[tuple[str, str | None]], *, limit: int = 5, chunk: int = 100
) -> list[list[NearDuplicate]]:
    """For each `(text, exclude_post_id)`, the published texts within `max_distance()` bits of it,
    closest first: among its CANDIDATES newest candidates, the fingerprints sharing a band-pair key.

    The candidates of `chunk` texts are read in one query, by all their keys at once, as (id, simhash,
    created, post) only; the fingerprints close enough, usually none, are loaded in one more query.
    """
    probes = [
        (i, simhash.simhash(text), exclude)
        for i, (text, exclude) in enumerate(texts)
        if len(simhash.words(text)) >= settings.MODERATION_DUPLICATE_MIN_WORDS
    ]
    distance = max_distance()
    close: dict[int, list[tuple[Any, int]]] = {}  # text's position -> [(fingerprint id, distance)]
    for start in range(0, len(probes), chunk):
        part = probes[start : start + chunk]
        found = _candidates(part)
        for i, value, exclude in part:
            candidates = [c for c in found.get(i, {}).values() if c[3] != exclude]
            newest = sorted(candidates, key=lambda c: c[2], reverse=True)[:CANDIDATES]
            near = [(pk, bits) for pk, signed, _, _ in newest if (bits := simhash.hamming(value, signed)) <= distance]
            if near:
                close[i] = sorted(near, key=lambda n: n[1])[:limit]  # stable: the newer of equals first
    out: list[list[NearDuplicate]] = [[] for _ in texts]
    if close:
        loaded = ContentFingerprint.objects.in_bulk([pk for near in close.values() for pk, _ in near])
        for i, near in close.items():
            out[i] = [NearDuplicate(loaded[pk], bits) for pk, bits in near if pk in loaded]
    return out


def _candidates(probes: Sequence[tuple[int, int, str | None]]) -> dict[int, dict[Any, tuple[Any, int, Any, str]]]:
    """For each probe's position, the fingerprints sharing one of its band-pair keys, by id: (id,
    simhash, created, post id). One query for all the probes' keys, as plain SQL: the same rows through
    the ORM's values_list cost a delivery batch ~0.3 ms more per post (in-process harness)."""
    probes_of: dict[int, list[int]] = {}
    for i, value, _ in probes:
        for key in simhash.pair_keys(value):
            probes_of.setdefault(key, []).append(i)
    quote = connection.ops.quote_name
    table, keys = quote(ContentFingerprint._meta.db_table), quote(FingerprintKey._meta.db_table)
    columns = ", ".join(f"{table}.{quote(name)}" for name in ("id", "simhash", "created_at", "post_id"))
    joined = f"JOIN {table} ON {table}.{quote('id')} = {keys}.{quote('fingerprint_id')}"
    if connection.vendor == "postgresql":
        # The keys as a joined array: PostgreSQL then probes the key index once per key. Given the same
        # keys as an IN list (a batch has ~1,400), it chose a parallel scan of every key ever stored:
        # 45-53 ms a batch at 19k fingerprints, against 11-13 ms, and growing with the table.
        sql = (
            f"SELECT p.key, {columns} FROM unnest(%s::integer[]) AS p(key) "  # noqa: S608
            f"JOIN {keys} ON {keys}.{quote('key')} = p.key {joined}"
        )
        params: list[Any] = [list(probes_of)]
    else:
        sql = (
            f"SELECT {keys}.{quote('key')}, {columns} FROM {keys} {joined} "  # noqa: S608
            f"WHERE {keys}.{quote('key')} IN ({', '.join(['%s'] * len(probes_of))})"
        )
        params = list(probes_of)
    found: dict[int, dict[Any, tuple[Any, int, Any, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, *row in cursor.fetchall():
            for i in probes_of[key]:
                found.setdefault(i, {})[row[0]] = tuple(row)  # type: ignore[assignment]
    return found


def duplicate_reasons(matches: list[NearDuplicate], *, team: Any) -> tuple[list[Reason], float]:
    """Reasons for near-copies, and the highest similarity seen (0.0 when none)."""
    reasons = []
    for match in matches[:2]:
        own = match.fingerprint.team_id == getattr(team, "pk", team)
        percent = round(match.similarity * 100)
        if own:
            message = Message(
                gettext_noop("Nearly the same as a post your team already published (%(percent)s%% similar)."),
                percent=percent,
            )
        else:
            message = Message(
                gettext_noop(
                    "Nearly the same as text already published elsewhere (%(percent)s%% similar): possible copying."
                ),
                percent=percent,
            )
        reasons.append(
            Reason(
                check="duplicate",
                code="duplicate_own" if own else "duplicate_external",
                message=message,
                severity="flag",
            )
        )
    return reasons, max((m.similarity for m in matches), default=0.0)
