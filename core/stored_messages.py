"""Messages stored for later readers: a key (the English msgid) and parameters, translated when shown.

A notification or an activity line is written once and read by people with different languages, on
the web, over the websocket, in an e-mail digest. So the writer stores `Message(key, **params)`
(key marked with gettext_noop so it reaches the catalogues) and the reader renders it in the active
language. The English text is stored too, as the fallback for rows written before keys existed.

A parameter that is itself text to translate (a role, "Ada (client)") is passed as a `Message`; it is
stored as {"msgid": key, "params": {...}} and translated with the rest.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext


class Message:
    def __init__(self, key: Any, /, **params: Any) -> None:
        self.key = _source(key)
        self.params = {name: _store(value) for name, value in params.items()}

    def render(self) -> str:
        return message_render(key=self.key, params=self.params, fallback=self.key)

    def english(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self.render()

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.params!r})"


def _source(text: Any) -> str:
    """The msgid of `text`: a lazy translation (a choice label, say) evaluated with no language active."""
    with translation.override(None):
        return str(text)


def _store(value: Any) -> Any:
    if isinstance(value, Message):
        return {"msgid": value.key, "params": value.params} if value.params else {"msgid": value.key}
    if isinstance(value, int | float | str) or value is None:
        return value
    return str(value)


def _shown(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("msgid"), str):
        return message_render(key=value["msgid"], params=value.get("params"), fallback=value["msgid"])
    return value


def message_render(*, key: str, params: dict[str, Any] | None, fallback: str) -> str:
    """`key` translated into the active language with `params` filled in; `fallback` without a key.

    A catalogue entry whose placeholders do not match the stored parameters (an edited msgid, say)
    shows the stored English rather than failing the page.
    """
    if not key:
        return fallback
    text = gettext(key)
    if not params:
        return text
    try:
        return text % {name: _shown(value) for name, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return fallback


def message_split(value: str | Message) -> tuple[str, str, dict[str, Any]]:
    """(English text, key, params) to store for `value`; a plain string has no key and is kept as is."""
    if isinstance(value, Message):
        return value.english(), value.key, value.params
    return str(value), "", {}
