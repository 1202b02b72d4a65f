"""/api/activity/: the team's activity feed. Tasks, comments and workflows are content.task_workflow_apis."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import EnvelopePageNumberPagination
from teams import collab_selectors as selectors
from teams.collab_serializers import ActivityEventSerializer
from teams.permissions import Capability, TeamContextMixin, require


def paginated(request: Request, view: APIView, queryset: QuerySet[Any], serializer_class: type) -> Response:
    paginator = EnvelopePageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class ActivityListApi(TeamContextMixin, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("verb", OpenApiTypes.STR, description="A verb or its prefix: post., post.approved"),
            OpenApiParameter("actorId", OpenApiTypes.STR),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: ActivityEventSerializer(many=True)},
        summary="The team's activity feed and audit trail, newest first",
    )
    def get(self, request: Request) -> Response:
        ctx = self.team_ctx
        require(ctx, Capability.VIEW)
        try:
            events = selectors.activity_list(
                team=ctx.team,
                verb=request.query_params.get("verb", "").strip(),
                actor_id=request.query_params.get("actorId", "").strip(),
            )
            return paginated(request, self, events, ActivityEventSerializer)
        except ValidationError:
            return paginated(request, self, selectors.activity_list(team=ctx.team).none(), ActivityEventSerializer)
