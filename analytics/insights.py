"""Content insight: sentiment and emotional impact, text features.

Sentiment comes from VADER, an offline lexicon model that reads English only. The text's language is
detected first (lingua, the same check the AI writer uses): for any other language the sentiment is
*not available* (None), never a made-up 0.0, so neither a chart nor the engagement model takes an
unreadable Spanish or Arabic post for a neutral one.

- sentiment: VADER's compound score in [-1, 1], labelled positive (>= 0.05), negative (<= -0.05) or neutral;
  "unavailable" when the text is not English (or too short to tell);
- emotional impact, 0-100: how charged the text is, whatever the direction: the share of the text's
  valence carried by emotional words (VADER pos + neg) blended with the compound's magnitude.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analytics.metrics import engagement_rate
from content.language_check import detect_language
from core.cache import cache_get

_HASHTAG = re.compile(r"(?<!\w)#\w+")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_a-zA-Z]")
SENTIMENT_LANGUAGES = frozenset({"en"})
UNAVAILABLE = "unavailable"
UNAVAILABLE_TEXT = _("not available for this language")


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@dataclass(frozen=True)
class Sentiment:
    compound: float | None
    positive: float | None
    negative: float | None
    neutral: float | None
    label: str  # positive | negative | neutral | unavailable
    emotional_impact: float | None
    language: str | None = None

    @property
    def available(self) -> bool:
        return self.compound is not None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"available": self.available}


def sentiment_language(text: str) -> str | None:
    """The language VADER would be reading. A short, accent-free text the detector is unsure of is taken
    as English ("Terrible service"); anything else as detected."""
    language, confidence = detect_language(text, min_letters=6)
    if language != "en" and confidence < 0.7 and text.strip() and not _NON_ASCII_LETTER.search(text):
        return "en"
    return language


def sentiment_of(text: str, *, language: str | None = None) -> Sentiment:
    lang = (language or "").split("-")[0].lower() or sentiment_language(text or "")
    if lang not in SENTIMENT_LANGUAGES:
        return Sentiment(None, None, None, None, UNAVAILABLE, None, lang)
    scores = _analyzer().polarity_scores(text or "")
    compound = float(scores["compound"])
    label = "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
    charged = float(scores["pos"]) + float(scores["neg"])
    impact = round(100 * (0.5 * min(1.0, charged * 2) + 0.5 * abs(compound)), 1) if text else 0.0
    return Sentiment(
        compound=round(compound, 4),
        positive=float(scores["pos"]),
        negative=float(scores["neg"]),
        neutral=float(scores["neu"]),
        label=label,
        emotional_impact=impact,
        language=lang,
    )


def hashtag_count(text: str, hashtags: list[str] | None = None) -> int:
    found = {tag.lower() for tag in _HASHTAG.findall(text or "")}
    found |= {("#" + str(tag).lstrip("#")).lower() for tag in hashtags or [] if str(tag).strip("#")}
    return len(found)


def content_measures(*, text: str, hashtags: list[str] | None = None, metrics: dict[str, int] | None = None) -> dict:
    """The measures a post and a competitor's post are compared on. Sentiment and emotional impact are
    None when the post's language has no sentiment model (`sentiment_available` says so)."""
    sentiment = sentiment_of(text)
    measures: dict[str, Any] = {
        "length": len(text or ""),
        "hashtags": hashtag_count(text, hashtags),
        "sentiment": sentiment.compound,
        "sentiment_label": sentiment.label,
        "sentiment_available": sentiment.available,
        "emotional_impact": sentiment.emotional_impact,
        "language": sentiment.language,
    }
    if metrics is not None:
        measures["engagement_rate"] = engagement_rate(
            **{k: metrics.get(k, 0) for k in ("likes", "comments", "shares", "clicks", "impressions", "views")}
        )
    return measures


# Learning from results (spec 10.1) -------------------------------------------------------------
TOP_POSTS = 3
_CANDIDATE_POSTS = 200
_CONTEXT_SECONDS = 300
_WRITING_FEATURES = ("length", "hashtags", "has_media", "sentiment")
_METRIC_FIELDS = ("likes", "comments", "shares", "clicks", "impressions", "views")


