"""A signed-in user's language and time zone: their saved preferences win over the cookie and Accept-Language.

Django's LocaleMiddleware picks a language from the cookie and Accept-Language; UserLanguageMiddleware
(after authentication) then switches to the user's `UserPreferences.language` and activates their
`UserPreferences.timezone`, and the DRF authenticators do the same for token and API-key callers, so
pages, dates, toasts and API error messages all come in the user's language and zone. Preferences
are read through the cache (one small query on a miss), so a page view costs no query once warm.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from accounts.models import User, UserPreferences

CACHE_TIMEOUT = 60 * 60
_CACHE_VERSION = 2  # the cached value's shape
_NO_PREFERENCE = ""


def supported_language(code: str | None) -> str | None:
    """code if it is one of settings.LANGUAGES (exactly or by its base, "es-mx" -> "es"), else None."""
    if not code:
        return None
    available = {lang for lang, _name in settings.LANGUAGES}
    code = code.lower()
    if code in available:
        return code
    base = code.split("-")[0]
    return base if base in available else None


def _cache_key(user_id: Any) -> str:
    return f"user-locale:{_CACHE_VERSION}:{user_id}"


class UserLocale(NamedTuple):
    language: str | None
    timezone: zoneinfo.ZoneInfo | None


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def user_locale(user: User) -> UserLocale:
    """The user's saved interface language and time zone (None for what they never set or we do not support)."""
    key = _cache_key(user.pk)
    cached = cache.get(key)
    if cached is None:
        row = UserPreferences.objects.filter(user_id=user.pk).values_list("language", "timezone").first()
        cached = list(row) if row else [_NO_PREFERENCE, _NO_PREFERENCE]
        cache.set(key, cached, CACHE_TIMEOUT)
    language, zone_name = cached
    return UserLocale(supported_language(language), _zone(zone_name))


def user_language_activate(user: Any, request: Any = None) -> str | None:
    """Switch this request to the user's language and time zone (those they have); return the language."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    locale = user_locale(user)
    if locale.timezone is not None:
        timezone.activate(locale.timezone)
    if locale.language:
        translation.activate(locale.language)
        if request is not None:
            request.LANGUAGE_CODE = locale.language
    return locale.language


@receiver(post_save, sender=UserPreferences, dispatch_uid="accounts_locale_cache_save")
def _cache_saved_locale(sender: Any, instance: UserPreferences, **kwargs: Any) -> None:
    key = _cache_key(instance.user_id)
    # The new value at once (the next page is already in the new language, without a query); dropped
    # again after commit, because a request that read the old row meanwhile may have cached that.
    # A rolled-back save leaves its value for at most CACHE_TIMEOUT.
    cache.set(key, [instance.language, instance.timezone], CACHE_TIMEOUT)
    transaction.on_commit(lambda: cache.delete(key))


@receiver(post_delete, sender=UserPreferences, dispatch_uid="accounts_locale_cache_delete")
def _forget_cached_locale(sender: Any, instance: UserPreferences, **kwargs: Any) -> None:
    key = _cache_key(instance.user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


@receiver(user_logged_in, dispatch_uid="accounts_locale_cache_login")
def _warm_locale_on_login(sender: Any, user: Any, **kwargs: Any) -> None:
    # Read once at sign-in rather than on the first page, so page costs stay the same from the first view.
    if isinstance(user, User):
        user_locale(user)


class UserLanguageMiddleware:
    """Runs after AuthenticationMiddleware and Django's LocaleMiddleware (see the i18n settings block)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The active zone would outlive the request in this thread: every request starts and ends on
        # settings.TIME_ZONE. (The language is reset per request by LocaleMiddleware, which also needs
        # it still active on the way out for Content-Language.)
        timezone.deactivate()
        try:
            user_language_activate(getattr(request, "user", None), request)
            return self.get_response(request)
        finally:
            timezone.deactivate()
