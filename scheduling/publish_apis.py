"""`/api/social/publish` and `/api/social/bulk-publish`: publish now, or at `publishAt`.

Paths and bodies are the spec's (under /api/social/), but the action is scheduling's: both end in
`post_schedule` / `posts_schedule`, as `/api/content/schedule` and the dashboard do, so a time in
the past or inside a DST gap gets the same 400 everywhere.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import selectors as content_selectors
from scheduling.models import ScheduledPost
from scheduling.services import post_schedule, posts_schedule
from scheduling.timeutils import parse_instant, zone
from social import selectors
from social.serializers import (
    BulkPublishRequestSerializer,
    PublishRequestSerializer,
    PublishResponseSerializer,
    PublishResultSerializer,
    ScheduledPostBriefSerializer,
)
from social.services.media import media_attach
from social.services.publishing import PublishOutcome, deliveries_check_count, post_first_comment_set
from teams.permissions import Capability, TeamContextMixin, require


def _scheduled_brief(rows: list[ScheduledPost]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(r.pk),
            "post_id": str(r.post_id),
            "social_account_id": str(r.social_account_id),
            "platform": r.platform,
            "scheduled_at": r.scheduled_at,
            "timezone": r.timezone,
            "status": r.status,
        }
        for r in rows
    ]


def _outcome_body(outcome: PublishOutcome) -> dict[str, Any]:
    return {
        "success": True,
        "results": PublishResultSerializer(outcome.results, many=True).data,
        "scheduled_posts": ScheduledPostBriefSerializer(_scheduled_brief(outcome.scheduled), many=True).data,
    }


def _publish_at(data: dict[str, Any]) -> Any:
    raw = data.get("publish_at")
    return parse_instant(raw, zone(data["timezone"])) if raw else None


class PublishApi(TeamContextMixin, APIView):
    @extend_schema(request=PublishRequestSerializer, responses={200: PublishResponseSerializer}, tags=["social"])
    def post(self, request: Request) -> Response:
        """Publish a post now to accounts (by platform or id), or schedule it at publishAt."""
        ctx = self.team_ctx
        data = PublishRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        post = content_selectors.post_get(ctx=ctx, post_id=values["post_id"])
        require(ctx, Capability.PUBLISH)
        if values.get("account_ids"):
            accounts = selectors.accounts_by_ids(team=ctx.team, account_ids=values["account_ids"])
        else:
            accounts = selectors.accounts_for_platforms(team=ctx.team, platforms=values["platforms"])
        deliveries_check_count(len(accounts))
        at = _publish_at(values)
        post_first_comment_set(post=post, text=values.get("first_comment"))
        if values.get("media_ids"):
            media_attach(post=post, assets=selectors.media_by_ids(team=ctx.team, media_ids=values["media_ids"]))
        outcome = post_schedule(post=post, accounts=accounts, at=at, tz=values["timezone"], actor=ctx)
        return Response(_outcome_body(outcome))


class BulkPublishApi(TeamContextMixin, APIView):
    @extend_schema(request=BulkPublishRequestSerializer, responses={200: PublishResponseSerializer}, tags=["social"])
    def post(self, request: Request) -> Response:
        """Publish (or schedule) several posts to several accounts; failures are reported per delivery."""
        ctx = self.team_ctx
        data = BulkPublishRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        posts = content_selectors.posts_by_ids(ctx=ctx, post_ids=values["post_ids"])
        accounts = selectors.accounts_by_ids(team=ctx.team, account_ids=values["account_ids"])
        require(ctx, Capability.PUBLISH)
        outcome = posts_schedule(
            posts=posts, accounts=accounts, at=_publish_at(values), tz=values["timezone"], actor=ctx
        )
        return Response(_outcome_body(outcome))
