"""`/api/posts/<id>/tracked-links/`: a post's link tracking (on/off, campaign) and its links' clicks."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import selectors
from content.models import ContentPost
from content.tracked_links import CAMPAIGN_MAX, tracked_links_set
from teams.permissions import TeamContextMixin


class TrackedLinksInputSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    campaign = serializers.CharField(required=False, allow_blank=True, max_length=CAMPAIGN_MAX, default="")


TRACKED_LINKS = inline_serializer(
    "TrackedLinks",
    {
        "success": serializers.BooleanField(),
        "data": inline_serializer(
            "TrackedLinksData",
            {
                "enabled": serializers.BooleanField(),
                "campaign": serializers.CharField(),
                "total": serializers.IntegerField(),
                "links": serializers.ListField(child=serializers.DictField()),
                "byDay": serializers.ListField(child=serializers.DictField()),
            },
        ),
    },
)


def _body(post: ContentPost) -> dict[str, Any]:
    tracking = (post.metadata or {}).get("link_tracking") or {}
    data = {"enabled": bool(tracking.get("enabled")), "campaign": str(tracking.get("campaign", ""))}
    return {"success": True, "data": {**data, **selectors.post_link_clicks(post=post)}}


class PostTrackedLinksApi(TeamContextMixin, APIView):
    def _post(self, post_id: str) -> ContentPost:
        return selectors.post_get(ctx=self.team_ctx, post_id=post_id)

    @extend_schema(responses={200: TRACKED_LINKS}, tags=["content"], summary="The post's tracked links and clicks")
    def get(self, request: Request, post_id: str) -> Response:
        return Response(_body(self._post(post_id)))

    @extend_schema(
        request=TrackedLinksInputSerializer,
        responses={200: TRACKED_LINKS},
        tags=["content"],
        summary="Track the post's links (UTM source = platform, medium = social, campaign as given) or stop",
    )
    def put(self, request: Request, post_id: str) -> Response:
        post = self._post(post_id)
        body = TrackedLinksInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        tracked_links_set(ctx=self.team_ctx, post=post, enabled=data["enabled"], campaign=data["campaign"])
        post.refresh_from_db()
        return Response(_body(post))
