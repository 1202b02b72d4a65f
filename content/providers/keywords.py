"""What a topic is about: its salient nouns and names, ranked, and whether it reads as a statement.

Salience comes from a real word-frequency table (`wordfreq`, whose data ships inside the wheel; its
"small" lists, about 8 MB in memory per language against 35-90 MB for the "large" ones):
very frequent words are function words or filler, rare ones are specific. Verbs and adjectives are
set aside with cheap, frequency-backed morphology per language, since a hashtag should name a thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex
from wordfreq import zipf_frequency

# Letters with their combining marks; digits and apostrophes inside a word are kept with it.
_TOKEN = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}\p{N}'’_-]*|\p{N}[\p{L}\p{M}\p{N}]*")
# Numbers, times and ordinals ("2024", "8am", "3rd") are not things a post is about.
_NUMERIC = regex.compile(r"(?i)\d+(?:[.,:]\d+)*(?:am|pm|h|k|m|s|st|nd|rd|th|º|ª|er|e)?")
_SENTENCE_END = regex.compile(r"[.!?؟]\s")
# Words this common are function words or filler in the language (zipf 5 is one in 10 000 words).
_COMMON = 5.2
_WORDFREQ_LANGUAGES = frozenset({"en", "es", "fr", "de", "ar", "he", "pt", "it"})
_SUBJECTS = {
    "en": {"we", "i", "you", "they", "he", "she", "it", "now", "will", "can", "just"},
    "es": {"ya", "ahora", "se", "nos", "lo", "la", "le"},
    "pt": {"já", "agora", "se", "nos"},
    "it": {"ora", "adesso", "si", "ci", "già"},
    "fr": {"nous", "vous", "on", "ils", "elles", "désormais", "maintenant"},
}
# Closed-class finite verbs: with one of these the topic is a sentence ("... is finally here").
_ENGLISH_FINITE = frozenset("is are was were will can has have had does did must should may might".split())
_ARTICLES_EN = frozenset("the a an our your their its my his her this these those every each".split())
_ARTICLES = frozenset("el la los las un una unos unas o a os as um uma il lo i gli le une des du".split())
_ROMANCE_VERB_ENDINGS = {
    "es": ("ar", "er", "ir"),
    "pt": ("ar", "er", "ir"),
    "it": ("are", "ere", "ire"),
    "fr": ("er", "ir", "re"),
}
# Number words are counts, not subjects ("twelve currencies", "عشرة آلاف").
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve hundred thousand million "
    "dos tres cuatro cinco seis siete ocho nueve diez once doce cien mil millón "
    "deux trois quatre cinq sept huit neuf onze douze cent mille "
    "zwei drei vier fünf sechs sieben acht neun zehn zwölf hundert tausend "
    "três quatro seis sete oito nove dez doze "
    "tre quattro cinque sette otto nove dieci dodici cento mille "
    "اثنان اثنين اثنتي اثنتين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثماني ثمانية تسع تسعة عشر عشرة "
    "مئة مائة ألف آلاف مليون".split()
)
_ARABIC_PREPOSITIONS = frozenset("على إلى الى عن من في مع لدى عبر حول كل هذا هذه لدينا".split())
_ARABIC_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف", "ك")
_ARABIC_SUFFIXES = ("هما", "كم", "هم", "ها", "نا", "ه", "ك")
_HEBREW_PREFIXES = ("וה", "בה", "לה", "מה", "שה", "ה", "ו", "ב", "ל", "מ", "ש")


def base_language(code: str) -> str:
    return (code or "en").split("-")[0].lower()


@lru_cache(maxsize=4096)
def zipf(word: str, language: str) -> float:
    lang = base_language(language)
    if lang not in _WORDFREQ_LANGUAGES:
        return 0.0
    return zipf_frequency(word, lang, wordlist="small")


@dataclass(frozen=True)
class Term:
    text: str  # as it should appear in a hashtag
    is_name: bool
    rarity: float  # lower zipf = more specific
    position: int


def _arabic_core(word: str, language: str) -> tuple[str, bool, bool]:
    """(the word without clitics, whether it had the article, whether it can take the article: a noun).

    The article and the proclitics before it are always removed ("بالدراجة" → "دراجة"); a lone
    proclitic or a possessive suffix only when the bare form is clearly the more frequent word
    ("مخبزنا" → "مخبز", but "ورشة" stays "ورشة").
    """
    article = "ال" if language == "ar" else "ה"
    prefixes = _ARABIC_PREFIXES if language == "ar" else _HEBREW_PREFIXES
    definite = next((p for p in prefixes if article in p and word.startswith(p) and len(word) - len(p) >= 2), "")
    if language == "ar" and not definite and word.startswith("لل") and len(word) > 4:
        definite = "لل"  # ل + ال
    core = word[len(definite) :] if definite else word
    if not definite:
        forms = [core[len(p) :] for p in prefixes if len(p) == 1 and core.startswith(p) and len(core) > 3]
        for form in [core, *forms]:
            forms += [form[: -len(s)] for s in _ARABIC_SUFFIXES if language == "ar" and form.endswith(s)]
        forms = [f for f in forms if len(f) >= 3]
        best = max(forms, key=lambda f: zipf(f, language), default=core)
        if zipf(best, language) > zipf(core, language) + 0.5:
            core = best
    if language == "ar" and core.endswith("ت") and zipf(core[:-1] + "ة", language) > zipf(core, language):
        core = core[:-1] + "ة"  # مجموعتنا → مجموعة: a suffix turns ة into ت
    # Nouns take the article: "ال" + a verb ("اليوصل") is rare next to the verb itself.
    takes_article = bool(definite) or zipf(article + core, language) >= max(1.0, zipf(core, language) - 1.5)
    return core, bool(definite), takes_article


def _is_modifier(lower: str, language: str) -> bool:
    """An adjective or adverb, by its form or because the language derives an adverb from it."""
    if language == "en":
        if lower.endswith(("ly", "ful", "ous", "ive", "able", "est")) and len(lower) > 5:
            return True
        adverb = (lower[:-1] + "ily") if lower.endswith("y") else (lower + "ly")
        return zipf(adverb, "en") >= 2.0  # "mentally", "busily" are words
    if language in _ROMANCE_VERB_ENDINGS:
        if lower.endswith(("mente", "ment")) and len(lower) > 6:
            return True
        # Masculine and invariable adjectives only: "clínica" → "clínicamente" would mislead.
        stem = lower[:-1] + "a" if lower.endswith("o") else "" if lower.endswith("a") else lower
        suffix = "ment" if language == "fr" else "mente"
        return bool(stem) and zipf(stem + suffix, language) >= 2.0  # "próximamente", "mentalmente"
    return False


def _is_verb(lower: str, previous: str, language: str, *, finite_only: bool = False) -> bool:
    """A verb form; `finite_only` leaves out infinitives and -ing forms, which do not make a sentence."""
    if language == "en":
        if lower.endswith(("ing", "ed")) and len(lower) > 5:
            return not (finite_only and lower.endswith("ing"))
        if previous in _SUBJECTS["en"]:
            return True
        if lower.endswith("s") and len(lower) > 4:
            stem = lower[:-2] if lower.endswith(("ches", "shes", "sses", "xes")) else lower[:-1]
            # A verb's past tense is common ("delivered" > "delivers"); a noun's is not ("engineered" < "engineers").
            return max(zipf(stem + "ed", "en"), zipf(stem + "d", "en")) > zipf(lower, "en")
        return False
    if language in _ROMANCE_VERB_ENDINGS:
        endings = _ROMANCE_VERB_ENDINGS[language]
        if previous in _ARTICLES:
            return False  # "una visita", "la entrega": a noun after its article
        if lower.endswith(("ando", "endo", "ante", "ants")) and len(lower) > 6:
            return not finite_only
        if lower.endswith(("amos", "emos", "imos", "iamo", "ons", "ez", "ado", "ada", "ido", "ida", "ato", "ito")):
            return True
        if previous in _SUBJECTS.get(language, set()):
            return True
        if lower.endswith(("te", "se", "me")) and regex.search(r"[áéíóú]", lower[:-3]):
            return True  # an imperative with its pronoun: "únete", "apúntate"
        if lower.endswith(endings) and len(lower) > 3:
            return not finite_only  # an infinitive ("repartir", "consegnare")
        stem = lower[:-1] if lower[-1:] in "aeo" else lower[:-2] if lower.endswith(("an", "en", "on")) else ""
        if stem:
            infinitive = max(zipf(stem + e, language) for e in endings)
            return infinitive >= 3.0 and infinitive > zipf(lower, language) - 1.5
    return False


def _looks_like_verb_or_modifier(word: str, lower: str, previous: str, language: str) -> bool:
    return _is_modifier(lower, language) or _is_verb(lower, previous, language)


@dataclass
class _Token:
    word: str
    text: str
    index: int
    at_start: bool
    content: bool = False  # a noun, name or modifier: not a function word
    noun: bool = False
    name: bool = False
    definite: bool = False


def _classify(topic: str, lang: str) -> list[_Token]:
    sentence_starts = {0} | {m.end() for m in _SENTENCE_END.finditer(topic)}
    tokens: list[_Token] = []
    previous = ""
    for index, match in enumerate(_TOKEN.finditer(topic)):
        word = regex.sub(r"['’]s$", "", match.group()).strip("'’-_")
        token = _Token(word, word, index, match.start() in sentence_starts)
        tokens.append(token)
        lower = word.lower()
        if not word or _NUMERIC.fullmatch(word) or len(word) < 3 or lower in _NUMBER_WORDS:
            previous = lower
            continue
        token.name = word[:1].isupper() and lang != "de" and not token.at_start and zipf(lower, lang) < 6.0
        if lang in ("ar", "he"):
            token.text, token.definite, token.noun = _arabic_core(word, lang)
            present_tense = lang == "ar" and word.startswith("ي") and not token.definite
            if token.text.lstrip("ب") in _NUMBER_WORDS or present_tense:
                token.noun = False  # a count, or a present-tense verb ("يهم", "يطلق")
            if lang == "ar" and token.at_start and word.endswith("نا") and len(token.text) == 3:
                token.noun = False  # a sentence opening on "we did" ("زرعنا", "أطلقنا")
        elif lang == "de":
            token.noun = word[:1].isupper() and (not token.at_start or zipf(lower, lang) < 4.5)
        else:
            token.noun = token.name or not _looks_like_verb_or_modifier(word, lower, previous, lang)
        token.content = token.name or max(zipf(token.text.lower(), lang), zipf(lower, lang)) < _COMMON
        token.noun = token.noun and token.content
        previous = lower
    return tokens


def _has_proclitic(token: _Token) -> bool:
    """Whether a preposition or conjunction was attached to the word ("بجائزة", "للشركات", "والعسل")."""
    removed = token.word[: token.word.find(token.text)] if token.text in token.word else ""
    return any(ch in removed.replace("ال", "", 1) for ch in "وبلفك")


def _apply_word_order(tokens: list[_Token], lang: str) -> None:
    """Adjectives follow nouns in Romance languages and Arabic; English verbs follow their subject."""
    for before, token in zip(tokens, tokens[1:], strict=False):
        if token.name or not token.noun or len(before.word) < 3:
            continue
        if lang in _ROMANCE_VERB_ENDINGS and before.noun and not before.name:
            token.noun = False  # "cafés pequeños", "visita nocturna", "salud mental"
        elif lang in ("ar", "he") and before.word not in _ARABIC_PREPOSITIONS and not _has_proclitic(token):
            if token.definite and before.definite:
                token.noun = False  # "العجين المخمر", "الأمن السيبراني"
            elif not token.definite and (before.noun and not before.definite or before.definite and before.content):
                token.noun = False  # "تغليف مستدام", "الدراجات الكهربائية متاحة" (but "خدمة العملاء" is two nouns)
        elif lang == "en" and (before.noun or before.word.endswith("ing")):
            lower = token.word.lower()
            followed = token.index + 1 < len(tokens)
            singular_subject = not before.word.lower().endswith("s")
            if followed and singular_subject and lower.endswith("s") and zipf(lower[:-1], "en") >= 4:
                token.noun = False  # "studio adds", "roastery wins": a verb after its subject


def topic_terms(topic: str, language: str) -> list[Term]:
    """The topic's nouns and names, best first: names, head nouns, then the rarest (most specific)."""
    lang = base_language(language)
    tokens = _classify(topic, lang)
    _apply_word_order(tokens, lang)
    terms: list[Term] = []
    seen: set[str] = set()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        # Consecutive names are one name ("New York"), including one that opened the sentence.
        if token.name or (token.word[:1].isupper() and index + 1 < len(tokens) and tokens[index + 1].name):
            run = [token.word]
            while index + 1 < len(tokens) and tokens[index + 1].name:
                index += 1
                run.append(tokens[index].word)
            if len(run) > 1 or token.name:
                text = "".join(run)
                if text.lower() not in seen:
                    seen.add(text.lower())
                    terms.append(Term(text, True, 0.0, index))
                index += 1
                continue
        if token.noun and token.text.lower() not in seen:
            seen.add(token.text.lower())
            # English puts the head noun last: "coffee roastery", "lunch ideas"; modifiers rank after heads.
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            modifier = lang == "en" and following is not None and following.content
            if modifier and zipf(token.text.lower(), lang) >= 4.5:
                index += 1
                continue  # a common word before a noun is mostly an adjective ("online shops", "free tools")
            terms.append(Term(token.text, False, zipf(token.text.lower(), lang) + (2.0 if modifier else 0.0), index))
        index += 1
    return sorted(terms, key=lambda t: (not t.is_name, t.rarity, t.position))


