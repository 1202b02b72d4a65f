"""The offline writer: a deterministic local provider, so the product writes usable posts with no key at all.

It reads the structured brief (topic, tone, audience, platform, language, brand) rather than the prose
prompt, and answers in the same output format the prompts ask real models for, so one parser serves all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import regex

from content import platform_rules
from content.providers.base import Brief, Completion, PromptSpec, Provider, ProviderSettings, StreamChunk
from content.providers.offline_phrases import DEFAULT_AUDIENCE, PHRASES, TONE_ALIASES, TONES

_STOPWORDS = frozenset(
    "the a an and or for of to in on at with our your my how why what this that from about into is are be "
    "el la los las de del y para con por un una en sobre le les des et pour avec du une sur der die das und "
    "für mit ein eine über im".split()
)
# Letters with their combining marks (Devanagari vowel signs, Hebrew points, Tibetan subjoined letters)
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]+")


def phrases_for(language: str) -> dict[str, object]:
    return PHRASES.get((language or "en").split("-")[0].lower(), PHRASES["en"])


def canonical_tone(tone: str) -> str:
    key = (tone or "").strip().lower()
    return key if key in TONES else TONE_ALIASES.get(key, "professional")


def _pick(options: list[str], seed: int, salt: int = 0) -> str:
    return options[(seed + salt) % len(options)]


def topic_hashtags(topic: str, *, language: str = "en") -> list[str]:
    """Hashtags from the topic's words (Unicode kept), then the whole topic when it is short."""
    words = [w for w in _WORD.findall(topic) if len(w) > 3 and w.lower() not in _STOPWORDS and not w.isdigit()]
    tags = [f"#{w[:1].upper()}{w[1:]}" for w in words]
    if 1 < len(words) <= 3:
        tags.insert(0, "#" + "".join(w[:1].upper() + w[1:] for w in words))
    generic: list[str] = phrases_for(language)["generic_tags"]  # type: ignore[assignment]
    tags += [f"#{t}" for t in generic]
    return tags


def _without_avoided(text: str, avoid: tuple[str, ...]) -> str:
    for word in avoid:
        if word.strip():
            text = re.sub(rf"(?i)\b{re.escape(word.strip())}\b\s?", "", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


class OfflineProvider(Provider):
    name = "offline"
    offline = True

    @classmethod
    def is_configured(cls, config: ProviderSettings) -> bool:
        return True

    def complete(self, prompt: PromptSpec) -> Completion:
        text = self.write(prompt.brief)
        return Completion(
            text=text,
            provider=self.name,
            model=self.model,
            tokens_in=0,
            tokens_out=0,
        )

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
        rule = platform_rules.rule_for(brief.platform)
        wanted = (
            rule.recommended_hashtags
            if rule.max_hashtags is None
            else min(rule.recommended_hashtags, rule.max_hashtags)
        )
        tags = list(brief.default_hashtags) + topic_hashtags(brief.topic, language=brief.language)
        return platform_rules.limit_hashtags(brief.platform, tags)[: max(wanted, 1)]

    def caption(self, brief: Brief) -> str:
        lang = phrases_for(brief.language)
        tone = canonical_tone(brief.tone)
        seed = self._seed(brief)
        topic = brief.topic.strip().rstrip(".!?")
        code = (brief.language or "en").split("-")[0].lower()
        audience = brief.audience.strip() or DEFAULT_AUDIENCE.get(code, "everyone")
        values = {
            "topic": topic,
            "audience": audience,
            "brand": brief.brand_name,
            "words": ", ".join(brief.words_to_use),
        }
        hooks: list[str] = lang["hooks"][tone]  # type: ignore[index]
        # Variants walk the hooks first, then the calls to action, so N variants differ.
        hook = _pick(hooks, seed, brief.variant).format(**values)
        cta = _pick(lang["ctas"][tone], seed, 1 + brief.variant // len(hooks)).format(**values)  # type: ignore[index]
        bodies: list[str] = lang["bodies"]  # type: ignore[assignment]
        limit = platform_rules.rule_for(brief.platform).max_chars
        count = 1 if limit <= 300 else 2 if limit <= 600 else 3
        # The audience sentence always comes first, so every post speaks to whom it is for.
        body = [bodies[0].format(**values)] + [
            _pick(bodies[1:], seed, i + brief.variant).format(**values) for i in range(count - 1)
        ]
        if brief.brand_name and brief.words_to_use:
            body.append(str(lang["brand_line"]).format(**values))
        tags = " ".join(self.hashtags(brief))
        if brief.template_body:
            text = self._fill_template(
                brief.template_body,
                {**values, "hook": hook, "cta": cta, "hashtags": tags, "body": " ".join(body), "tone": tone},
            )
        elif limit <= 300:
            text = f"{hook} {body[0]}\n\n{cta}\n\n{tags}"
        else:
            text = f"{hook}\n\n" + "\n\n".join(body) + f"\n\n{cta}\n\n{tags}"
        return _without_avoided(text, brief.words_to_avoid)

    @staticmethod
    def _fill_template(template: str, values: dict[str, str]) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), ""), template)

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
            lang = phrases_for(brief.language)
            topic = brief.topic or (sentences[0][:60] if sentences else "")
            ctas: list[str] = lang["ctas"][canonical_tone(brief.tone)]  # type: ignore[index]
            cta = next((c for c in ctas if "?" in c), ctas[0]).format(topic=topic, audience=brief.audience)
            body = f"{body}\n\n{cta}"
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
