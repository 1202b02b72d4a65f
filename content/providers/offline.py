"""The offline writer: a deterministic local provider, so the product writes usable posts with no key at all.

It reads the structured brief (topic, tone, audience, platform, language, brand) rather than the prose
prompt, and answers in the same output format the prompts ask real models for, so one parser serves all.
The topic is stated once, in a sentence of its own; the phrases around it (hook, audience line, body,
call to action) never carry it, so it is never repeated or pasted where it does not fit. A draft is
built from the richest arrangement that fits the platform, dropping optional sentences before it
would cut one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import regex

from content import platform_rules
from content.providers.base import Brief, Completion, PromptSpec, Provider, ProviderSettings, StreamChunk
from content.providers.keywords import base_language, reads_as_statement, topic_hashtags
from content.providers.offline_phrases import Phrases, canonical_tone, phrases_for
from content.shortening import shorten_at_boundary

_END_PUNCTUATION = ".!?؟…"


def _pick(options: tuple[str, ...], seed: int, salt: int = 0) -> str:
    return options[(seed + salt) % len(options)]


def _sentence_case(text: str) -> str:
    """The first character upper-cased when it is a lower-case letter ("8am sale" stays as it is); the
    rest exactly as the user wrote it."""
    stripped = text.lstrip()
    if stripped[:1].islower():
        return text[: len(text) - len(stripped)] + stripped[0].upper() + stripped[1:]
    return text


def _without_avoided(text: str, avoid: tuple[str, ...]) -> str:
    for word in avoid:
        if word.strip():
            text = re.sub(rf"(?i)\b{re.escape(word.strip())}\b\s?", "", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
_QUESTION = regex.compile(r"[?؟]")


def _like_best_posts(options: tuple[str, ...], examples: tuple[str, ...], trait: regex.Pattern[str]) -> tuple[str, ...]:
    """The team's best posts as a style guide (spec 10.1): when most of them have a trait (an emoji, a
    question), prefer the phrases that have it too; when most lack it, the ones without."""
    if not examples:
        return options
    wanted = sum(1 for e in examples if trait.search(e)) * 2 >= len(examples)
    matching = tuple(o for o in options if bool(trait.search(o)) == wanted)
    return matching or options


def topic_sentence(brief: Brief, phrases: Phrases, seed: int) -> str:
    """The topic, once: as a sentence of its own when it is one, else as the head of a short frame."""
    topic = regex.sub(r"\s+", " ", brief.topic).strip()
    if not topic:
        return ""
    if reads_as_statement(topic, brief.language):
        sentence = _sentence_case(topic)
        return sentence if sentence[-1] in _END_PUNCTUATION else sentence + "."
    return _pick(phrases.np_frames, seed, brief.variant).format(topic=_sentence_case(topic.rstrip(".:;,")))


class OfflineProvider(Provider):
    name = "offline"
    offline = True

    @classmethod
    def is_configured(cls, config: ProviderSettings) -> bool:
        return True

    def complete(self, prompt: PromptSpec) -> Completion:
        text = self.write(prompt.brief)
        return Completion(text=text, provider=self.name, model=self.model, tokens_in=0, tokens_out=0)

    def stream(self, prompt: PromptSpec) -> Iterator[StreamChunk]:
        text = self.write(prompt.brief)
        for piece in re.findall(r"\S+\s*|\s+", text):
            yield StreamChunk(delta=piece)
        yield StreamChunk(done=True, model=self.model)

    # The writing itself -------------------------------------------------------------------------
    def write(self, brief: Brief) -> str:
        if brief.kind == "HASHTAGS":
            return " ".join(self.hashtags(brief))
        if brief.kind == "OPTIMIZATION":
            return self.optimize(brief)
        return self.caption(brief)

    def _seed(self, brief: Brief) -> int:
        key = f"{brief.topic}|{brief.platform}|{brief.tone}|{brief.audience}|{brief.language}"
        return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")

    def hashtags(self, brief: Brief) -> list[str]:
        """The brand's own hashtags, then the topic's nouns and names: never filler words."""
        rule = platform_rules.rule_for(brief.platform)
        wanted = (
            rule.recommended_hashtags
            if rule.max_hashtags is None
            else min(rule.recommended_hashtags, rule.max_hashtags)
        )
        tags = list(brief.default_hashtags) + topic_hashtags(brief.topic, language=brief.language)
        return platform_rules.limit_hashtags(brief.platform, tags)[: max(wanted, 1)]

    def caption(self, brief: Brief) -> str:
        phrases = phrases_for(brief.language)
        tone = canonical_tone(brief.tone)
        seed = self._seed(brief)
        v = brief.variant
        # Variants walk the choices like binary digits (hook, call to action, body), so N variants differ.
        hook = _pick(_like_best_posts(phrases.hooks[tone], brief.performance_examples, _EMOJI), seed, v)
        cta = _pick(_like_best_posts(phrases.ctas[tone], brief.performance_examples, _QUESTION), seed, v // 2)
        bodies = phrases.bodies[tone]
        body = [_pick(bodies, seed, v // 4), _pick(bodies, seed, v // 4 + 1)]
        statement = topic_sentence(brief, phrases, seed)
        audience = (
            _pick(phrases.audience_lines, seed, v).format(audience=_sentence_case(brief.audience.strip()))
            if brief.audience.strip()
            else ""
        )
        brand = (
            phrases.brand_line.format(brand=brief.brand_name, words=", ".join(brief.words_to_use))
            if brief.brand_name and brief.words_to_use
            else ""
        )
        tags = self.hashtags(brief)
        if brief.template_body:
            values = {
                "topic": brief.topic.strip(),
                "audience": brief.audience.strip(),
                "brand": brief.brand_name,
                "words": ", ".join(brief.words_to_use),
                "hook": hook,
                "cta": cta,
                "hashtags": " ".join(tags),
                "body": " ".join([statement, *body]),
                "tone": tone,
            }
            return _without_avoided(
                re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), ""), brief.template_body), brief.words_to_avoid
            )
        if platform_rules.rule_for(brief.platform).max_chars <= 600:
            # Short platforms: the richest arrangement that fits, dropping optional sentences first.
            first = [
                [" ".join(s for s in (hook, statement, audience, body[0], brand) if s)],
                [" ".join(s for s in (hook, statement, body[0]) if s)],
                [f"{hook} {statement}"],
                [statement],
            ]
        else:
            middle = " ".join(s for s in (statement, audience, body[0], body[1]) if s)
            first = [[hook, middle, brand] if brand else [hook, middle]]
        arrangements = [(lead, cta) for lead in first] + [([statement], "")]
        return self._first_that_fits(brief, arrangements, tags)

    def _first_that_fits(self, brief: Brief, arrangements: list[tuple[list[str], str]], tags: list[str]) -> str:
        platform = brief.platform
        for keep in range(len(tags), -1, -1):
            tag_line = " ".join(tags[:keep])
            for lead, cta in arrangements:
                paragraphs = [*lead, cta, tag_line]
                text = _without_avoided("\n\n".join(p for p in paragraphs if p), brief.words_to_avoid)
                if platform_rules.fits(platform, text):
                    return text
        # Even the topic alone is over the limit: shorten it at a clause boundary.
        return _without_avoided(shorten_at_boundary(platform, arrangements[-1][0][0]), brief.words_to_avoid)

    def optimize(self, brief: Brief) -> str:
        source = brief.source_text.strip()
        body = "\n".join(line for line in source.splitlines() if not re.fullmatch(r"\s*(#\S+\s*)+", line)).strip()
        body = re.sub(r"(?<![\w#])#(\w+)", r"\1", body) if brief.optimization_type == "readability" else body
        improvements: list[str] = []
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if s.strip()]
        if len(sentences) > 1 and platform_rules.rule_for(brief.platform).max_chars > 300:
            body = sentences[0] + "\n\n" + " ".join(sentences[1:])
            improvements.append('Put the hook on its own line so it shows before "see more".')
        if "?" not in body:
            ctas = phrases_for(brief.language).ctas[canonical_tone(brief.tone)]
            body = f"{body}\n\n{next((c for c in ctas if '?' in c), ctas[0])}"
            improvements.append("Added a call to action that invites replies.")
        cleaned = _without_avoided(body, brief.words_to_avoid)
        if cleaned != body:
            improvements.append("Removed words the brand avoids.")
        existing = platform_rules.extract_hashtags(source)
        tags = self.hashtags(Brief(**{**brief.__dict__, "default_hashtags": tuple(existing) + brief.default_hashtags}))
        if [t.lower() for t in tags] != [t.lower() for t in existing]:
            improvements.append(f"Set {len(tags)} hashtags, the number that works best on {brief.platform}.")
        if not improvements:
            improvements.append("Already well shaped for the platform; tightened spacing.")
        return f"{cleaned}\n\n{' '.join(tags)}\n\nIMPROVEMENTS:\n" + "\n".join(f"- {i}" for i in improvements)


__all__ = ["OfflineProvider", "base_language", "topic_hashtags", "topic_sentence"]
