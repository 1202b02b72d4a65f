"""The save-time half of the address guard: a URL a user gives us must resolve outside our network.

Delivery and fetching check again where the connection opens (core.netguard), since a name can
resolve elsewhere later; this check gives the user a field error now instead of silent failures.
"""

from __future__ import annotations

import httpx

from core.api.errors import ValidationFailed
from core.netguard import GENERIC_MESSAGE, DestinationRefused, check_url, resolve_checked


def destination_check(*, url: str, field: str = "url") -> str:
    """The URL, stripped, when it may be called; a ValidationFailed on `field` otherwise."""
    url = (url or "").strip()
    try:
        parsed = check_url(url)
        resolve_checked(parsed.host, parsed.port or (443 if parsed.scheme == "https" else 80))
    except (DestinationRefused, httpx.InvalidURL, OSError, UnicodeError) as exc:
        message = str(GENERIC_MESSAGE)
        raise ValidationFailed(message, details={field: [message]}) from exc
    return url
