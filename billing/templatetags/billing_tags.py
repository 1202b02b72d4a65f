from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from billing.plans import ZERO_DECIMAL_CURRENCIES

register = template.Library()
_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}


@register.filter
def money(amount: int | Decimal | None, currency: str | None) -> str:
    """An amount in the currency's smallest unit, for people: 2900, "usd" -> "$29.00"."""
    if amount is None:
        return "—"
    code = (currency or "").lower()
    value = Decimal(amount) if code in ZERO_DECIMAL_CURRENCIES else Decimal(amount) / 100
    text = f"{value:,.0f}" if code in ZERO_DECIMAL_CURRENCIES else f"{value:,.2f}"
    symbol = _SYMBOLS.get(code)
    return f"{symbol}{text}" if symbol else f"{text} {code.upper()}"


@register.simple_tag
def limit(value: int | None, label: str) -> str:
    if value is None:
        return _("Unlimited %(label)s") % {"label": label}
    return f"{intcomma(value)} {label}"
