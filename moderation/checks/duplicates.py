"""Near-duplicate detection against published texts (the team's own and everyone's)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
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


def _candidates(value: int, *, exclude_post_id: str | None) -> QuerySet[ContentFingerprint]:
    """Fingerprints that may lie within `max_distance()` bits of `value`, found through the band indexes."""
    band_values = simhash.bands(value)
    # Fingerprints at most `distance` bits apart agree on at least BANDS - distance whole bands.
    needed = simhash.BANDS - max_distance()
    any_band = Q()
    for i, band in enumerate(band_values):
        any_band |= Q(**{f"band{i}": band})
    # How many bands agree, as plain SQL: the same sum of CASEs built from Case/When expressions took
    # the ORM about 10 ms to compile on every check, a thousand times what the database needs to run it.
    agreeing = RawSQL(_agreeing_sql(), band_values, output_field=IntegerField())  # noqa: S611 - constant SQL, values as params
    candidates = ContentFingerprint.objects.filter(any_band).annotate(agreeing=agreeing).filter(agreeing__gte=needed)
    if exclude_post_id:
        candidates = candidates.exclude(post_id=str(exclude_post_id))
    return candidates


def _closest(value: int, fingerprints: Iterable[ContentFingerprint], limit: int) -> list[NearDuplicate]:
    distance = max_distance()
    found = []
    for fingerprint in fingerprints:
        bits = simhash.hamming(value, fingerprint.simhash)
        if bits <= distance:
            found.append(NearDuplicate(fingerprint, bits))
    found.sort(key=lambda d: d.distance)
    return found[:limit]


def near_duplicates(text: str, *, exclude_post_id: str | None = None, limit: int = 5) -> list[NearDuplicate]:
    if len(simhash.words(text)) < settings.MODERATION_DUPLICATE_MIN_WORDS:
        return []
    value = simhash.simhash(text)
    candidates = _candidates(value, exclude_post_id=exclude_post_id).select_related("team").order_by("-created_at")
    return _closest(value, candidates[:CANDIDATES], limit)


def near_duplicates_many(
    texts: Sequence[tuple[str, str | None]], *, limit: int = 5, chunk: int = 100
) -> list[list[NearDuplicate]]:
    """`near_duplicates` for many `(text, exclude_post_id)` pairs, one query per `chunk` texts.

    The per-text candidate queries are sent as one UNION ALL, each tagged with its text's position.
    """
    out: list[list[NearDuplicate]] = [[] for _ in texts]
    probes = [
        (i, simhash.simhash(text), exclude)
        for i, (text, exclude) in enumerate(texts)
        if len(simhash.words(text)) >= settings.MODERATION_DUPLICATE_MIN_WORDS
    ]
    for start in range(0, len(probes), chunk):
        part = probes[start : start + chunk]
        rows: dict[int, list[ContentFingerprint]] = {}
        sql, params = _union_sql(part)
        for fingerprint in ContentFingerprint.objects.raw(sql, params):  # noqa: S611 - constant SQL, values as params
            rows.setdefault(fingerprint.probe, []).append(fingerprint)  # type: ignore[attr-defined]
        for i, value, _ in part:
            newest = sorted(rows.get(i, []), key=lambda f: f.created_at, reverse=True)[:CANDIDATES]
            out[i] = _closest(value, newest, limit)
    return out


def _union_sql(probes: Sequence[tuple[int, int, str | None]]) -> tuple[str, list[Any]]:
    """`_candidates` of every probe as one UNION ALL, written as SQL: compiling fifty ORM querysets
    cost a delivery task about 10 ms per post, far more than the database spends running them."""
    table = connection.ops.quote_name(ContentFingerprint._meta.db_table)
    columns = ", ".join(
        f"{table}.{connection.ops.quote_name(str(f.column))}" for f in ContentFingerprint._meta.concrete_fields
    )
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
