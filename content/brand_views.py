"""Brand pages: the team's brands, and per brand its voice, default hashtags, assets and accounts.

Brand writes are content.brand_services (the generator reads brands); assets and the account link
are content.brand_assets. Every lookup is scoped by the request's team: another team's brand is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from content import brand_services, selectors
from content.brand_assets import (
    brand_accounts,
    brand_accounts_choosable,
    brand_accounts_set,
    brand_asset_add,
    brand_asset_delete,
    brand_asset_get,
    brand_assets,
)
from content.forms import BrandAssetForm
from content.models import Brand
from core.api.errors import ApiError, PermissionDeniedError
from teams.permissions import Capability, TeamContext, request_team_context


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class BrandForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    voice = forms.CharField(label=gettext_lazy("Voice"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    words_to_use = forms.CharField(
        label=gettext_lazy("Words to use (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    words_to_avoid = forms.CharField(
        label=gettext_lazy("Words to avoid (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    default_hashtags = forms.CharField(
        label=gettext_lazy("Default hashtags (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "voice": data["voice"],
            "words_to_use": _lines(data["words_to_use"]),
            "words_to_avoid": _lines(data["words_to_avoid"]),
            "default_hashtags": _lines(data["default_hashtags"]),
        }

    @classmethod
    def for_brand(cls, brand: Brand) -> BrandForm:
        return cls(
            initial={
                "name": brand.name,
                "voice": brand.voice,
                "words_to_use": "\n".join(brand.words_to_use),
                "words_to_avoid": "\n".join(brand.words_to_avoid),
                "default_hashtags": "\n".join(brand.default_hashtags),
            }
        )


def _brand(ctx: TeamContext, brand_id: str) -> Brand:
    return selectors.brand_get(team=ctx.team, brand_id=brand_id)


def _act(request: HttpRequest, action: Any, success: str) -> Any:
    try:
        result = action()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApiError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result or True


@login_required
@require_http_methods(["GET", "POST"])
def brand_list(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    form = BrandForm(request.POST or None)
    if request.method == "POST":
        if not ctx.can(Capability.MANAGE_BRANDS):
            raise PermissionDenied(_("Only admins and the owner manage brands."))
        if form.is_valid():
            brand = _act(
                request,
                lambda: brand_services.brand_create(ctx=ctx, **form.values()),
                _("Brand created."),
            )
            if brand:
                return redirect("content:brand", brand_id=brand.pk)
    brands = selectors.brand_list(team=ctx.team)
    return render(
        request,
        "content/brands.html",
        {"brands": brands, "form": form, "can_manage": ctx.can(Capability.MANAGE_BRANDS), "nav_section": "team"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def brand_detail(request: HttpRequest, brand_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    brand = _brand(ctx, brand_id)
    form = BrandForm(request.POST) if request.method == "POST" else BrandForm.for_brand(brand)
    if request.method == "POST":
        if not ctx.can(Capability.MANAGE_BRANDS):
            raise PermissionDenied(_("Only admins and the owner manage brands."))
        if form.is_valid() and _act(
            request, lambda: brand_services.brand_update(ctx=ctx, brand=brand, changes=form.values()), _("Brand saved.")
        ):
            return redirect("content:brand", brand_id=brand.pk)
    return render(
        request,
        "content/brand_detail.html",
        {
            "brand": brand,
            "form": form,
            "asset_form": BrandAssetForm(),
            "assets": brand_assets(brand=brand),
            "accounts": brand_accounts(brand=brand),
            "team_accounts": brand_accounts_choosable(team=ctx.team),
            "can_manage": ctx.can(Capability.MANAGE_BRANDS),
            "nav_section": "team",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def brand_delete(request: HttpRequest, brand_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    brand = _brand(ctx, brand_id)
    _act(request, lambda: brand_services.brand_delete(ctx=ctx, brand=brand), _("Brand deleted."))
    return redirect("content:brands")


@login_required
@require_POST
def brand_asset_upload(request: HttpRequest, brand_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    brand = _brand(ctx, brand_id)
    form = BrandAssetForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a kind, and a file or a colour."))
    else:
        data = form.cleaned_data
        _act(
            request,
            lambda: brand_asset_add(
                ctx=ctx, brand=brand, kind=data["kind"], name=data["name"], upload=data["file"], color=data["color"]
            ),
            _("Asset added."),
        )
    return redirect("content:brand", brand_id=brand.pk)


@login_required
@require_POST
def brand_asset_remove(request: HttpRequest, brand_id: str, asset_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    asset = brand_asset_get(brand=_brand(ctx, brand_id), asset_id=asset_id)
    _act(request, lambda: brand_asset_delete(ctx=ctx, asset=asset), _("Asset removed."))
    return redirect("content:brand", brand_id=brand_id)


@login_required
@require_POST
def brand_accounts_update(request: HttpRequest, brand_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    brand = _brand(ctx, brand_id)
    _act(
        request,
        lambda: brand_accounts_set(ctx=ctx, brand=brand, account_ids=request.POST.getlist("accounts")),
        _("Accounts saved."),
    )
    return redirect("content:brand", brand_id=brand.pk)
