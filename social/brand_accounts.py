"""Which of a team's social accounts post for a brand (registered with content.brand_assets)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from content.models import Brand
from core.api.errors import ValidationFailed
from social.models import SocialAccount
from teams.models import Team


def accounts_of_brand(*, brand: Brand) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(team_id=brand.team_id, brand=brand).order_by("platform", "account_name")


def accounts_of_team(*, team: Team) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(team=team).order_by("platform", "account_name")


def brand_accounts_assign(*, team: Team, brand: Brand, account_ids: list[Any]) -> set[str]:
    """Make exactly these accounts the brand's; any id not of this team refuses the whole change."""
    wanted = {str(i) for i in account_ids}
    found = {
        str(pk)
        for pk in SocialAccount.objects.filter(team=team, pk__in=_valid_uuids(wanted)).values_list("pk", flat=True)
    }
    missing = sorted(wanted - found)
    if missing:
        raise ValidationFailed(
            "Some accounts are not connected in this team.", details={"accountIds": [f"Unknown: {', '.join(missing)}"]}
        )
    SocialAccount.objects.filter(team=team, brand=brand).exclude(pk__in=found).update(brand=None)
    SocialAccount.objects.filter(team=team, pk__in=found).update(brand=brand)
    return found


def _valid_uuids(values: set[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return valid
