"""Billing emails to a team's owner, sent after the transaction that caused them commits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from teams.models import Team

TEMPLATES = ("payment_failed", "payment_restored", "downgraded_unpaid")


def billing_email_send(*, team: Team, template: str, context: dict[str, Any] | None = None) -> None:
    if template not in TEMPLATES:
        raise ValueError(f"Unknown billing email {template!r}")
    recipient = team.owner.email
    data = {
        "team": team,
        "billing_url": settings.SITE_URL.rstrip("/") + reverse("billing:overview"),
        "grace_days": settings.BILLING_GRACE_DAYS,
        **(context or {}),
    }

    def send() -> None:
        # In the owner's language (webhooks and beat tasks have no request to take one from).
        with translation.override(_owner_language(team)):
            subject = render_to_string(f"billing/email/{template}_subject.txt", data).strip()
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string(f"billing/email/{template}.txt", data),
                to=[recipient],
            )
            message.attach_alternative(render_to_string(f"billing/email/{template}.html", data), "text/html")
        message.send()

    transaction.on_commit(send)


def _owner_language(team: Team) -> str:
    from accounts.models import UserPreferences

    language = UserPreferences.objects.filter(user_id=team.owner_id).values_list("language", flat=True).first()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
