"""Daily rollups of the cumulative metric snapshots, maintained incrementally.

A snapshot's counters are cumulative, so a post's value on a day is its latest snapshot that day
(UTC). `DailyMetricRollup` keeps exactly that row per (post, platform, day), and what the post gained
since its previous row (`<metric>_gained`), so activity in a period is a sum over the period's rows.
New snapshots are folded in by id above a watermark, whatever wrote them (`create`, `bulk_create`,
raw SQL): the post_save signal folds right after commit, a beat task sweeps every minute, and
`rebuild_metric_rollups` recomputes everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction

from analytics.insights import generation_context_forget
from analytics.metrics import METRICS
from analytics.models import ContentAnalytics, DailyMetricRollup, RollupWatermark

WATERMARK = "daily"
GAINED: tuple[str, ...] = tuple(f"{name}_gained" for name in METRICS)
_ROW_FIELDS = ("id", "post_id", "platform", "recorded_at", "simulated", *METRICS)
_STORED_FIELDS = ("post_id", "platform", "date", "recorded_at", "snapshot_id", "simulated", *METRICS, *GAINED)

Key = tuple[Any, str, date]


def _post_dimensions(post_ids: Iterable[Any]) -> dict[Any, tuple[Any, str, str]]:
    from django.apps import apps

    post_model = apps.get_model("content", "ContentPost")
    rows = post_model.objects.filter(pk__in=set(post_ids)).values_list("pk", "team_id", "metadata")
    out: dict[Any, tuple[Any, str, str]] = {}
    for pk, team_id, metadata in rows:
        meta = metadata if isinstance(metadata, dict) else {}
        language = str(meta.get("language") or "")[:16].lower()
        region = str(meta.get("region") or "")[:32].upper()
        out[pk] = (team_id, language, region)
    return out


def gains(history: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """What each row of a (post, platform)'s date-ordered cumulative counters added to the ones before.

    The first row gained everything since publication. A counter that a platform revises downwards
    (spam likes removed) gains nothing until it passes its earlier high again, so no day is negative
    and the gains of a period add up to the counter's rise over it.
    """
    high = [0] * len(METRICS)
    out: list[tuple[int, ...]] = []
    for values in history:
        out.append(tuple(max(0, int(v) - h) for v, h in zip(values, high, strict=True)))
        high = [max(h, int(v)) for v, h in zip(values, high, strict=True)]
    return out


def _fold(rows: list[tuple[Any, ...]]) -> set[Any]:
    """Upsert the latest snapshot per (post, platform, day) among `rows` unless a later one is stored,
    then recompute the gains of every touched (post, platform) from its whole rollup history."""
    latest: dict[Key, tuple[Any, ...]] = {}
    for row in rows:
        recorded_at: datetime = row[3]
        key = (row[1], row[2].lower(), recorded_at.date())
        held = latest.get(key)
        if held is None or (recorded_at, row[0]) > (held[3], held[0]):
            latest[key] = row
    if not latest:
        return set()
    post_ids = {key[0] for key in latest}
    # A post's rollups are one row per day it was measured: a short history, read whole.
    stored: dict[Key, dict[str, Any]] = {
        (r["post_id"], r["platform"], r["date"]): r
        for r in DailyMetricRollup.objects.filter(post_id__in=post_ids).values(*_STORED_FIELDS)
    }
    dimensions = _post_dimensions(post_ids)
    touched: set[tuple[Any, str]] = set()
    for key, row in latest.items():
        kept = stored.get(key)
        if kept is not None and (kept["recorded_at"], kept["snapshot_id"]) >= (row[3], row[0]):
            continue
        if key[0] not in dimensions:  # the post was deleted meanwhile
            continue
        stored[key] = {
            "post_id": key[0],
            "platform": key[1],
            "date": key[2],
            "recorded_at": row[3],
            "snapshot_id": row[0],
            "simulated": bool(row[4]),
            **dict(zip(METRICS, row[5:], strict=True)),
            **dict.fromkeys(GAINED, None),  # forces the write below
        }
        touched.add((key[0], key[1]))
    by_pair: dict[tuple[Any, str], list[dict[str, Any]]] = {}
    for key, record in stored.items():
        if key[:2] in touched:
            by_pair.setdefault(key[:2], []).append(record)
    winners: list[DailyMetricRollup] = []
    teams: set[Any] = set()
    for (post_id, _platform), records in by_pair.items():
        records.sort(key=lambda r: r["date"])
        team_id, language, region = dimensions[post_id]
        for record, gained in zip(records, gains([tuple(r[m] for m in METRICS) for r in records]), strict=True):
            if tuple(record[g] for g in GAINED) == gained:
                continue
            teams.add(team_id)
            winners.append(
                DailyMetricRollup(
                    team_id=team_id,
                    language=language,
                    region=region,
                    **{**record, **dict(zip(GAINED, gained, strict=True))},
                )
            )
    DailyMetricRollup.objects.bulk_create(
        winners,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["post", "platform", "date"],
        update_fields=["team", "language", "region", "recorded_at", "snapshot_id", "simulated", *METRICS, *GAINED],
    )
    if teams:
        # Now, and again once the rows are visible to others: a draft between the two may have read the old ones.
        changed = set(teams)
        generation_context_forget(changed)
        transaction.on_commit(lambda: generation_context_forget(changed))
    return teams


def rollups_catch_up(*, max_rows: int | None = None, batch_size: int = 20_000) -> set[Any]:
    """Fold snapshots above the watermark into the rollups; returns the ids of the teams that changed.

    Each batch commits with its watermark move, so a crash loses no work and repeats none.
    """
    teams: set[Any] = set()
    done = 0
    while max_rows is None or done < max_rows:
        size = batch_size if max_rows is None else min(batch_size, max_rows - done)
        with transaction.atomic():
            mark, _ = RollupWatermark.objects.select_for_update().get_or_create(name=WATERMARK)
            rows = list(
                ContentAnalytics.objects.filter(id__gt=mark.last_snapshot_id)
                .order_by("id")
                .values_list(*_ROW_FIELDS)[:size]
            )
            if not rows:
                break
            teams |= _fold(rows)
            mark.last_snapshot_id = rows[-1][0]
            mark.save(update_fields=["last_snapshot_id", "updated_at"])
        done += len(rows)
        if len(rows) < size:
            break
    return teams


def rollups_pending() -> bool:
    """Whether snapshots wait to be folded (two indexed lookups)."""
    mark = RollupWatermark.objects.filter(name=WATERMARK).values_list("last_snapshot_id", flat=True).first() or 0
    return ContentAnalytics.objects.filter(id__gt=mark).exists()


def rollups_rebuild(*, team_id: Any = None, batch_size: int = 20_000) -> int:
    """Recompute rollups from the snapshots: of one team, or of everything (the watermark restarts)."""
    if team_id is None:
        with transaction.atomic():
            DailyMetricRollup.objects.all().delete()
            RollupWatermark.objects.update_or_create(name=WATERMARK, defaults={"last_snapshot_id": 0})
        rollups_catch_up(batch_size=batch_size)
        return DailyMetricRollup.objects.count()
    with transaction.atomic():
        mark, _ = RollupWatermark.objects.select_for_update().get_or_create(name=WATERMARK)
        DailyMetricRollup.objects.filter(team_id=team_id).delete()
        transaction.on_commit(lambda: generation_context_forget({team_id}))
        last = 0
        while True:
            rows = list(
                ContentAnalytics.objects.filter(post__team_id=team_id, id__gt=last, id__lte=mark.last_snapshot_id)
                .order_by("id")
                .values_list(*_ROW_FIELDS)[:batch_size]
            )
            if not rows:
                break
            _fold(rows)
            last = rows[-1][0]
    return DailyMetricRollup.objects.filter(team_id=team_id).count()
