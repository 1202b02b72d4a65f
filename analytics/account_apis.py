"""`GET /api/social/analytics`: one social account's figures (the path the spec gives it)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.account_figures import account_analytics, parse_account_range
from social import selectors as social_selectors
from teams.permissions import request_team_context


class AnalyticsResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    data = serializers.DictField()  # type: ignore[assignment]


class AccountAnalyticsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("accountId", str, required=True),
            OpenApiParameter("timeRange", str, description="7d, 30d, 90d, 12m or YYYY-MM-DD..YYYY-MM-DD"),
        ],
        responses={200: AnalyticsResponseSerializer},
        tags=["social"],
    )
    def get(self, request: Request) -> Response:
        """Engagement totals and a daily series of one account's published posts."""
        ctx = request_team_context(request)  # type: ignore[arg-type]
        account = social_selectors.account_get(team=ctx.team, account_id=request.query_params.get("accountId"))
        time_range = parse_account_range(request.query_params.get("timeRange"))
        return Response({"success": True, "data": account_analytics(account=account, time_range=time_range)})
