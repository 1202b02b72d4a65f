from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from teams.models import Membership, Notification


def team_switcher(request: HttpRequest) -> dict[str, object]:
    """The top bar's team switcher, whether the user acts as a client (both queried only when a page renders
    them) and the unread-notification badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def acting_as_client() -> bool:
        ctx = getattr(request, "_team_context", None)
        if ctx is not None:
            return bool(ctx.is_client)
        team_id = getattr(user, "current_team_id", None)
        if team_id is None:
            return False
        return Membership.objects.filter(user=user, team_id=team_id, role=Membership.Role.CLIENT).exists()

    return {
        "unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        # The sidebar hides the team's internal areas from a client member (they would get a 403 there).
        "acting_as_client": SimpleLazyObject(acting_as_client),
        "switcher_memberships": SimpleLazyObject(
            lambda: list(
                Membership.objects.filter(user=user).select_related("team").order_by("-team__is_personal", "team__name")
            )
        ),
    }
