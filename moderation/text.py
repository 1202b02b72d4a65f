"""Text normalisation and whole-word term matching shared by every local check.

Terms match on token boundaries, never inside a word, so "Scunthorpe", "assistant" and "classic"
stay clean. Obfuscation is undone before matching: Unicode compatibility forms (NFKC), case
(casefold), accents, zero-width characters, leetspeak ("sh1t", "$h!t"), letters split by
punctuation or spaces ("f.u.c.k", "f u c k"), masked letters ("f*ck") and stretched letters
("fuuuck").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u0640"), None)
# Arabic diacritics (tashkeel) are dropped like Latin accents, so vowelled spellings match.
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670]")
_LEET_MAP = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "i"}
_LEET = str.maketrans(_LEET_MAP)
_LEET_CHARS = set(_LEET_MAP)
# A raw chunk of text between spaces; inner punctuation is judged below.
_CHUNK = re.compile(r"\S+")
_WORD = re.compile(r"[\w@$!|*]+")
_SPACED_LETTERS = re.compile(r"^(?:\w[.\-_*·•]+)+\w$")
_RUN = re.compile(r"(\w)\1{2,}")
_SQUEEZE = re.compile(r"(\w)\1+")


def fold(text: str) -> str:
    """NFKC + casefold + no accents or zero-width characters: the form every comparison uses."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).casefold()
    text = _ARABIC_MARKS.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or _is_arabic(ch))
    return unicodedata.normalize("NFC", stripped)


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


def text_hash(text: str) -> str:
    """Identity of a text for review decisions: whitespace and case differences do not matter."""
    return hashlib.sha256(" ".join(fold(text).split()).encode()).hexdigest()


@dataclass(frozen=True)
class Token:
    value: str  # folded, de-leeted
    start: int  # span in the original text
    end: int
    masked: bool = False  # contains "*" standing for hidden letters
    stretched: bool = False  # had a letter repeated three or more times
    joined: bool = False  # built from one-letter tokens ("f u c k"), not a word of its own


def _clean_word(raw: str) -> str:
    word = raw.rstrip("!|.")  # a trailing "!" is punctuation, not a leet "i"
    if not word:
        return ""
    core = word if any(c.isalpha() for c in word) else ""
    if core and any(c in _LEET_CHARS for c in core):
        core = core.translate(_LEET)
    return core


def tokenize(text: str) -> list[Token]:
    """Word tokens with their spans, plus joined tokens for letters spelled out one by one."""
    return list(_tokens(text))


@lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[Token, ...]:
    """tokenize() remembered for the last texts: one moderation run matches the same text five times.

    Tokens are frozen and this depends on nothing but the text, so a remembered answer is the same answer.
    """
    # Spans point into the folded text; it differs in length from the original only after
    # ligatures or "ß", where a highlighted span is then off by a character or two.
    folded = fold(text)
    tokens: list[Token] = []
    for chunk in _CHUNK.finditer(folded):
        raw = chunk.group().strip("\"'()[]{}<>,;:?¿¡.")
        offset = chunk.start() + chunk.group().find(raw) if raw else chunk.start()
        if _SPACED_LETTERS.match(raw) and not any(ch.isdigit() for ch in raw.replace("*", "")):
            joined = re.sub(r"[.\-_·•]", "", raw)
            tokens.append(_token(joined, offset, offset + len(raw)))
            continue
        for word in _WORD.finditer(raw):
            value = _clean_word(word.group())
            if value and value.strip("*"):
                tokens.append(_token(value, offset + word.start(), offset + word.end()))
    return tuple(_join_single_letters(tokens))


def _token(value: str, start: int, end: int) -> Token:
    return Token(value=value, start=start, end=end, masked="*" in value, stretched=bool(_RUN.search(value)))


