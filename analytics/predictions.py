"""Engagement predictions: a model per team trained on its own posts, global priors when history is thin.

Entry point for the AI writer: `predict_engagement(team=, platform=, text=, when=, has_media=)`.
The model is a gradient-boosted regressor on (platform, hour, weekday, length, hashtag count, media,
sentiment) predicting the engagement rate. It is judged on the most recent quarter of the team's
posts, held out from training: its mean absolute error is stored beside the error of a predictor
that always answers the training mean, and it is used only when it beats that baseline.
"""

from __future__ import annotations

import pickle  # noqa: S403  (our own model blobs, written by our own trainer)
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from analytics.insights import hashtag_count, sentiment_of
from analytics.metrics import engagement_rate
from analytics.models import DailyMetricRollup, EngagementModel
from analytics.priors import prior_for, score_from_rate

FEATURES = ["platform", "hour", "weekday", "length", "hashtags", "has_media", "sentiment"]
ALGORITHM = "GradientBoostingRegressor(n_estimators=200, max_depth=3, learning_rate=0.05)"


@dataclass(frozen=True)
class Prediction:
    score: float  # 0-100; 50 = the platform's typical engagement
    engagement_rate: float
    reasons: list[str] = field(default_factory=list)
    model_info: dict[str, Any] = field(default_factory=dict)


def feature_row(*, platform: str, when: datetime, text: str, hashtags: list[str] | None, has_media: bool) -> dict:
    return {
        "platform": (platform or "").lower(),
        "hour": when.hour,
        "weekday": when.weekday(),
        "length": len(text or ""),
        "hashtags": hashtag_count(text, hashtags),
        "has_media": 1 if has_media else 0,
        "sentiment": sentiment_of(text).compound,
    }


def _has_media(metadata: Any) -> bool:
    meta = metadata if isinstance(metadata, dict) else {}
    return bool(meta.get("media") or meta.get("mediaUrls") or meta.get("media_urls") or meta.get("has_media"))


def training_data(*, team: Any) -> tuple[list[dict], list[float]]:
    """Features and engagement rate of each published post with metrics, oldest first. One query."""
    zone = ZoneInfo(getattr(team, "timezone", None) or "UTC")
    rows = (
        DailyMetricRollup.objects.filter(team=team, post__published_at__isnull=False)
        .annotate(rank=Window(RowNumber(), partition_by=[F("post_id"), F("platform")], order_by=F("date").desc()))
        .filter(rank=1)
        .values_list(
            "platform",
            "post__published_at",
            "post__content",
            "post__hashtags",
            "post__metadata",
            "likes",
            "comments",
            "shares",
            "clicks",
            "impressions",
            "views",
        )
    )
    samples: list[tuple[Any, dict, float]] = []
    for platform, published_at, content, hashtags, metadata, li, co, sh, cl, im, vi in rows:
        if published_at is None:  # filtered out above; keeps the type checker honest
            continue
        x = feature_row(
            platform=platform,
            when=published_at.astimezone(zone),
            text=content,
            hashtags=hashtags if isinstance(hashtags, list) else [],
            has_media=_has_media(metadata),
        )
        rate = engagement_rate(likes=li, comments=co, shares=sh, clicks=cl, impressions=im, views=vi)
        samples.append((published_at, x, rate))
    samples.sort(key=lambda s: s[0])
    return [s[1] for s in samples], [s[2] for s in samples]


def _mae(truth: list[float], guess: list[float]) -> float:
    return sum(abs(a - b) for a, b in zip(truth, guess, strict=True)) / max(len(truth), 1)


