"""Near-duplicate detection against published texts (the team's own and everyone's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_noop

from core.stored_messages import Message
from moderation import simhash
from moderation.models import ContentFingerprint
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
    return max(0, min(settings.MODERATION_DUPLICATE_MAX_DISTANCE, simhash.BANDS - 1))


def fingerprint_record(*, team: Any, post_id: str, text: str) -> ContentFingerprint | None:
    """Remember a published text. Re-publishing the same post refreshes its row."""
    if len(simhash.words(text)) < settings.MODERATION_DUPLICATE_MIN_WORDS:
        return None
    value = simhash.simhash(text)
    band_values = {f"band{i}": band for i, band in enumerate(simhash.bands(value))}
    fingerprint, _ = ContentFingerprint.objects.update_or_create(
        team=team,
        post_id=str(post_id),
        defaults={"simhash": simhash.to_signed(value), "excerpt": " ".join(text.split())[:200], **band_values},
    )
    return fingerprint


def fingerprints_record_many(items: Sequence[tuple[Any, str, str]]) -> list[ContentFingerprint]:
    """`fingerprint_record` for many `(team, post_id, text)` in one statement (an upsert on the
    team and post), for a delivery task's published posts. Bulk writes send no signals, so the
    caller tells the decision memo (`publication_record_many` does)."""
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
    return ContentFingerprint.objects.bulk_create(
        list(rows.values()),
        update_conflicts=True,
        unique_fields=["team", "post_id"],
        update_fields=["simhash", "excerpt", *(f"band{i}" for i in range(simhash.BANDS))],
    )


@cache
def _agreeing_sql() -> str:
    table = connection.ops.quote_name(ContentFingerprint._meta.db_table)
    columns = (f"{table}.{connection.ops.quote_name(f'band{i}')}" for i in range(simhash.BANDS))
    return "(" + " + ".join(f"CASE WHEN {column} = %s THEN 1 ELSE 0 END" for column in columns) + ")"


def near_duplicates(text: str, *, exclude_post_id: str | None = None, limit: int = 5) -> list[NearDuplicate]:
    """Published texts within `max_distance()` bits of `text`, closest first (`near_duplicates_many`)."""
    return near_duplicates_many([(text, exclude_post_id)], limit=limit)[0]


def near_duplicates_many(
    texts: Sequence[tuple[str, str | None]], *, limit: int = 5, chunk: int = 100
) -> list[list[NearDuplicate]]:
    """For each `(text, exclude_post_id)`, the published texts within `max_distance()` bits of it,
    closest first: among its CANDIDATES newest candidates, those sharing enough whole bands.

    The candidates of `chunk` texts are found in one query (a UNION ALL of each text's band search,
    tagged with its position) and read as (id, simhash, created) only; the fingerprints that are
    close enough, usually none, are loaded in one more query.
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
        candidates: dict[int, list[tuple[Any, Any, int]]] = {}
        with connection.cursor() as cursor:
            cursor.execute(*_union_sql(part))
            for pk, signed, created_at, probe in cursor.fetchall():
                candidates.setdefault(probe, []).append((created_at, pk, signed))
        for i, value, _ in part:
            newest = sorted(candidates.get(i, []), key=lambda c: c[0], reverse=True)[:CANDIDATES]
            near = [(pk, bits) for _, pk, signed in newest if (bits := simhash.hamming(value, signed)) <= distance]
            if near:
                close[i] = sorted(near, key=lambda n: n[1])[:limit]  # stable: the newer of equals first
    out: list[list[NearDuplicate]] = [[] for _ in texts]
    if close:
        loaded = ContentFingerprint.objects.in_bulk([pk for near in close.values() for pk, _ in near])
        for i, near in close.items():
            out[i] = [NearDuplicate(loaded[pk], bits) for pk, bits in near if pk in loaded]
    return out


def _union_sql(probes: Sequence[tuple[int, int, str | None]]) -> tuple[str, list[Any]]:
    """Each probe's candidates as one UNION ALL, written as SQL: compiling fifty ORM querysets
    cost a delivery task about 10 ms per post, far more than the database spends running them.
    A candidate agrees with the probe on at least BANDS - max_distance() whole bands (fingerprints at
    most that many bits apart must), found through the band indexes."""
    table = connection.ops.quote_name(ContentFingerprint._meta.db_table)
    columns = ", ".join(f"{table}.{connection.ops.quote_name(name)}" for name in ("id", "simhash", "created_at"))
    any_band = " OR ".join(f"{table}.{connection.ops.quote_name(f'band{i}')} = %s" for i in range(simhash.BANDS))
    post_id = f"{table}.{connection.ops.quote_name('post_id')}"
    needed = simhash.BANDS - max_distance()
    parts: list[str] = []
    params: list[Any] = []
    for i, value, exclude in probes:
        band_values = simhash.bands(value)
        agreeing = _agreeing_sql()
        sql = f"SELECT {columns}, {int(i)} AS probe FROM {table} WHERE ({any_band}) AND {agreeing} >= %s"  # noqa: S608
        params += [*band_values, *band_values, needed]
        if exclude:
            sql += f" AND NOT ({post_id} = %s)"
            params.append(str(exclude))
        parts.append(sql)
    return " UNION ALL ".join(parts), params


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