def hashtag_for(term: str, language: str) -> str:
    word = regex.sub(r"[^\p{L}\p{M}\p{N}_]", "", term)
    if not word:
        return ""
    capital = word[:1].upper()
    # Capitalise only where the capital is the same letter: Turkish dotless "ı" becomes "I", which
    # platforms (and readers) match as "i", another word.
    if word[:1].islower() and len(capital) == 1 and capital.casefold() == word[:1].casefold():
        word = capital + word[1:]
    return "#" + word


def topic_hashtags(topic: str, *, language: str = "en") -> list[str]:
    """Hashtags from the topic's salient nouns and names, in the topic's own script, deduplicated."""
    tags: list[str] = []
    for term in topic_terms(topic, language):
        tag = hashtag_for(term.text, language)
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return tags


def reads_as_statement(topic: str, language: str) -> bool:
    """Whether the topic is a sentence (it has a verb or ends like one) rather than a noun phrase."""
    text = topic.strip()
    if not text:
        return False
    if text[-1] in ".!?؟" or _SENTENCE_END.search(text):
        return True
    lang = base_language(language)
    words = [m.group() for m in _TOKEN.finditer(text)]
    if len(words) < 4:
        return False
    previous = ""
    for index, word in enumerate(words):
        lower = word.lower()
        if lang == "en" and lower in _ENGLISH_FINITE:
            return True
        followed = index + 1 < len(words)
        stem = lower[:-1]
        if (
            lang == "en"
            and followed
            and lower.endswith("s")
            and max(zipf(stem + "ed", lang), zipf(stem + "d", lang)) >= 3
        ):
            if previous and previous not in _ARTICLES_EN and zipf(previous, "en") < 5.5:
                return True  # "the market returns to", "our studio adds": a verb after its subject
        if lang in ("ar", "he"):
            core, _definite, takes_article = _arabic_core(word, lang)
            if not takes_article and len(core) >= 3 and core[:1] in "يتنأ" and lang == "ar":
                return True
        elif lang == "de":
            if not word[:1].isupper() and lower.endswith(("t", "en")) and zipf(lower, lang) >= 3.0:
                return True
        elif not _is_modifier(lower, lang) and _is_verb(lower, previous, lang, finite_only=True):
            return True
        previous = lower
    return False
