"""Engagement prediction: a score 0-100 with the reasons behind it.

`predict_engagement` is the interface; the function it calls is AI_ENGAGEMENT_PREDICTOR, a dotted
path with the same signature as `heuristic_prediction`. The heuristic here scores what platform
guides agree on; the analytics issue swaps in a model trained on the team's own results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from content import platform_rules


@dataclass(frozen=True)
class EngagementPrediction:
    score: int
    reasons: list[str] = field(default_factory=list)
    model: str = "heuristic-v1"


# Share of the limit where posts tend to do best, per platform (short on X and Bluesky, longer on LinkedIn).
_SWEET_SPOT = {"twitter": (0.25, 0.85), "bluesky": (0.3, 0.9), "mastodon": (0.2, 0.8), "linkedin": (0.1, 0.5)}


def heuristic_prediction(
    *, text: str, platform: str, hashtags: list[str] | None = None, team: Any = None
) -> EngagementPrediction:
    rule = platform_rules.rule_for(platform)
    tags = hashtags if hashtags is not None else platform_rules.extract_hashtags(text)
    score = 50.0
    reasons: list[str] = []
    used = platform_rules.count_characters(platform, text) / max(rule.max_chars, 1)
    low, high = _SWEET_SPOT.get(rule.platform, (0.02, 0.3))
    if not text.strip():
        return EngagementPrediction(0, ["The post is empty."])
    if low <= used <= high:
        score += 12
        reasons.append("Length is in the range that performs best on this platform.")
    elif used < low:
        score -= 6
        reasons.append("Short for this platform: add a detail or an example.")
    else:
        score -= 10
        reasons.append("Long for this platform: readers drop off; tighten it.")
    first_line = text.strip().splitlines()[0]
    if len(first_line) <= 120:
        score += 8
        reasons.append("The first line is a short hook.")
    else:
        score -= 5
        reasons.append("The first line is long; lead with a short hook.")
    if "?" in text:
        score += 8
        reasons.append("Asks a question, which invites replies.")
    else:
        reasons.append("No question or call to action to invite replies.")
    if any(ord(ch) > 0x1F000 for ch in text):
        score += 4
        reasons.append("Uses an emoji to catch the eye.")
    target = rule.recommended_hashtags
    if tags and abs(len(tags) - target) <= 1:
        score += 10
        reasons.append(f"{len(tags)} hashtags, close to the {target} that work best here.")
    elif not tags:
        score -= 6
        reasons.append(f"No hashtags: {target} relevant ones help discovery.")
    else:
        score -= 4
        reasons.append(f"{len(tags)} hashtags; about {target} work best here.")
    if "\n" in text.strip() and rule.max_chars > 500:
        score += 5
        reasons.append("Broken into short paragraphs, easy to scan.")
    if re.search(r"https?://", text) and rule.platform in {"instagram", "tiktok"}:
        score -= 8
        reasons.append("Links are not clickable in captions here.")
    return EngagementPrediction(max(0, min(100, round(score))), reasons)


def predict_engagement(
    *, text: str, platform: str, hashtags: list[str] | None = None, team: Any = None
) -> EngagementPrediction:
    predictor: Callable[..., EngagementPrediction] = import_string(settings.AI_ENGAGEMENT_PREDICTOR)
    return predictor(text=text, platform=platform, hashtags=hashtags, team=team)
