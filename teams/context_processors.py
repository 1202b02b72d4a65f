from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from teams.models import Membership


def team_switcher(request: HttpRequest) -> dict[str, object]:
    """The user's teams for the switcher in the top bar; queried only when a page renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "switcher_memberships": SimpleLazyObject(
            lambda: list(
                Membership.objects.filter(user=user).select_related("team").order_by("-team__is_personal", "team__name")
            )
        )
    }
