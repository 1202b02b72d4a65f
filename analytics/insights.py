"""Content insight: sentiment and emotional impact from VADER (an offline lexicon model), text features.

- sentiment: VADER's compound score in [-1, 1], labelled positive (>= 0.05), negative (<= -0.05) or neutral;
- emotional impact, 0-100: how charged the text is, whatever the direction: the share of the text's
  valence carried by emotional words (VADER pos + neg) blended with the compound's magnitude.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analytics.metrics import engagement_rate

_HASHTAG = re.compile(r"(?<!\w)#\w+")


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@dataclass(frozen=True)
class Sentiment:
    compound: float
    positive: float
    negative: float
    neutral: float
    label: str
    emotional_impact: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sentiment_of(text: str) -> Sentiment:
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
    )


def hashtag_count(text: str, hashtags: list[str] | None = None) -> int:
    found = {tag.lower() for tag in _HASHTAG.findall(text or "")}
    found |= {("#" + str(tag).lstrip("#")).lower() for tag in hashtags or [] if str(tag).strip("#")}
    return len(found)


def content_measures(*, text: str, hashtags: list[str] | None = None, metrics: dict[str, int] | None = None) -> dict:
    """The measures a post and a competitor's post are compared on."""
    sentiment = sentiment_of(text)
    measures: dict[str, Any] = {
        "length": len(text or ""),
        "hashtags": hashtag_count(text, hashtags),
        "sentiment": sentiment.compound,
        "sentiment_label": sentiment.label,
        "emotional_impact": sentiment.emotional_impact,
    }
    if metrics is not None:
        measures["engagement_rate"] = engagement_rate(
            **{k: metrics.get(k, 0) for k in ("likes", "comments", "shares", "clicks", "impressions", "views")}
        )
    return measures
