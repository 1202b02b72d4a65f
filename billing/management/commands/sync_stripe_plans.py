"""Create or update the plan catalogue's Products and Prices in Stripe, and mirror them into dj-stripe."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from billing.payments import stripe_plans_sync
from billing.stripe_api import NOT_CONFIGURED_MESSAGE, stripe_configured


class Command(BaseCommand):
    help = "Sync the FREE/PRO/ENTERPRISE catalogue (monthly and yearly prices per currency) to Stripe and dj-stripe."

    def handle(self, *args: Any, **options: Any) -> None:
        if not stripe_configured():
            raise CommandError(NOT_CONFIGURED_MESSAGE)
        report = stripe_plans_sync()
        self.stdout.write(f"Products: {', '.join(report.products)}")
        self.stdout.write(f"Prices created: {len(report.created_prices)}; unchanged: {len(report.kept_prices)}")
        for lookup_key in report.created_prices:
            self.stdout.write(f"  + {lookup_key}")
        self.stdout.write(self.style.SUCCESS("Stripe plans are in sync."))
