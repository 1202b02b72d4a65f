"""Brand writes (the Brand model lives in teams; the generator is what reads it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from content import platform_rules
from content.models import Brand
from core.api.errors import ValidationFailed
from core.stored_messages import Message
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record

BRAND_FIELDS = ("name", "voice", "words_to_use", "words_to_avoid", "example_posts", "default_hashtags")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    if "default_hashtags" in values:
        tags = (platform_rules.normalize_hashtag(t) for t in values["default_hashtags"])
        values["default_hashtags"] = list(dict.fromkeys(t for t in tags if t))
    for name in ("words_to_use", "words_to_avoid", "example_posts"):
        if name in values:
            values[name] = [v.strip() for v in values[name] if v.strip()]
    return values


def _check_name(*, ctx: TeamContext, name: str, exclude: Any = None) -> None:
    if Brand.objects.filter(team=ctx.team, name__iexact=name.strip()).exclude(pk=exclude).exists():
        raise ValidationFailed(
            "A brand with this name already exists.", details={"name": ["Already used in this team."]}
        )


@transaction.atomic
def brand_create(*, ctx: TeamContext, name: str, **values: Any) -> Brand:
    require(ctx, Capability.MANAGE_BRANDS)
    _check_name(ctx=ctx, name=name)
    values = _clean({k: v for k, v in values.items() if k in BRAND_FIELDS})
    brand = Brand.objects.create(team=ctx.team, name=name.strip(), **values)
    activity_record(
        team=ctx.team, actor=ctx.user, verb="brand.created", summary=Message(
            gettext_noop("%(email)s created brand %(brand)s"), email=ctx.user.email, brand=brand.name
        ),
        target=brand,
    )  # fmt: skip
    return brand


@transaction.atomic
def brand_update(*, ctx: TeamContext, brand: Brand, changes: dict[str, Any]) -> Brand:
    require(ctx, Capability.MANAGE_BRANDS)
    if "name" in changes:
        _check_name(ctx=ctx, name=changes["name"], exclude=brand.pk)
    for name, value in _clean({k: v for k, v in changes.items() if k in BRAND_FIELDS}).items():
        setattr(brand, name, value.strip() if isinstance(value, str) else value)
    brand.save()
    activity_record(
        team=ctx.team, actor=ctx.user, verb="brand.updated", summary=Message(
            gettext_noop("%(email)s edited brand %(brand)s"), email=ctx.user.email, brand=brand.name
        ),
        target=brand,
    )  # fmt: skip
    return brand


@transaction.atomic
def brand_delete(*, ctx: TeamContext, brand: Brand) -> None:
    require(ctx, Capability.MANAGE_BRANDS)
    activity_record(
        team=ctx.team, actor=ctx.user, verb="brand.deleted", summary=Message(
            gettext_noop("%(email)s deleted brand %(brand)s"), email=ctx.user.email, brand=brand.name
        ),
        data={"brandId": str(brand.pk)},
    )  # fmt: skip
    brand.delete()