def _join_single_letters(tokens: list[Token]) -> list[Token]:
    """ "f u c k" is one word: runs of three or more one-letter tokens are also offered joined."""
    out: list[Token] = list(tokens)
    run: list[Token] = []
    for token in [*tokens, Token("", 0, 0)]:
        if len(token.value) == 1 and token.value.isalpha():
            run.append(token)
            continue
        if len(run) >= 3:
            joined = _token("".join(t.value for t in run), run[0].start, run[-1].end)
            out.append(Token(joined.value, joined.start, joined.end, joined.masked, joined.stretched, joined=True))
        run = []
    return out


@lru_cache(maxsize=8192)
def _term_words(term: str) -> tuple[str, ...]:
    """A term's words, remembered: matchers built per request (protected terms) see the same terms again."""
    return tuple(t.value for t in _tokens_uncached(term) if not t.joined)


def _tokens_uncached(text: str) -> tuple[Token, ...]:
    return _tokens.__wrapped__(text)


@dataclass(frozen=True)
class TermHit:
    term: str
    start: int
    end: int
    data: object


class TermMatcher:
    """Whole-token matching of many (possibly multi-word) terms, with obfuscation undone.

    A term ending in "*" also matches longer words starting with it ("fuck*" → "fucking"); use it
    only for stems that no innocent word starts with.
    """

    def __init__(self, terms: Iterable[tuple[str, object]]) -> None:
        self._exact: dict[tuple[str, ...], tuple[str, object]] = {}
        self._squeezed: dict[str, tuple[str, object]] = {}
        self._prefixes: list[tuple[str, str, object]] = []
        self._phrase_sizes: dict[str, set[int]] = {}  # first word of a multi-word term -> its lengths
        for term, data in terms:
            prefix = term.endswith("*")
            words = _term_words(term.rstrip("*"))
            if not words:
                continue
            if prefix and len(words) == 1:
                self._prefixes.append((words[0], term, data))
            self._exact.setdefault(words, (term.rstrip("*"), data))
            if len(words) == 1:
                self._squeezed.setdefault(_SQUEEZE.sub(r"\1", words[0]), (term.rstrip("*"), data))
            if len(words) > 1:
                self._phrase_sizes.setdefault(words[0], set()).add(len(words))

    def find(self, text: str) -> list[TermHit]:
        tokens = _tokens(text)
        hits: list[TermHit] = []
        seen: set[tuple[int, int, str]] = set()
        for token in tokens:
            for found in self._match_single(token):
                key = (token.start, token.end, found[0])
                if key not in seen:
                    seen.add(key)
                    hits.append(TermHit(found[0], token.start, token.end, found[1]))
        words = [t for t in tokens if not t.joined]
        # Only windows starting with a phrase's first word can match one (shorter phrases first, as before).
        windows = sorted(
            (size, i)
            for i, t in enumerate(words)
            for size in self._phrase_sizes.get(t.value, ())
            if i + size <= len(words)
        )
        for size, i in windows:
            window = words[i : i + size]
            phrase = self._exact.get(tuple(t.value for t in window))
            if phrase and (window[0].start, window[-1].end, phrase[0]) not in seen:
                seen.add((window[0].start, window[-1].end, phrase[0]))
                hits.append(TermHit(phrase[0], window[0].start, window[-1].end, phrase[1]))
        return hits

    def _match_single(self, token: Token) -> list[tuple[str, object]]:
        value = token.value
        found = self._exact.get((value,))
        if found:
            return [found]
        if token.stretched:
            found = self._squeezed.get(_SQUEEZE.sub(r"\1", value))
            if found:
                return [found]
        if token.masked:
            pattern = re.compile("^" + re.escape(value).replace(r"\*", r"\w") + "$")
            for (word,), entry in ((k, v) for k, v in self._exact.items() if len(k) == 1):
                if len(word) == len(value) and pattern.match(word):
                    return [entry]
        for stem, term, data in self._prefixes:
            if value.startswith(stem) and len(value) > len(stem):
                return [(term.rstrip("*"), data)]
        return []
