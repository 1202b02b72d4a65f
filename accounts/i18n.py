"""A signed-in user's interface language: their saved preference wins over the cookie and Accept-Language.

Django's LocaleMiddleware picks a language from the cookie and Accept-Language; UserLanguageMiddleware
(after authentication) then switches to the user's `UserPreferences.language`, and the DRF
authenticators do the same for token and API-key callers, so pages, toasts, emails sent in the request
and API error messages all come in the user's language. The preference is read through the cache
(one small query on a miss), so a page view costs no extra query once warm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.models import User, UserPreferences

CACHE_TIMEOUT = 60 * 60
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
    return f"user-language:{user_id}"


def user_language(user: User) -> str | None:
    """The user's saved interface language, or None when they never chose one we support."""
    key = _cache_key(user.pk)
    code = cache.get(key)
    if code is None:
        code = (
            UserPreferences.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
            or _NO_PREFERENCE
        )
        cache.set(key, code, CACHE_TIMEOUT)
    return supported_language(code)


def user_language_activate(user: Any, request: Any = None) -> str | None:
    """Switch this request to the user's language (if they have one); return it."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    code = user_language(user)
    if code:
        translation.activate(code)
        if request is not None:
            request.LANGUAGE_CODE = code
    return code


@receiver(post_save, sender=UserPreferences, dispatch_uid="accounts_language_cache_save")
@receiver(post_delete, sender=UserPreferences, dispatch_uid="accounts_language_cache_delete")
def _forget_cached_language(sender: Any, instance: UserPreferences, **kwargs: Any) -> None:
    key = _cache_key(instance.user_id)
    cache.delete(key)
    # Again after commit: a request that read the old row before the commit may have cached it.
    transaction.on_commit(lambda: cache.delete(key))


class UserLanguageMiddleware:
    """Runs after AuthenticationMiddleware and Django's LocaleMiddleware (see the i18n settings block)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user_language_activate(getattr(request, "user", None), request)
        return self.get_response(request)
