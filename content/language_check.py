"""Which language a generated text is written in, checked with a real detector (lingua).

The detector knows only the languages the studio offers: that keeps it small (about 25 MB in
low-accuracy mode, its n-gram models ship inside the wheel, nothing is downloaded) and fast, and it
cannot answer with a language we never asked for. Hashtags, links, mentions and emoji are removed
first; a text with too few letters left is not judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# ISO 639-1 → lingua's names, for the languages the studio and the UI offer.
_LINGUA_NAMES = {
    "en": "ENGLISH",
    "es": "SPANISH",
    "fr": "FRENCH",
    "de": "GERMAN",
    "ar": "ARABIC",
    "he": "HEBREW",
    "pt": "PORTUGUESE",
    "it": "ITALIAN",
}
CHECKED_LANGUAGES = frozenset(_LINGUA_NAMES)
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("ar", _("Arabic")),
    ("he", _("Hebrew")),
    ("pt", _("Portuguese")),
    ("it", _("Italian")),
]
MIN_LETTERS = 20
MIN_LATIN_LETTERS = 50
_LATIN = frozenset({"en", "es", "fr", "de", "pt", "it"})
CLEAR_VERDICT = 0.6
STILL_PLAUSIBLE = 0.2
_NOISE = regex.compile(r"(?:https?://|www\.)\S+|[#@＃][\p{L}\p{M}\p{N}_.]+|\p{Extended_Pictographic}|\d+")
_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True)
class LanguageCheck:
    requested: str
    detected: str | None  # None: too little text to tell, or a language we do not check
    confidence: float
    matches: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "requested": self.requested,
            "detected": self.detected,
            "confidence": round(self.confidence, 3),
            "matches": self.matches,
        }


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LINGUA_NAMES.values()]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _code_of(language: Any) -> str:
    by_name = {name: code for code, name in _LINGUA_NAMES.items()}
    return by_name.get(language.name, "")


def prose_of(text: str) -> str:
    return regex.sub(r"\s+", " ", _NOISE.sub(" ", text or "")).strip()


def confidences(text: str, *, min_letters: int = MIN_LETTERS) -> dict[str, float]:
    """Each checked language's share of the detector's confidence (they add up to 1); empty when the
    text has too few letters to tell."""
    prose = prose_of(text)
    if len(_LETTER.findall(prose)) < min_letters:
        return {}
    return {_code_of(v.language): float(v.value) for v in _detector().compute_language_confidence_values(prose)}


def detect_language(text: str, *, min_letters: int = MIN_LETTERS) -> tuple[str | None, float]:
    """(ISO code, confidence 0-1) of the text's language, or (None, 0) when there is too little to tell."""
    values = confidences(text, min_letters=min_letters)
    if not values:
        return None, 0.0
    best = max(values, key=lambda code: values[code])
    return best or None, values[best]


def language_check(*, text: str, requested: str) -> LanguageCheck:
    code = (requested or "en").split("-")[0].lower()
    if code not in CHECKED_LANGUAGES:
        return LanguageCheck(code, None, 0.0, True)
    values = confidences(text)
    if not values:
        return LanguageCheck(code, None, 0.0, True)
    detected = max(values, key=lambda c: values[c])
    if detected in _LATIN and code in _LATIN and len(_LETTER.findall(prose_of(text))) < MIN_LATIN_LETTERS:
        # Trigram statistics cannot tell Latin-script languages apart in one short sentence
        # ("Our autumn blend beats CompetitorCo." reads as 92 % Spanish): not judged.
        return LanguageCheck(code, None, 0.0, True)
    # A short post can look like several languages at once: only a clear verdict against the language
    # asked for is a mismatch ("Fresh beans for baristas!" is 46 % Spanish, 30 % English: not flagged).
    clear = values[detected] >= CLEAR_VERDICT and values.get(code, 0.0) < STILL_PLAUSIBLE
    return LanguageCheck(code, detected, values[detected], detected == code or not clear)


def language_fields(check: LanguageCheck | None, *, offline: bool) -> dict[str, Any]:
    """What a generation outcome carries about its language: the check, and a warning when it failed."""
    if check is None:
        return {}
    return {"language_check": check.as_dict(), "warnings": language_warnings(check, offline=offline)}


def language_warnings(check: LanguageCheck, *, offline: bool) -> list[str]:
    if check.matches:
        return []
    names = dict(LANGUAGE_CHOICES)
    values = {"requested": names.get(check.requested, check.requested), "detected": names.get(check.detected or "", "")}
    warning = (
        gettext("This draft may not be in %(requested)s: it reads as %(detected)s. Check it before posting.") % values
    )
    if offline:
        warning += (
            " "
            + gettext(
                "The offline writer keeps your topic's words as you wrote them: write the topic in %(requested)s "
                "or connect an AI provider to have it translated."
            )
            % values
        )
    return [str(warning)]
