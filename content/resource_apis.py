"""REST resources: /api/posts/, /api/templates/ (versions, restore, gallery, copy) and /api/brands/."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import brand_services, selectors, template_services
from content.apis import check_user_id, optional_brand
from content.serializers import (
    SUCCESS,
    BrandSerializer,
    GalleryTemplateSerializer,
    PostSerializer,
    PostUpdateSerializer,
    TemplateSerializer,
    TemplateUpdateSerializer,
    TemplateVersionSerializer,
    TemplateWriteSerializer,
    envelope,
)
from content.services import post_delete, post_update
from core.api.pagination import EnvelopePageNumberPagination
from teams.permissions import TeamContextMixin


def paginated(request: Request, view: APIView, queryset: QuerySet[Any], serializer_class: type) -> Response:
    paginator = EnvelopePageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


# Posts -----------------------------------------------------------------------------------------
class PostListApi(TeamContextMixin, APIView):
    clients_allowed = True  # a client lists the posts shared with them

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, description="DRAFT, SCHEDULED, PUBLISHED or FAILED"),
            OpenApiParameter("platform", OpenApiTypes.STR),
            OpenApiParameter("q", OpenApiTypes.STR, description="Search in title and text"),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("pageSize", OpenApiTypes.INT),
        ],
        responses={200: PostSerializer(many=True)},
        summary="The team's posts, newest first",
    )
    def get(self, request: Request) -> Response:
        posts = selectors.post_list(
            team=self.team_ctx.team,
            status=request.query_params.get("status", ""),
            platform=request.query_params.get("platform", ""),
            q=request.query_params.get("q", "").strip(),
            viewer=self.team_ctx,
        )
        return paginated(request, self, posts, PostSerializer)


class PostDetailApi(TeamContextMixin, APIView):
    clients_allowed = True  # reading a shared post; editing and deleting need roles a client lacks

    @extend_schema(responses={200: envelope("Post", PostSerializer())})
    def get(self, request: Request, post_id: str) -> Response:
        post = selectors.post_get(ctx=self.team_ctx, post_id=post_id)
        return Response({"success": True, "post": PostSerializer(post).data})

    @extend_schema(request=PostUpdateSerializer, responses={200: envelope("Post", PostSerializer())})
    def patch(self, request: Request, post_id: str) -> Response:
        ctx = self.team_ctx
        post = selectors.post_get(ctx=ctx, post_id=post_id)
        serializer = PostUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        check_user_id(request, changes.pop("user_id", None))
        if "brand_id" in changes:
            changes["brand"] = optional_brand(ctx, changes.pop("brand_id"))
        post = post_update(ctx=ctx, post=post, changes=changes)
        return Response({"success": True, "post": PostSerializer(post).data})

    @extend_schema(responses={200: SUCCESS})
    def delete(self, request: Request, post_id: str) -> Response:
        ctx = self.team_ctx
        post_delete(ctx=ctx, post=selectors.post_get(ctx=ctx, post_id=post_id))
        return Response({"success": True})


# Templates -------------------------------------------------------------------------------------
class TemplateListApi(TeamContextMixin, APIView):
    @extend_schema(parameters=[OpenApiParameter("q", OpenApiTypes.STR)], responses={200: TemplateSerializer(many=True)})
    def get(self, request: Request) -> Response:
        templates = selectors.template_list(team=self.team_ctx.team, q=request.query_params.get("q", "").strip())
        return paginated(request, self, templates, TemplateSerializer)

    @extend_schema(request=TemplateWriteSerializer, responses={201: envelope("Template", TemplateSerializer())})
    def post(self, request: Request) -> Response:
        serializer = TemplateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = template_services.template_create(ctx=self.team_ctx, **serializer.validated_data)
        return Response(
            {"success": True, "template": TemplateSerializer(template).data}, status=status.HTTP_201_CREATED
        )


class TemplateGalleryApi(TeamContextMixin, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR), OpenApiParameter("platform", OpenApiTypes.STR)],
        responses={200: GalleryTemplateSerializer(many=True)},
        summary="Public templates every team can copy from",
    )
    def get(self, request: Request) -> Response:
        self.team_ctx  # noqa: B018 (signed-in members only)
        templates = selectors.template_gallery(
            q=request.query_params.get("q", "").strip(), platform=request.query_params.get("platform", "")
        )
        return paginated(request, self, templates, GalleryTemplateSerializer)


class TemplateDetailApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: envelope("Template", TemplateSerializer())})
    def get(self, request: Request, template_id: str) -> Response:
        template = selectors.template_get(team=self.team_ctx.team, template_id=template_id)
        return Response({"success": True, "template": TemplateSerializer(template).data})

    @extend_schema(request=TemplateUpdateSerializer, responses={200: envelope("Template", TemplateSerializer())})
    def patch(self, request: Request, template_id: str) -> Response:
        ctx = self.team_ctx
        template = selectors.template_get(team=ctx.team, template_id=template_id)
        serializer = TemplateUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        template = template_services.template_update(
            ctx=ctx, template=template, changes=dict(serializer.validated_data)
        )
        return Response({"success": True, "template": TemplateSerializer(template).data})

    @extend_schema(responses={200: SUCCESS})
    def delete(self, request: Request, template_id: str) -> Response:
        ctx = self.team_ctx
        template_services.template_delete(
            ctx=ctx, template=selectors.template_get(team=ctx.team, template_id=template_id)
        )
        return Response({"success": True})


class TemplateVersionListApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: TemplateVersionSerializer(many=True)}, summary="A template's versions, newest first")
    def get(self, request: Request, template_id: str) -> Response:
        template = selectors.template_get(team=self.team_ctx.team, template_id=template_id)
        return paginated(request, self, selectors.template_versions(template=template), TemplateVersionSerializer)


class TemplateRestoreApi(TeamContextMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: envelope("Template", TemplateSerializer())},
        summary="Restore a version (recorded as a new version)",
    )
    def post(self, request: Request, template_id: str, number: int) -> Response:
        ctx = self.team_ctx
        template = selectors.template_get(team=ctx.team, template_id=template_id)
        version = selectors.template_version_get(template=template, number=number)
        template = template_services.template_restore(ctx=ctx, template=template, version=version)
        return Response({"success": True, "template": TemplateSerializer(template).data})


class TemplateCopyApi(TeamContextMixin, APIView):
    @extend_schema(
        request=None,
        responses={201: envelope("Template", TemplateSerializer())},
        summary="Copy a gallery template (or your own) into your team",
    )
    def post(self, request: Request, template_id: str) -> Response:
        ctx = self.team_ctx
        source = selectors.template_get_copyable(team=ctx.team, template_id=template_id)
        template = template_services.template_copy(ctx=ctx, source=source)
        return Response(
            {"success": True, "template": TemplateSerializer(template).data}, status=status.HTTP_201_CREATED
        )


# Brands ----------------------------------------------------------------------------------------
class BrandListApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: BrandSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return paginated(request, self, selectors.brand_list(team=self.team_ctx.team), BrandSerializer)

    @extend_schema(request=BrandSerializer, responses={201: envelope("Brand", BrandSerializer())})
    def post(self, request: Request) -> Response:
        serializer = BrandSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        brand = brand_services.brand_create(ctx=self.team_ctx, **serializer.validated_data)
        return Response({"success": True, "brand": BrandSerializer(brand).data}, status=status.HTTP_201_CREATED)


class BrandDetailApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: envelope("Brand", BrandSerializer())})
    def get(self, request: Request, brand_id: str) -> Response:
        brand = selectors.brand_get(team=self.team_ctx.team, brand_id=brand_id)
        return Response({"success": True, "brand": BrandSerializer(brand).data})

    @extend_schema(request=BrandSerializer, responses={200: envelope("Brand", BrandSerializer())})
    def patch(self, request: Request, brand_id: str) -> Response:
        ctx = self.team_ctx
        brand = selectors.brand_get(team=ctx.team, brand_id=brand_id)
        serializer = BrandSerializer(brand, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        brand = brand_services.brand_update(ctx=ctx, brand=brand, changes=dict(serializer.validated_data))
        return Response({"success": True, "brand": BrandSerializer(brand).data})

    @extend_schema(responses={200: SUCCESS})
    def delete(self, request: Request, brand_id: str) -> Response:
        ctx = self.team_ctx
        brand_services.brand_delete(ctx=ctx, brand=selectors.brand_get(team=ctx.team, brand_id=brand_id))
        return Response({"success": True})
