"""Engagement predictions: a model per team trained on its own posts, global priors when history is thin.

Entry point for the AI writer: `predict_engagement(team=, platform=, text=, when=, has_media=)`.
The model is a gradient-boosted regressor on (platform, hour, weekday, length, hashtag count, media,
sentiment) predicting the engagement rate. It is judged on the most recent quarter of the team's
posts, held out from training: its mean absolute error is stored beside the error of a predictor
that always answers the training mean, and it is used only when it beats that baseline.
"""

from __future__ import annotations

import pickle  # noqa: S403  (our own model blobs, written by our own trainer)
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext

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
    """The model's features of one post. "sentiment" is left out when it cannot be measured (a language
    VADER does not read): a missing value, not a neutral 0.0."""
    row = {
        "platform": (platform or "").lower(),
        "hour": when.hour,
        "weekday": when.weekday(),
        "length": len(text or ""),
        "hashtags": hashtag_count(text, hashtags),
        "has_media": 1 if has_media else 0,
    }
    sentiment = sentiment_of(text).compound
    if sentiment is not None:
        row["sentiment"] = sentiment
    return row


def without_unmeasured_sentiment(rows: list[dict]) -> list[dict]:
    """Training rows as the model may learn from them: sentiment only when every post has it measured,
    otherwise none at all (a post in Spanish must not teach the model what "neutral" does)."""
    if all("sentiment" in row for row in rows):
        return rows
    return [{k: v for k, v in row.items() if k != "sentiment"} for row in rows]


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


def typical_post(rows: list[dict]) -> dict[str, Any]:
    """The team's usual post (median length, hashtags and sentiment; media if most have it; its main
    platform): what the best-time search varies the hour and weekday of."""

    def median(values: list[float]) -> float:
        ordered = sorted(values)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    platforms = [r["platform"] for r in rows]
    return {
        "platform": max(set(platforms), key=platforms.count),
        "length": median([r["length"] for r in rows]),
        "hashtags": round(median([r["hashtags"] for r in rows])),
        "has_media": 1 if sum(r["has_media"] for r in rows) * 2 >= len(rows) else 0,
    } | ({"sentiment": median([r["sentiment"] for r in rows])} if all("sentiment" in r for r in rows) else {})


def engagement_model_train(*, team: Any) -> EngagementModel | None:
    """Train on the older 75 % of the team's posts, measure on the newest 25 %; None when too few posts."""
    x, y = training_data(team=team)
    x = without_unmeasured_sentiment(x)
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
    model = EngagementModel.objects.create(
        team=team,
        algorithm=ALGORITHM,
        n_train=len(y_train),
        n_test=len(y_test),
        mae=_mae(y_test, list(pipeline.predict(x_test))),
        baseline_mae=_mae(y_test, [mean] * len(y_test)),
        features=[f for f in FEATURES if f != "sentiment" or (x and "sentiment" in x[0])],
        blob=pickle.dumps({"pipeline": pipeline, "typical": typical_post(x_train)}),
    )
    _MODEL_MEMO.pop(team.pk, None)
    return model


def model_info(model: EngagementModel | None, *, team_posts: int | None = None) -> dict[str, Any]:
    if model is None:
        return {
            "kind": "global_prior",
            "reason": gettext("Fewer than %(count)s published posts with metrics: platform benchmarks are used.")
            % {"count": settings.ANALYTICS_MODEL_MIN_POSTS},
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
            gettext("Held-out error %(error)s vs %(baseline)s for always guessing the average.")
            % {"error": f"{model.mae:.2%}", "baseline": f"{model.baseline_mae:.2%}"}
            if model.beats_baseline
            else gettext(
                "The trained model did not beat guessing the average on held-out posts; "
                "platform benchmarks are used instead."
            )
        ),
    }


def latest_model(*, team: Any) -> EngagementModel | None:
    """The team's newest model, without its pickled blob (`_stored` loads that once per process)."""
    return EngagementModel.objects.filter(team=team).defer("blob").order_by("-created_at").first()


# The writer scores every draft: which model a team has is remembered per process for a minute, so
# the generate path (and its cache-hit path) costs no extra query. Training here forgets it at once.
_MODEL_MEMO: dict[Any, tuple[float, EngagementModel | None]] = {}
_MODEL_MEMO_SECONDS = 60.0


def _latest_model_memo(*, team: Any) -> EngagementModel | None:
    now = time.monotonic()
    hit = _MODEL_MEMO.get(team.pk)
    if hit is not None and hit[0] > now:
        return hit[1]
    model = latest_model(team=team)
    if len(_MODEL_MEMO) > 10_000:
        _MODEL_MEMO.clear()
    _MODEL_MEMO[team.pk] = (now + _MODEL_MEMO_SECONDS, model)
    return model


_PIPELINES: OrderedDict[Any, Any] = OrderedDict()
_PIPELINE_CACHE_SIZE = 32