def engagement_model_train(*, team: Any) -> EngagementModel | None:
    """Train on the older 75 % of the team's posts, measure on the newest 25 %; None when too few posts."""
    x, y = training_data(team=team)
    if len(y) < settings.ANALYTICS_MODEL_MIN_POSTS:
        return None
    # scikit-learn (with SciPy) takes seconds to import: only the trainer and the predictor pay for it.
    from sklearn.ensemble import GradientBoostingRegressor
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.pipeline import Pipeline

    split = int(len(y) * 0.75)
    x_train, y_train, x_test, y_test = x[:split], y[:split], x[split:], y[split:]
    pipeline = Pipeline(
        [
            ("vectorize", DictVectorizer(sparse=False)),
            ("regress", GradientBoostingRegressor(n_estimators=200, max_depth=3, learning_rate=0.05, random_state=0)),
        ]
    )
    pipeline.fit(x_train, y_train)
    mean = sum(y_train) / len(y_train)
    return EngagementModel.objects.create(
        team=team,
        algorithm=ALGORITHM,
        n_train=len(y_train),
        n_test=len(y_test),
        mae=_mae(y_test, list(pipeline.predict(x_test))),
        baseline_mae=_mae(y_test, [mean] * len(y_test)),
        features=FEATURES,
        blob=pickle.dumps(pipeline),
    )


def model_info(model: EngagementModel | None, *, team_posts: int | None = None) -> dict[str, Any]:
    if model is None:
        return {
            "kind": "global_prior",
            "reason": f"Fewer than {settings.ANALYTICS_MODEL_MIN_POSTS} published posts with metrics: "
            "platform benchmarks are used.",
        }
    improvement = 1 - model.mae / model.baseline_mae if model.baseline_mae else 0.0
    return {
        "kind": "team_model" if model.beats_baseline else "global_prior",
        "algorithm": model.algorithm,
        "trained_at": model.created_at.isoformat(),
        "n_train": model.n_train,
        "n_test": model.n_test,
        "mae": round(model.mae, 5),
        "baseline_mae": round(model.baseline_mae, 5),
        "improvement": round(improvement, 4),
        "reason": (
            f"Held-out error {model.mae:.2%} vs {model.baseline_mae:.2%} for always guessing the average."
            if model.beats_baseline
            else "The trained model did not beat guessing the average on held-out posts; "
            "platform benchmarks are used instead."
        ),
    }


def latest_model(*, team: Any) -> EngagementModel | None:
    return EngagementModel.objects.filter(team=team).order_by("-created_at").first()


def predict_engagement(
    *,
    team: Any,
    platform: str,
    text: str,
    when: datetime | None = None,
    has_media: bool = False,
    hashtags: list[str] | None = None,
) -> Prediction:
    zone = ZoneInfo(getattr(team, "timezone", None) or "UTC")
    local = (when or timezone.now()).astimezone(zone)
    row = feature_row(platform=platform, when=local, text=text, hashtags=hashtags, has_media=has_media)
    prior = prior_for(platform)
    model = latest_model(team=team)
    info = model_info(model)
    if model is not None and model.beats_baseline:
        pipeline = pickle.loads(model.blob)  # noqa: S301  (written by engagement_model_train above)
        rate = max(0.0, float(pipeline.predict([row])[0]))
    else:
        rate = prior.rate * prior.lift(local.weekday(), local.hour)
        rate *= 1.15 if has_media else 1.0
        rate *= 1.0 if 1 <= row["hashtags"] <= 5 else 0.92
        rate *= 1.05 if row["sentiment"] >= 0.05 else 0.97 if row["sentiment"] <= -0.05 else 1.0
    return Prediction(
        score=score_from_rate(rate, prior.rate),
        engagement_rate=round(rate, 5),
        reasons=_reasons(row, prior_rate=prior.rate, rate=rate, lift=prior.lift(local.weekday(), local.hour)),
        model_info=info,
    )


def _reasons(row: dict, *, prior_rate: float, rate: float, lift: float) -> list[str]:
    reasons = [
        f"Expected engagement {rate:.2%} against a typical {prior_rate:.2%} on {row['platform'] or 'this platform'}."
    ]
    if lift >= 1.1:
        reasons.append("The time is one of the platform's busier slots.")
    elif lift < 0.9:
        reasons.append("The time is a quiet slot for this platform's audience.")
    reasons.append("Posts with media tend to do better." if not row["has_media"] else "Media usually lifts engagement.")
    if row["hashtags"] == 0:
        reasons.append("No hashtags: one to five relevant ones help discovery.")
    elif row["hashtags"] > 5:
        reasons.append(f"{row['hashtags']} hashtags: more than five tends to look spammy.")
    if row["sentiment"] <= -0.05:
        reasons.append("The tone reads negative.")
    elif row["sentiment"] >= 0.05:
        reasons.append("The tone reads positive.")
    return reasons
