"""/api/brands/<id>/assets/ and /api/brands/<id>/accounts: a brand's logos, colours, files and accounts.

The brand must be the request team's (404 otherwise); roles are checked by the services.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content.brand_assets import (
    brand_accounts,
    brand_accounts_set,
    brand_asset_add,
    brand_asset_delete,
    brand_asset_get,
    brand_assets,
)
from content.models import Brand
from content.serializers import (
    SUCCESS,
    BrandAccountSerializer,
    BrandAccountsSerializer,
    BrandAssetSerializer,
    BrandAssetUploadSerializer,
)
from core.api.pagination import EnvelopePageNumberPagination
from core.lookups import uuid_or_404
from teams.permissions import Capability, TeamContext, request_team_context, require


def _paginated(request: Request, view: APIView, queryset: Any, serializer: type) -> Response:
    paginator = EnvelopePageNumberPagination()
    page: Any = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


# Brand assets and accounts ---------------------------------------------------------------------
def _brand(ctx: TeamContext, brand_id: str) -> Brand:
    brand = Brand.objects.filter(team=ctx.team, pk=uuid_or_404(brand_id, "brand")).first()
    if brand is None:
        raise Http404("No such brand.")
    return brand


class BrandAssetListApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: BrandAssetSerializer(many=True)}, tags=["brands"])
    def get(self, request: Request, brand_id: str) -> Response:
        brand = _brand(request_team_context(request), brand_id)  # type: ignore[arg-type]
        return _paginated(request, self, brand_assets(brand=brand), BrandAssetSerializer)

    @extend_schema(request=BrandAssetUploadSerializer, responses={201: BrandAssetSerializer}, tags=["brands"])
    def post(self, request: Request, brand_id: str) -> Response:
        """Upload a logo or file (multipart), or add a colour (#RRGGBB)."""
        ctx = request_team_context(request)  # type: ignore[arg-type]
        brand = _brand(ctx, brand_id)
        require(ctx, Capability.MANAGE_BRANDS)
        data = BrandAssetUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        asset = brand_asset_add(
            ctx=ctx,
            brand=brand,
            kind=values["kind"],
            name=values["name"],
            upload=values.get("file"),
            color=values["color"],
        )
        return Response({"success": True, "asset": BrandAssetSerializer(asset).data}, status=status.HTTP_201_CREATED)


class BrandAssetDetailApi(APIView):
    @extend_schema(responses={200: SUCCESS}, tags=["brands"])
    def delete(self, request: Request, brand_id: str, asset_id: str) -> Response:
        ctx = request_team_context(request)  # type: ignore[arg-type]
        asset = brand_asset_get(brand=_brand(ctx, brand_id), asset_id=asset_id)
        brand_asset_delete(ctx=ctx, asset=asset)
        return Response({"success": True})


class BrandAccountsApi(APIView):
    @extend_schema(responses={200: BrandAccountSerializer(many=True)}, tags=["brands"], summary="The brand's accounts")
    def get(self, request: Request, brand_id: str) -> Response:
        brand = _brand(request_team_context(request), brand_id)  # type: ignore[arg-type]
        rows = BrandAccountSerializer(brand_accounts(brand=brand), many=True).data
        return Response({"success": True, "results": rows, "count": len(rows)})

    @extend_schema(request=BrandAccountsSerializer, responses={200: BrandAccountSerializer(many=True)}, tags=["brands"])
    def put(self, request: Request, brand_id: str) -> Response:
        """Set exactly which of the team's connected accounts belong to the brand."""
        ctx = request_team_context(request)  # type: ignore[arg-type]
        brand = _brand(ctx, brand_id)
        require(ctx, Capability.MANAGE_BRANDS)
        data = BrandAccountsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accounts = brand_accounts_set(ctx=ctx, brand=brand, account_ids=data.validated_data["account_ids"])
        rows = BrandAccountSerializer(accounts, many=True).data
        return Response({"success": True, "results": rows, "count": len(rows)})