def top_posts(*, team: Any, platform: str, limit: int = TOP_POSTS) -> list[dict[str, Any]]:
    """The team's published posts on the platform with the highest engagement rate (their latest
    metrics), best first. One query over the most recent posts."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from analytics.models import DailyMetricRollup

    rows = (
        DailyMetricRollup.objects.filter(team=team, platform=platform, post__published_at__isnull=False)
        .annotate(rank=Window(RowNumber(), partition_by=[F("post_id")], order_by=F("date").desc()))
        .filter(rank=1)
        .order_by("-post__published_at")
        .values("post__content", "post__hashtags", "post__metadata", *_METRIC_FIELDS)[:_CANDIDATE_POSTS]
    )
    rated = []
    for row in rows:
        rate = engagement_rate(**{k: row[k] for k in _METRIC_FIELDS})
        if rate > 0 and (row["post__content"] or "").strip():
            rated.append(
                {
                    "content": row["post__content"],
                    "hashtags": row["post__hashtags"] or [],
                    "rate": rate,
                    "metadata": row["post__metadata"] or {},
                }
            )
    return sorted(rated, key=lambda r: -r["rate"])[:limit]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _strongest_writing_features(team: Any) -> list[str]:
    """The writing features (not the posting time) the team's model leans on most, strongest first;
    empty without a model that beat guessing the average."""
    from analytics.predictions import _latest_model_memo, _stored

    model = _latest_model_memo(team=team)
    if model is None or not model.beats_baseline:
        return []
    pipeline, _typical = _stored(model)
    names = pipeline.named_steps["vectorize"].get_feature_names_out()
    weights: dict[str, float] = {}
    for name, weight in zip(names, pipeline.named_steps["regress"].feature_importances_, strict=True):
        base = str(name).split("=")[0]
        weights[base] = weights.get(base, 0.0) + float(weight)
    ranked = sorted((f for f in _WRITING_FEATURES if weights.get(f, 0.0) >= 0.05), key=lambda f: -weights[f])
    return ranked[:2]


def _guidance(feature: str, best: list[dict[str, Any]]) -> str | None:
    if feature == "length":
        length = round(_median([len(p["content"]) for p in best]), -1)
        return f"Length matters in your results: your best posts run about {length:.0f} characters."
    if feature == "hashtags":
        count = _median([hashtag_count(p["content"], p["hashtags"]) for p in best])
        return f"Hashtags matter in your results: your best posts use about {count:.0f}."
    if feature == "has_media":
        with_media = sum(1 for p in best if p["metadata"].get("media") or p["metadata"].get("has_media"))
        return (
            "Media matters in your results: most of your best posts carry an image or a video."
            if with_media * 2 >= len(best)
            else "Media matters in your results, and your best posts are mostly text."
        )
    labels = [sentiment_of(p["content"]).label for p in best]
    measured = [label for label in labels if label != UNAVAILABLE]
    if not measured:
        return None
    return f"Tone matters in your results: your best posts read {max(set(measured), key=measured.count)}."


def _contexts_key(team_id: Any) -> str:
    return f"analytics:generation-contexts:{team_id}"


def generation_context_keys(*, team: Any, platform: str) -> list[str]:
    """The cache key `generation_context` reads (content.learning reads it ahead with others)."""
    return [_contexts_key(team.pk)]


def generation_context(*, team: Any, platform: str, read_ahead: Mapping[str, Any] | None = None) -> Any:
    """The writer's view of the team's results on a platform (content.learning's PerformanceContext),
    or None when the team has no published post with metrics there.

    Remembered for five minutes per platform, "no results" included (every AI cache hit asks, and a
    team without results would otherwise cost a query each time), in one entry per team that new
    metrics drop (`generation_context_forget`): the first published results count from the next draft on.
    `read_ahead`: cache values the caller read in one round trip; the entry is taken from it when there.
    """
    from django.core.cache import cache

    from content.learning import PerformanceContext

    key = _contexts_key(team.pk)
    now = time.time()
    remembered: dict[str, tuple[float, Any]] = cache_get(key, read_ahead) or {}
    entry = remembered.get(platform)
    if entry is not None and entry[0] > now:
        return entry[1]
    best = top_posts(team=team, platform=platform)
    context = None
    if best:
        guidance = [line for f in _strongest_writing_features(team) if (line := _guidance(f, best))]
        context = PerformanceContext(
            examples=tuple(p["content"][:800] for p in best), guidance=tuple(guidance), basis=len(best)
        )
    current = {name: kept for name, kept in remembered.items() if kept[0] > now}
    current[platform] = (now + _CONTEXT_SECONDS, context)
    cache.set(key, current, timeout=_CONTEXT_SECONDS)
    return context


def generation_context_forget(team_ids: Iterable[Any]) -> None:
    """New metrics for these teams: the writer reads their results again on its next draft."""
    from django.core.cache import cache

    keys = [_contexts_key(team_id) for team_id in team_ids]
    if keys:
        cache.delete_many(keys)
