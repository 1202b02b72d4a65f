"""`GET /api/teams/<team_id>/analytics`: output and performance per member and per brand."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.team_analytics import parse_range, team_analytics
from teams.permissions import request_team_context


class AnalyticsRowSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    posts_created = serializers.IntegerField()
    posts_published = serializers.IntegerField()
    views = serializers.IntegerField()
    likes = serializers.IntegerField()
    comments = serializers.IntegerField()
    shares = serializers.IntegerField()
    engagements = serializers.IntegerField()
    engagement_rate = serializers.FloatField()


def analytics_body(report: Any) -> dict[str, Any]:
    return {
        "success": True,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "totals": report.totals.as_dict(),
        "members": [r.as_dict() for r in report.members],
        "brands": [r.as_dict() for r in report.brands],
    }


class TeamAnalyticsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 29 days before 'to')"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, inclusive (default: today)"),
        ],
        responses={
            200: inline_serializer(
                "TeamAnalytics",
                {
                    "success": serializers.BooleanField(),
                    "from": serializers.DateField(),
                    "to": serializers.DateField(),
                    "totals": AnalyticsRowSerializer(),
                    "members": AnalyticsRowSerializer(many=True),
                    "brands": AnalyticsRowSerializer(many=True),
                },
            )
        },
        tags=["teams"],
        summary="Output and performance per member and per brand",
    )
    def get(self, request: Request, team_id: str) -> Response:
        # A client member gets a 403 here: this view is not open to clients.
        ctx = request_team_context(request, team_id=team_id)  # type: ignore[arg-type]
        start, end = parse_range(request.query_params.get("from"), request.query_params.get("to"))
        return Response(analytics_body(team_analytics(team=ctx.team, start=start, end=end)))