def _stored(model: EngagementModel) -> tuple[Any, dict[str, Any] | None]:
    """(pipeline, typical post) of a model row, unpickled once per process."""
    if model.pk in _PIPELINES:
        _PIPELINES.move_to_end(model.pk)
        return _PIPELINES[model.pk]
    stored = pickle.loads(bytes(model.blob))  # noqa: S301  (written by engagement_model_train above)
    # {"pipeline", "typical"}; models trained before the typical post was kept are the bare pipeline.
    pipeline = stored if not isinstance(stored, dict) else stored["pipeline"]
    typical = stored.get("typical") if isinstance(stored, dict) else None
    _PIPELINES[model.pk] = (pipeline, typical)
    while len(_PIPELINES) > _PIPELINE_CACHE_SIZE:
        _PIPELINES.popitem(last=False)
    return _PIPELINES[model.pk]


def predict_engagement(
    *,
    team: Any,
    platform: str,
    text: str,
    when: datetime | None = None,
    has_media: bool = False,
    hashtags: list[str] | None = None,
    model: EngagementModel | None = None,
) -> Prediction:
    """`model`: the team's latest model when the caller already has it (looked up otherwise)."""
    zone = ZoneInfo(getattr(team, "timezone", None) or "UTC")
    local = (when or timezone.now()).astimezone(zone)
    row = feature_row(platform=platform, when=local, text=text, hashtags=hashtags, has_media=has_media)
    prior = prior_for(platform)
    model = model or latest_model(team=team)
    info = model_info(model)
    if model is not None and model.beats_baseline:
        pipeline, typical = _stored(model)
        features = row
        if "sentiment" not in row and typical and "sentiment" in typical:
            features = {**row, "sentiment": typical["sentiment"]}  # unmeasurable here: the team's usual value
        rate = max(0.0, float(pipeline.predict([features])[0]))
    else:
        rate = prior.rate * prior.lift(local.weekday(), local.hour)
        rate *= 1.15 if has_media else 1.0
        rate *= 1.0 if 1 <= row["hashtags"] <= 5 else 0.92
        sentiment = row.get("sentiment")
        rate *= 1.0 if sentiment is None else 1.05 if sentiment >= 0.05 else 0.97 if sentiment <= -0.05 else 1.0
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
    sentiment = row.get("sentiment")
    if sentiment is None:
        reasons.append("Sentiment is not available for this language, so it is left out.")
    elif sentiment <= -0.05:
        reasons.append("The tone reads negative.")
    elif sentiment >= 0.05:
        reasons.append("The tone reads positive.")
    return reasons


def ai_engagement_prediction(*, text: str, platform: str, hashtags: list[str] | None = None, team: Any = None) -> Any:
    """The AI writer's engagement score (the default AI_ENGAGEMENT_PREDICTOR, registered with content.engagement).

    With a team model that beat the mean predictor on held-out posts, the score is the model's for
    posting now, and the first reasons give its expectation and its measured error. Otherwise (thin
    history, or a model no better than the average) the writer's text heuristics score the draft and
    the reasons say the workspace is judged on platform benchmarks. Text tips follow in both cases.
    """
    from content.engagement import EngagementPrediction, heuristic_prediction

    heuristic = heuristic_prediction(text=text, platform=platform, hashtags=hashtags, team=team)
    if team is None or not (text or "").strip():
        return heuristic
    model = _latest_model_memo(team=team)
    if model is None or not model.beats_baseline:
        info = model_info(model)
        return EngagementPrediction(
            score=heuristic.score,
            reasons=[*heuristic.reasons, info["reason"]],
            model="global-prior",
        )
    prediction = predict_engagement(team=team, platform=platform, text=text, hashtags=hashtags, model=model)
    accuracy = (
        f"Your workspace's model, trained on {model.n_train} of your posts: held-out error "
        f"{model.mae:.2%} against {model.baseline_mae:.2%} for always guessing the average."
    )
    return EngagementPrediction(
        score=max(0, min(100, round(prediction.score))),
        reasons=[prediction.reasons[0], accuracy, *heuristic.reasons],
        model=f"team-model:{model.pk}",
    )


def slot_rates(*, team: Any, platform: str | None) -> tuple[dict[tuple[int, int], float], EngagementModel] | None:
    """The team model's expected engagement rate of its typical post at each (weekday, hour) of the week,
    in the team's time zone, or None when the team has no model that beat the mean predictor."""
    model = _latest_model_memo(team=team)
    if model is None or not model.beats_baseline:
        return None
    pipeline, typical = _stored(model)
    if typical is None:
        return None
    rows = [
        {**typical, "platform": (platform or typical["platform"]).lower(), "hour": hour, "weekday": weekday}
        for weekday in range(7)
        for hour in range(24)
    ]
    predicted = pipeline.predict(rows)
    return {(r["weekday"], r["hour"]): max(0.0, float(p)) for r, p in zip(rows, predicted, strict=True)}, model
