"""The spec's POST /api/content/schedule and the schedules, series and queue resources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.selectors import best_posting_times
from content import selectors as content_selectors
from content.platform_rules import normalize_platform
from core.api.errors import ValidationFailed
from scheduling import selectors
from scheduling.models import QueueSlot, ScheduledPost
from scheduling.queueing import queue_add, queue_reorder, queue_shuffle, queue_slots_set
from scheduling.serializers import (
    BestTimeSerializer,
    QueueAddSerializer,
    QueueReorderSerializer,
    QueueSlotSerializer,
    QueueSlotsSerializer,
    RecurringCreateSerializer,
    RecurringScheduleSerializer,
    RecurringUpdateSerializer,
    RescheduleSerializer,
    ScheduledPostSerializer,
    ScheduleRequestSerializer,
    ScheduleResponseSerializer,
)
from scheduling.series import recurring_create, recurring_stop, recurring_update
from scheduling.services import post_schedule, schedule_cancel, schedule_reschedule, scheduled_post_retry_now
from scheduling.timeutils import parse_instant, zone
from social import selectors as social_selectors
from social.models import SocialAccount
from teams.models import Team
from teams.permissions import Capability, TeamContextMixin, require


def _valid(serializer_class: type[drf_serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _accounts_named(team: Team, names: list[str]) -> list[SocialAccount]:
    """`platforms` may hold platform names (every account on it) or account ids."""
    ids = [n for n in names if len(n) >= 32]
    platforms = [normalize_platform(n) for n in names if len(n) < 32]
    accounts = social_selectors.accounts_by_ids(team=team, account_ids=ids) if ids else []
    if platforms:
        accounts += social_selectors.accounts_for_platforms(team=team, platforms=platforms)
    return list({a.pk: a for a in accounts}.values())


def _zone_name(raw: str | None, team: Team) -> str:
    name = raw or team.timezone
    zone(name)
    return name


class ScheduleApi(TeamContextMixin, APIView):
    @extend_schema(request=ScheduleRequestSerializer, responses={201: ScheduleResponseSerializer}, tags=["scheduling"])
    def post(self, request: Request) -> Response:
        """Schedule a post on one or more platforms (one ScheduledPost per account)."""
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        data = _valid(ScheduleRequestSerializer, request.data)
        tz = _zone_name(data.get("timezone"), ctx.team)
        at = parse_instant(data["scheduled_at"], zone(tz))
        post = content_selectors.post_get(ctx=ctx, post_id=data["post_id"])
        accounts = _accounts_named(ctx.team, data["platforms"])
        rows = post_schedule(post=post, accounts=accounts, at=at, tz=tz, actor=ctx).scheduled
        body = ScheduledPostSerializer(rows, many=True).data
        return Response(
            {"success": True, "scheduled_post": body[0], "scheduled_posts": body}, status=status.HTTP_201_CREATED
        )


def _range_param(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_instant(raw, zone("UTC"))
    except ValidationFailed as exc:
        raise ValidationFailed(f"{name} is not an ISO 8601 date-time.", details={name: ["Invalid date."]}) from exc


class ScheduleListApi(TeamContextMixin, ListAPIView):
    serializer_class = ScheduledPostSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("platform", str),
            OpenApiParameter("accountId", str),
            OpenApiParameter("from", str),
            OpenApiParameter("to", str),
        ],
        tags=["scheduling"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The team's queue and history, filterable by status, platform, account and time range."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return ScheduledPost.objects.none()
        params = self.request.query_params
        status_value = params.get("status")
        if status_value and status_value.upper() not in {"PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"}:
            raise ValidationFailed("Unknown status.", details={"status": ["Unknown status."]})
        return selectors.schedules_for_team(
            team=self.team_ctx.team,
            status=status_value,
            platform=params.get("platform"),
            account_id=params.get("accountId"),
            start=_range_param(self.request, "from"),
            end=_range_param(self.request, "to"),
        )


class ScheduleDetailApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: ScheduledPostSerializer}, tags=["scheduling"])
    def get(self, request: Request, scheduled_id: str) -> Response:
        row = selectors.schedule_get(team=self.team_ctx.team, scheduled_id=scheduled_id)
        return Response({"success": True, "scheduled_post": ScheduledPostSerializer(row).data})

    @extend_schema(request=RescheduleSerializer, responses={200: ScheduledPostSerializer}, tags=["scheduling"])
    def patch(self, request: Request, scheduled_id: str) -> Response:
        """Reschedule one (occurrence of a) post."""
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        row = selectors.schedule_get(team=ctx.team, scheduled_id=scheduled_id)
        data = _valid(RescheduleSerializer, request.data)
        tz = _zone_name(data.get("timezone") or row.timezone, ctx.team)
        row = schedule_reschedule(scheduled=row, at=parse_instant(data["scheduled_at"], zone(tz)), tz=tz)
        return Response({"success": True, "scheduled_post": ScheduledPostSerializer(row).data})

    @extend_schema(responses={200: ScheduledPostSerializer}, tags=["scheduling"])
    def delete(self, request: Request, scheduled_id: str) -> Response:
        """Cancel a pending schedule."""
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        row = schedule_cancel(scheduled=selectors.schedule_get(team=ctx.team, scheduled_id=scheduled_id))
        return Response({"success": True, "scheduled_post": ScheduledPostSerializer(row).data})


class ScheduleRetryApi(TeamContextMixin, APIView):
    @extend_schema(request=None, responses={200: ScheduledPostSerializer}, tags=["scheduling"])
    def post(self, request: Request, scheduled_id: str) -> Response:
        """'Retry now' for a failed schedule."""
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        row = scheduled_post_retry_now(scheduled=selectors.schedule_get(team=ctx.team, scheduled_id=scheduled_id))
        return Response({"success": True, "scheduled_post": ScheduledPostSerializer(row).data})


class SeriesListApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: RecurringScheduleSerializer(many=True)}, tags=["scheduling"])
    def get(self, request: Request) -> Response:
        rows = selectors.series_for_team(team=self.team_ctx.team)
        return Response({"success": True, "results": RecurringScheduleSerializer(rows, many=True).data})

    @extend_schema(
        request=RecurringCreateSerializer, responses={201: RecurringScheduleSerializer(many=True)}, tags=["scheduling"]
    )
    def post(self, request: Request) -> Response:
        """Repeat a post by an RRULE (FREQ=WEEKLY;BYDAY=MO,WE) in a time zone, one series per account."""
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        data = _valid(RecurringCreateSerializer, request.data)
        post = content_selectors.post_get(ctx=ctx, post_id=data["post_id"])
        accounts = social_selectors.accounts_by_ids(team=ctx.team, account_ids=data["account_ids"])
        rows = [
            recurring_create(
                post=post,
                account=a,
                rrule=data["rrule"],
                start_local=data["start_local"].replace(tzinfo=None),
                tz=_zone_name(data["timezone"], ctx.team),
                actor=ctx.user,
            )
            for a in accounts
        ]
        return Response(
            {"success": True, "results": RecurringScheduleSerializer(rows, many=True).data},
            status=status.HTTP_201_CREATED,
        )


class SeriesDetailApi(TeamContextMixin, APIView):
    @extend_schema(request=RecurringUpdateSerializer, responses={200: RecurringScheduleSerializer}, tags=["scheduling"])
    def patch(self, request: Request, series_id: str) -> Response:
        """Edit the whole series; occurrences edited on their own keep their changes."""
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        series = selectors.series_get(team=ctx.team, series_id=series_id)
        data = _valid(RecurringUpdateSerializer, request.data)
        start = data.get("start_local")
        series = recurring_update(
            series=series,
            rrule=data.get("rrule"),
            start_local=start.replace(tzinfo=None) if start else None,
            tz=_zone_name(data["timezone"], ctx.team) if data.get("timezone") else None,
        )
        return Response({"success": True, "series": RecurringScheduleSerializer(series).data})

    @extend_schema(responses={200: RecurringScheduleSerializer}, tags=["scheduling"])
    def delete(self, request: Request, series_id: str) -> Response:
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        series = selectors.series_get(team=ctx.team, series_id=series_id)
        recurring_stop(series=series)
        return Response({"success": True, "series": RecurringScheduleSerializer(series).data})


class QueueSlotsApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: QueueSlotsSerializer}, tags=["scheduling"])
    def get(self, request: Request, account_id: str) -> Response:
        account = social_selectors.account_get(team=self.team_ctx.team, account_id=account_id)
        slots = QueueSlot.objects.filter(social_account=account)
        return Response({"success": True, "slots": QueueSlotSerializer(slots, many=True).data})

    @extend_schema(request=QueueSlotsSerializer, responses={200: QueueSlotsSerializer}, tags=["scheduling"])
    def put(self, request: Request, account_id: str) -> Response:
        """Replace the account's weekly posting slots (weekday 0 = Monday, time HH:MM in the team's zone)."""
        ctx = self.team_ctx
        require(ctx, Capability.MANAGE_ACCOUNTS)
        account = social_selectors.account_get(team=ctx.team, account_id=account_id)
        data = _valid(QueueSlotsSerializer, request.data)
        slots = queue_slots_set(account=account, slots=[(s["weekday"], s["time"]) for s in data["slots"]])
        return Response({"success": True, "slots": QueueSlotSerializer(slots, many=True).data})


class QueueAddApi(TeamContextMixin, APIView):
    @extend_schema(request=QueueAddSerializer, responses={201: ScheduledPostSerializer(many=True)}, tags=["scheduling"])
    def post(self, request: Request) -> Response:
        """Add a post to each account's queue: it takes that account's next free slot."""
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        data = _valid(QueueAddSerializer, request.data)
        post = content_selectors.post_get(ctx=ctx, post_id=data["post_id"])
        accounts = social_selectors.accounts_by_ids(team=ctx.team, account_ids=data["account_ids"])
        rows = [queue_add(post=post, account=a) for a in accounts]
        return Response(
            {"success": True, "scheduled_posts": ScheduledPostSerializer(rows, many=True).data},
            status=status.HTTP_201_CREATED,
        )


class QueueReorderApi(TeamContextMixin, APIView):
    @extend_schema(
        request=QueueReorderSerializer, responses={200: ScheduledPostSerializer(many=True)}, tags=["scheduling"]
    )
    def post(self, request: Request, account_id: str) -> Response:
        """Reorder an account's queue: the posts take the existing slot times in the given order."""
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        account = social_selectors.account_get(team=ctx.team, account_id=account_id)
        data = _valid(QueueReorderSerializer, request.data)
        rows = queue_reorder(account=account, ordered_ids=data["scheduled_post_ids"])
        return Response({"success": True, "scheduled_posts": ScheduledPostSerializer(rows, many=True).data})


class QueueShuffleApi(TeamContextMixin, APIView):
    @extend_schema(request=None, responses={200: ScheduledPostSerializer(many=True)}, tags=["scheduling"])
    def post(self, request: Request, account_id: str) -> Response:
        ctx = self.team_ctx
        require(ctx, Capability.PUBLISH)
        account = social_selectors.account_get(team=ctx.team, account_id=account_id)
        rows = queue_shuffle(account=account)
        return Response({"success": True, "scheduled_posts": ScheduledPostSerializer(rows, many=True).data})


class BestTimesApi(TeamContextMixin, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("platform", str)],
        responses={
            200: inline_serializer(
                "BestTimes", {"success": drf_serializers.BooleanField(), "results": BestTimeSerializer(many=True)}
            )
        },
        tags=["scheduling"],
    )
    def get(self, request: Request) -> Response:
        """Suggested posting times from the team's own engagement (platform norms when history is thin)."""
        platform = normalize_platform(request.query_params.get("platform", ""))
        times = best_posting_times(team=self.team_ctx.team, platform=platform or None)
        return Response({"success": True, "results": BestTimeSerializer(times, many=True).data})
