"""A pseudo-locale in which every translated string shows it was translated: ⟦Save draft⟧.

`qps` is a language whose catalogue is built when the tests run: every message that the Spanish
*and* the Arabic catalogues translate (ours, Django's, allauth's, DRF's) comes back wrapped in
⟦…⟧. A text on a page rendered in `qps` without the markers was therefore either never passed
through gettext (hard-coded) or is missing from a catalogue — English on a Spanish or Arabic page.
What is left after removing the marked parts must be user content (what the database holds),
numbers and punctuation, or one of the few names in ALLOWED.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.test.utils import override_settings
from django.utils.translation import trans_real

PSEUDO = "qps"
OPEN, CLOSE = "⟦", "⟧"

# Names that are the same in every language: the brand, platforms, languages in their own name,
# units, and the formats of codes. Keep it short: every entry is a word no test will ever flag.
ALLOWED = (
    "ContentGenAI",
    "LinkedIn",
    "Instagram",
    "Facebook",
    "TikTok",
    "Twitter",
    "Threads",
    "Bluesky",
    "Mastodon",
    "YouTube",
    "Pinterest",
    "Stripe",
    "English",
    "Español",
    "العربية",
    "Pseudo",
    "QPS",
    "X (Twitter)",
    "Sandbox",
    "CSV",
    "JSON",
    "XML",
    "PDF",
    "API",
    "UTC",
    "RRULE",
    "TOTP",
    "URL",
    "ID",
)

LETTER = re.compile(r"[^\W\d_]")
DIGIT = re.compile(r"\d")
# innermost first: a translated sentence may hold a translated word (⟦Models in the ⟦Billing⟧ app⟧)
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# Hidden from the reader: what inside these elements is never shown as text.
INVISIBLE = {"script", "style", "template", "noscript", "title"}
# Computer code is shown as it is (an activity's verb, a setting's name, a path).
CODE = {"code", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes a reader sees or hears (tooltips, placeholders, screen readers).
VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


def _translated_everywhere() -> set[Any]:
    """Catalogue keys ("msgid", "context\\x04msgid") with a translation in every offered language."""
    keys: set[Any] | None = None
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        catalog = trans_real.DjangoTranslation(code)._catalog
        found = {key[0] if isinstance(key, tuple) else key for key, value in catalog.items() if key and value}
        keys = found if keys is None else keys & found
    return keys or set()


class PseudoTranslation(trans_real.DjangoTranslation):
    def __init__(self, known: set[Any]) -> None:
        super().__init__(PSEUDO)
        self.known = known

    def gettext(self, message: str) -> str:
        if message in self.known:
            return f"{OPEN}{message.split(trans_real.CONTEXT_SEPARATOR, 1)[-1]}{CLOSE}"
        return message

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        chosen = singular if number == 1 else plural
        if singular in self.known:
            return f"{OPEN}{chosen.split(trans_real.CONTEXT_SEPARATOR, 1)[-1]}{CLOSE}"
        return chosen


@contextmanager
def pseudo_locale() -> Iterator[None]:
    """Offer `qps` as a language (settings.LANGUAGES) whose translations carry the markers."""
    known = _translated_everywhere()
    LANG_INFO[PSEUDO] = {"bidi": False, "code": PSEUDO, "name": "Pseudo", "name_local": "Pseudo"}
    with tempfile.TemporaryDirectory() as locale_dir:
        # an (empty) catalogue on disk, so Django accepts `qps` from a cookie or Accept-Language too
        mo_path = Path(locale_dir) / PSEUDO / "LC_MESSAGES" / "django.mo"
        mo_path.parent.mkdir(parents=True)
        polib.POFile().save_as_mofile(str(mo_path))
        try:
            with override_settings(
                LANGUAGES=[*settings.LANGUAGES, (PSEUDO, "Pseudo")], LOCALE_PATHS=[*settings.LOCALE_PATHS, locale_dir]
            ):
                trans_real.translation_catalog_exists.cache_clear()
                trans_real._translations[PSEUDO] = PseudoTranslation(known)
                yield
        finally:
            LANG_INFO.pop(PSEUDO, None)
            trans_real._translations.pop(PSEUDO, None)
            trans_real.translation_catalog_exists.cache_clear()


def user_content() -> list[str]:
    """Every text the database holds in a free-text field: user content, names, e-mails.

    Stored messages (notification titles, activity summaries) are not user content: they are
    rendered from a key in the reader's language, and must carry the markers like any other text.
    """
    from teams.models import ActivityEvent, Notification

    stored_messages = {("teams", "notification"), ("teams", "activityevent")}
    values: set[str] = set()
    for model in apps.get_models():
        meta = model._meta
        if (meta.app_label, meta.model_name) in stored_messages or meta.app_label in {"sessions", "admin"}:
            continue
        fields = [
            f.attname
            for f in meta.concrete_fields
            if (isinstance(f, models.CharField | models.TextField) and not f.choices)
            or f"{meta.label_lower}.{f.name}" in USER_JSON_FIELDS
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                values.update(_strings(value))
    # a stored message without a key (older than keys, or a user's own words) is shown as stored
    for title, body in Notification.objects.filter(title_key="").values_list("title", "body"):
        values.update(_strings([title, body]))
    values.update(_strings(list(ActivityEvent.objects.filter(summary_key="").values_list("summary", flat=True))))
    return sorted(values, key=len, reverse=True)


# JSON fields that hold what users wrote (most JSON fields hold codes: categories, flags, settings).
USER_JSON_FIELDS = {
    "content.brand.words_to_use",
    "content.brand.words_to_avoid",
    "content.brand.example_posts",
    "content.brand.default_hashtags",
    "content.contentpost.hashtags",
}


def _strings(value: Any) -> Iterator[str]:
    """The texts in a field's value, a JSON list or object included (a brand's words, hashtags)."""
    if isinstance(value, str):
        if len(value.strip()) > 1:
            yield value.strip()
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


# Codes, not words: secrets and ids (long runs of letters and digits), domain names, handles, colours.
CODES = re.compile(r"(?<!\S)(?:(?=\S*\d)[A-Za-z0-9]{12,}|[\w@-]+(?:\.[\w-]+)+|#[0-9A-Fa-f]{3,8})(?!\S)")


class _TextCollector(HTMLParser):
    """Visible text in document order. Skipped, each for a reason: text in an element with its own
    `lang` (a language's name in that language), an <option> whose text is its value (a time zone id,
    a code), <code>, and Django admin's model list (#nav-sidebar, the admin's chrome around the status page)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.option_value: str | None = None

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        skip = (
            tag in INVISIBLE
            or tag in CODE
            or (tag != "html" and "lang" in attributes)
            or attributes.get("id") == "nav-sidebar"
        )
        if not skip and not self._skipping():
            for name in VISIBLE_ATTRIBUTES:
                if attributes.get(name):
                    self.texts.append(attributes[name] or "")
            if tag == "input" and attributes.get("type") in {"submit", "button"} and attributes.get("value"):
                self.texts.append(attributes["value"] or "")
        self.option_value = attributes.get("value") if tag == "option" else None
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        if any(open_tag == tag for open_tag, _skip in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._skipping() or not data.strip():
            return
        if self.option_value is not None and data.strip() == self.option_value:
            return
        self.texts.append(data)


def untranslated(text: str, *, content: list[str], html: bool = True) -> list[str]:
    """The visible texts of `text` (an HTML page, or plain text) with words outside the markers."""
    if html:
        collector = _TextCollector()
        collector.feed(text)
        pieces = [" ".join(piece.split()) for piece in collector.texts]
    else:
        pieces = [" ".join(line.split()) for line in text.splitlines()]
    # A translated sentence may hold markup (a link, <code>): its markers span several text nodes, so
    # they are removed from the whole text, one piece per line, innermost first.
    whole = "\n".join(pieces)
    while (stripped := MARKED.sub(lambda m: " " + "\n" * m.group().count("\n"), whole)) != whole:
        whole = stripped
    content = sorted(content, key=len, reverse=True)  # a name inside a longer text must not leave half of it
    found = []
    for piece, rest in zip(pieces, whole.split("\n"), strict=True):
        rest = CODES.sub(" ", rest)  # first: a name inside a domain ("mastodon" in mastodon.social) is no word
        for value in content:
            if value in rest:
                rest = rest.replace(value, " ")
        for name in sorted(ALLOWED, key=len, reverse=True):
            rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest)
        # A word has two letters or more and no digit: one letter is an initial (the avatar's) or a
        # symbol (p = 0.05); "5xx" or "r1" are codes.
        words = [token for token in rest.split() if len(LETTER.findall(token)) > 1 and not DIGIT.search(token)]
        if words:
            found.append(piece[:160])
    return sorted(set(found))
