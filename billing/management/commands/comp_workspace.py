"""Give a workspace a plan until a date without Stripe (a comp), or extend one: the admin action's CLI twin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.models import SubscriptionTier
from billing.plans import PLAN_NAMES
from billing.services import subscription_comp
from teams.models import Team


class Command(BaseCommand):
    help = "Comp a workspace: give it a tier for some days without Stripe (by team id, or its owner's email)."

    def add_arguments(self, parser: Any) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--team", help="The workspace's id.")
        target.add_argument("--email", help="The owner's email: their current workspace (else their personal one).")
        parser.add_argument("--tier", default=SubscriptionTier.PRO, choices=SubscriptionTier.values)
        parser.add_argument("--days", type=int, default=30, help="How long, from now (default 30).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        team = self._team(options)
        until = timezone.now() + timedelta(days=options["days"])
        subscription_comp(team=team, tier=options["tier"], until=until)
        self.stdout.write(f"{team.name}: {PLAN_NAMES[options['tier']]} until {until:%Y-%m-%d} (complimentary).")

    def _team(self, options: dict[str, Any]) -> Team:
        if options["team"]:
            try:
                team = Team.objects.filter(pk=options["team"]).first()
            except (ValueError, ValidationError):
                team = None
        else:
            owned = Team.objects.filter(owner__email__iexact=options["email"])
            team = (
                owned.filter(pk__in=owned.values("owner__current_team")).first()
                or owned.filter(is_personal=True).first()
            )
        if team is None:
            raise CommandError("No such workspace.")
        return team
