"""Engagement prediction: one score 0-100 per draft, the reasons behind it, and where it comes from.

`predict_engagement` is the only entry point. It asks the registered predictor (the signature of
`benchmark_prediction`) for the base score: the team's own trained model when it has one that beat
guessing the average, platform benchmarks otherwise. Analytics, which sits above content, registers
settings.AI_ENGAGEMENT_PREDICTOR from its AppConfig.ready (`engagement_predictor_register`).
Then, whatever the source, it takes off what readers punish (`quality_penalties`): repetition, a
weak first line, no call to action, hashtag stuffing, a draft over the platform's limit. A model
trained on a team's past posts never saw a draft that says the same thing three times, so it cannot
be trusted to punish that itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import regex
from django.utils.translation import gettext as _

from content import platform_rules

TEAM_MODEL = "team_model"
PLATFORM_BENCHMARKS = "platform_benchmarks"


@dataclass(frozen=True)
class EngagementPrediction:
    score: int
    reasons: list[str] = field(default_factory=list)
    model: str = "heuristic-v1"

    @property
    def source(self) -> str:
        return TEAM_MODEL if self.model.startswith("team-model") else PLATFORM_BENCHMARKS

    @property
    def source_label(self) -> str:
        if self.source == TEAM_MODEL:
            return _("Predicted by your workspace's model, trained on your published posts")
        return _("Estimated from platform benchmarks (your workspace has no trained model yet)")

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "reasons": self.reasons,
            "model": self.model,
            "source": self.source,
            "source_label": str(self.source_label),
        }


# Share of the limit where posts tend to do best, per platform (short on X and Bluesky, longer on LinkedIn).
_SWEET_SPOT = {"twitter": (0.25, 0.85), "bluesky": (0.3, 0.9), "mastodon": (0.2, 0.8), "linkedin": (0.1, 0.5)}
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}']+")
_HASHTAG = regex.compile(r"(?<![\w#])#[\p{L}\p{M}\p{N}_]+")
# A call to action asks a question or tells the reader to do something, in each studio language.
_CTA = regex.compile(
    r"(?i)[?؟]|\b(comment|share|follow|save|tag|tell us|let us know|sign up|subscribe|book|order|visit|try|join|"
    r"register|download|click|dm|reply|link in bio|shop now|read more|learn more|"
    r"comenta|comparte|síguenos|guarda|etiqueta|cuéntanos|dinos|reserva|pide|visita|prueba|únete|regístrate|"
    r"commente|partage|suivez|enregistre|identifie|dites|réserve|essaie|rejoins|inscris|"
    r"kommentier|teile|folge|speicher|markier|schreib|buche|bestell|besuch|probier|"
    r"partilhe|siga|guarde|identifique|diga|conte|reserve|experimente|junte|"
    r"commenta|condividi|seguici|salva|tagga|scrivi|prenota|ordina|visita|prova|unisciti|"
    r"شارك|تابع|احفظ|أشر|أخبر|اكتب|احجز|اطلب|زور|جرب|انضم|سجل|"
    r"שתפו|עקבו|שמרו|תייגו|ספרו|כתבו|הזמינו|בקרו|נסו|הצטרפו)"
)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(_HASHTAG.sub(" ", text))]


def repeated_passages(text: str, *, size: int = 6) -> int:
    """How many times a run of `size` words is said again (the topic pasted three times counts 2)."""
    words = _words(text)
    shingles = Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    if not shingles:
        return 0
    # A sentence repeated once repeats many overlapping shingles: count the most repeated one.
    return max(shingles.values()) - 1


def quality_penalties(*, text: str, platform: str, hashtags: list[str] | None = None) -> list[tuple[int, str]]:
    """(points off, reason) for what readers punish; empty for a clean draft."""
    rule = platform_rules.rule_for(platform)
    tags = hashtags if hashtags is not None else platform_rules.extract_hashtags(text)
    penalties: list[tuple[int, str]] = []
    repeats = repeated_passages(text)
    if repeats:
        penalties.append(
            (
                min(45, 15 * repeats),
                _("Says the same thing %(count)s times: readers skim past repetition.") % {"count": repeats + 1},
            )
        )
    lines = [line for line in text.strip().splitlines() if line.strip()]
    first = lines[0].strip() if lines else ""
    first_words = _words(first)
    if not first_words or len(first) > 150 or len(first_words) < 3:
        penalties.append((8, _("The first line is a weak hook: lead with one short, concrete sentence.")))
    if not _CTA.search(_HASHTAG.sub(" ", text)):
        penalties.append((8, _("No call to action: ask a question or tell readers what to do next.")))
    word_count = max(len(_words(text)), 1)
    stuffed = (rule.max_hashtags is not None and len(tags) > rule.max_hashtags) or len(tags) > max(
        2 * rule.recommended_hashtags, 5
    )
    inline = len(_HASHTAG.findall(text))
    if stuffed or (inline >= 3 and inline > word_count * 0.3):
        penalties.append((12, _("Too many hashtags: it reads as spam; keep the few that matter.")))
    if not platform_rules.fits(platform, text):
        penalties.append((25, _("Over the platform's limit: it will be cut or refused.")))
    return penalties


def benchmark_prediction(
    *, text: str, platform: str, hashtags: list[str] | None = None, team: Any = None
) -> EngagementPrediction:
    """What platform guides agree on: length in the platform's sweet spot, a few hashtags, an emoji,
    short paragraphs on long-form platforms, no dead links in captions."""
    rule = platform_rules.rule_for(platform)
    tags = hashtags if hashtags is not None else platform_rules.extract_hashtags(text)
    if not text.strip():
        return EngagementPrediction(0, [_("The post is empty.")])
    score = 60.0
    reasons: list[str] = []
    used = platform_rules.count_characters(platform, text) / max(rule.max_chars, 1)
    low, high = _SWEET_SPOT.get(rule.platform, (0.02, 0.3))
    if low <= used <= high:
        score += 12
        reasons.append(_("Length is in the range that performs best on this platform."))
    elif used < low:
        score -= 6
        reasons.append(_("Short for this platform: add a detail or an example."))
    else:
        score -= 10
        reasons.append(_("Long for this platform: readers drop off; tighten it."))
    if any(ord(ch) > 0x1F000 for ch in text):
        score += 4
        reasons.append(_("Uses an emoji to catch the eye."))
    target = rule.recommended_hashtags
    if tags and abs(len(tags) - target) <= 1:
        score += 10
        reasons.append(
            _("%(count)s hashtags, close to the %(target)s that work best here.")
            % {"count": len(tags), "target": target}
        )
    elif not tags:
        score -= 6
        reasons.append(_("No hashtags: %(target)s relevant ones help discovery.") % {"target": target})
    if "\n" in text.strip() and rule.max_chars > 500:
        score += 5
        reasons.append(_("Broken into short paragraphs, easy to scan."))
    if re.search(r"https?://", text) and rule.platform in {"instagram", "tiktok"}:
        score -= 8
        reasons.append(_("Links are not clickable in captions here."))
    return EngagementPrediction(max(0, min(100, round(score))), reasons, model="platform-benchmarks")


# The name the analytics app has always used for the text heuristics.
heuristic_prediction = benchmark_prediction

EngagementPredictor = Callable[..., EngagementPrediction]
_predictor: list[EngagementPredictor] = [benchmark_prediction]


def engagement_predictor_register(predictor: EngagementPredictor) -> None:
    """Replace the base score's source (the last registration wins; the heuristics until then)."""
    _predictor[0] = predictor


def predict_engagement(
    *, text: str, platform: str, hashtags: list[str] | None = None, team: Any = None
) -> EngagementPrediction:
    base = _predictor[0](text=text, platform=platform, hashtags=hashtags, team=team)
    if not text.strip():
        return base
    penalties = quality_penalties(text=text, platform=platform, hashtags=hashtags)
    score = base.score - sum(points for points, _reason in penalties)
    if repeated_passages(text):
        score = min(score, 45)  # a repetitive draft is never "above typical", whatever the base says
    return replace(
        base,
        score=max(0, min(100, round(score))),
        reasons=[reason for _points, reason in penalties] + list(base.reasons),
    )
