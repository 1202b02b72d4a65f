"""Brand assets (logos, colours, files) and the brand's own social accounts.

Files go to Django's default storage (local disk by default, S3 through django-storages in
production). The type is read from the file's first bytes, not trusted from the browser.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from content.models import Brand, BrandAsset
from core.api.errors import ValidationFailed
from core.stored_messages import Message
from core.uploads import UploadRefused, image_header
from teams.models import Team
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Magic numbers of the types we accept; SVG is refused on purpose (it can carry scripts).
_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"%PDF-", 0, "application/pdf"),
    (b"PK\x03\x04", 0, "application/zip"),
]
LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
# The stored name's extension comes from the detected type, never from the uploaded name: a GIF
# named x.js is stored as <random>.gif and served as an image.
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
}
_PIL_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
FILE_TYPES = LOGO_TYPES | {"application/pdf", "application/zip"}


def sniff_content_type(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type
    return None


def _check_file(kind: str, upload: UploadedFile | None) -> str:
    if upload is None:
        raise ValidationFailed("Choose a file to upload.", details={"file": ["Required for logos and files."]})
    limit = settings.TEAMS_BRAND_ASSET_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationFailed(
            f"The file is too large: at most {limit // (1024 * 1024)} MB.",
            details={"file": [f"At most {limit} bytes."]},
        )
    content_type = sniff_content_type(upload)
    allowed = LOGO_TYPES if kind == BrandAsset.Kind.LOGO else FILE_TYPES
    if content_type not in allowed:
        names = "PNG, JPEG, GIF or WebP" if kind == BrandAsset.Kind.LOGO else "PNG, JPEG, GIF, WebP, PDF or ZIP"
        raise ValidationFailed(f"This file type is not accepted: use {names}.", details={"file": [f"Use {names}."]})
    if content_type in LOGO_TYPES:
        # The first bytes matched; the image must also parse as that type, within the pixel limit.
        try:
            header = image_header(upload)
        except UploadRefused as exc:
            raise ValidationFailed(str(exc), details={"file": [str(exc)]}) from exc
        if _PIL_TYPES.get(header.format) != content_type:
            raise ValidationFailed("This image is not what its first bytes say.", details={"file": ["Unreadable."]})
    return content_type


def brand_asset_add(
    *, ctx: TeamContext, brand: Brand, kind: str, name: str, upload: UploadedFile | None = None, color: str = ""
) -> BrandAsset:
    require(ctx, Capability.MANAGE_BRANDS)
    name = (name or "").strip()[:120]
    if kind not in BrandAsset.Kind.values:
        raise ValidationFailed("Unknown asset kind.", details={"kind": ["One of logo, color, file."]})
    if BrandAsset.objects.filter(brand=brand).count() >= settings.TEAMS_BRAND_MAX_ASSETS:
        raise ValidationFailed(
            f"A brand holds at most {settings.TEAMS_BRAND_MAX_ASSETS} assets.", details={"file": ["Too many assets."]}
        )
    asset = BrandAsset(brand=brand, kind=kind)
    if kind == BrandAsset.Kind.COLOR:
        if not HEX_COLOUR.match(color or ""):
            raise ValidationFailed("A colour is #RRGGBB, e.g. #1A73E8.", details={"color": ["Use #RRGGBB."]})
        asset.color = color.upper()
        asset.name = name or asset.color
    else:
        asset.content_type = _check_file(kind, upload)
        asset.size = upload.size or 0  # type: ignore[union-attr]
        asset.name = name or (upload.name or "file")[:120]  # type: ignore[union-attr]
    with transaction.atomic():
        if upload is not None and kind != BrandAsset.Kind.COLOR:
            asset.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[asset.content_type]}", upload, save=False)
        asset.save()
        activity_record(
            team=ctx.team, actor=ctx.user, verb="brand.asset_added",
            summary=Message(
                gettext_noop("%(email)s added %(kind)s %(asset)s to %(brand)s"),
                email=ctx.user.email, kind=Message(BrandAsset.Kind(kind).label), asset=asset.name, brand=brand.name,
            ),
            target=asset,
        )  # fmt: skip
    return asset


def brand_asset_delete(*, ctx: TeamContext, asset: BrandAsset) -> None:
    require(ctx, Capability.MANAGE_BRANDS)
    stored = asset.file.name if asset.file else ""
    storage = asset.file.storage if asset.file else None
    with transaction.atomic():
        asset.delete()
        activity_record(
            team=ctx.team, actor=ctx.user, verb="brand.asset_removed",
            summary=Message(
                gettext_noop("%(email)s removed %(asset)s from %(brand)s"),
                email=ctx.user.email, asset=asset.name, brand=asset.brand.name,
            ),
        )  # fmt: skip
        if stored and storage is not None:
            transaction.on_commit(lambda: storage.delete(stored))


def brand_assets(*, brand: Brand) -> QuerySet[BrandAsset]:
    return BrandAsset.objects.filter(brand=brand).order_by("kind", "name")


def brand_asset_get(*, brand: Brand, asset_id: Any) -> BrandAsset:
    from django.http import Http404

    from core.lookups import uuid_or_404

    asset = BrandAsset.objects.select_related("brand").filter(brand=brand, pk=uuid_or_404(asset_id, "asset")).first()
    if asset is None:
        raise Http404("No such asset.")
    return asset


# Which accounts post for a brand is social's column (SocialAccount.brand). Social sits above content,
# so it registers the read and the write from SocialConfig.ready; pages and APIs call them from here.
_brand_accounts: dict[str, Callable[..., Any]] = {}


def brand_accounts_register(
    *, listing: Callable[..., QuerySet[Any]], team_listing: Callable[..., QuerySet[Any]], assign: Callable[..., Any]
) -> None:
    _brand_accounts.update(listing=listing, team_listing=team_listing, assign=assign)


def brand_accounts(*, brand: Brand) -> QuerySet[Any]:
    return _brand_accounts["listing"](brand=brand)


def brand_accounts_choosable(*, team: Team) -> QuerySet[Any]:
    """Every account of the team, for the form that picks the brand's."""
    return _brand_accounts["team_listing"](team=team)


def brand_accounts_set(*, ctx: TeamContext, brand: Brand, account_ids: list[str]) -> list[Any]:
    """Make exactly these team accounts the brand's; an id outside the team is refused, nothing changes."""
    require(ctx, Capability.MANAGE_BRANDS)
    with transaction.atomic():
        found = _brand_accounts["assign"](team=ctx.team, brand=brand, account_ids=account_ids)
        activity_record(
            team=ctx.team, actor=ctx.user, verb="brand.accounts_changed",
            summary=Message(
                gettext_noop("%(email)s set %(count)s account(s) for %(brand)s"),
                email=ctx.user.email, count=len(found), brand=brand.name,
            ),
            target=brand,
        )  # fmt: skip
    return list(brand_accounts(brand=brand))
