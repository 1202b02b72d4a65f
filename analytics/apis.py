"""REST endpoints under /api/analytics/. Thin: validate, check team and plan, call selectors/services."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import cache as analytics_cache
from analytics import selectors
from analytics.abtests import abtest_evaluate, suggested_slots
from analytics.forecast import forecast_series
from analytics.insights import content_measures
from analytics.metrics import METRICS, parse_time_range
from analytics.models import ABTest, AnalyticsExport, CompetitorPost, ExportStatus
from analytics.predictions import latest_model, model_info, predict_engagement
from analytics.serializers import (
    ABTestCreateSerializer,
    CompetitorPostSerializer,
    DataResponseSerializer,
    EngagementQuerySerializer,
    ExportRequestSerializer,
    ExportResponseSerializer,
    PredictRequestSerializer,
    RangeQuerySerializer,
    clean_platform,
)
from analytics.services import (
    abtest_complete,
    abtest_create,
    analytics_export_request,
    competitor_post_create,
    competitor_post_delete,
    export_from_token,
    export_token,
    rollups_refresh_for_read,
)
from billing.entitlements import require_feature
from content import selectors as content_selectors
from core.api.errors import NotFoundError
from teams.permissions import Capability, TeamContext, request_team_context, require, team_context

RANGE_PARAMS = [
    OpenApiParameter("timeRange", str, description="7d, 30d, 90d, 12m or YYYY-MM-DD..YYYY-MM-DD (default 30d)"),
    OpenApiParameter("platform", str, description="Only this platform"),
]


def _ctx(request: Request, capability: Capability = Capability.VIEW, *, advanced: bool = False) -> TeamContext:
    ctx = request_team_context(request)
    require(ctx, capability)
    if advanced:
        require_feature(ctx.team, "advanced_analytics")
    return ctx


def _range_query(request: Request, serializer_class: type[serializers.Serializer] = RangeQuerySerializer) -> Any:
    raw = {
        "time_range": request.query_params.get("timeRange") or "30d",
        "platform": request.query_params.get("platform", ""),
    }
    if request.query_params.get("postId"):
        raw["post_id"] = request.query_params["postId"]
    query = serializer_class(data=raw)
    query.is_valid(raise_exception=True)
    data = dict(query.validated_data)
    data["time_range"] = parse_time_range(data["time_range"])
    data["platform"] = clean_platform(data.get("platform"))
    return data


def dashboard_payload(*, team: Any, time_range: Any, platform: str | None) -> dict[str, Any]:
    rollups_refresh_for_read()
    return analytics_cache.cached(
        team.pk,
        f"dashboard:{time_range.key}:{platform or ''}",
        lambda: selectors.dashboard_data(team=team, time_range=time_range, platform=platform),
    )


DASHBOARD_DOC = """Two kinds of figures, named in `data.kinds`:

- **activity** (`totals`, `byPlatform`, `series`, `kpis`): what the posts gained in the period, the rise
  of their cumulative counters, by UTC day. A day a post was not measured adds nothing; its growth shows
  on the day it is measured. `partialDay` is today when the period includes it: its figures are not final.
- **lifetime** (`topPosts`): each post's latest cumulative value up to the period's end.

`kpis.<metric>` = `{current, previous, absolute, percent}` against the previous period of the same length
(`previousRange`); `previous` is null only when nothing was measured before the period (`hasPrevious`
false), `percent` is also null when the previous period gained nothing. `simulatedPlatforms` lists the
platforms whose figures were made up by the sandbox (each `byPlatform` row also has `simulated`)."""


class DashboardApi(APIView):
    @extend_schema(
        parameters=RANGE_PARAMS, responses=DataResponseSerializer, tags=["analytics"], description=DASHBOARD_DOC
    )
    def get(self, request: Request) -> Response:
        ctx = _ctx(request)
        q = _range_query(request)
        data = dashboard_payload(team=ctx.team, time_range=q["time_range"], platform=q["platform"])
        return Response({"success": True, "data": data})


class EngagementApi(APIView):
    @extend_schema(
        parameters=[*RANGE_PARAMS, OpenApiParameter("postId", str, description="One post (default: all)")],
        responses=DataResponseSerializer,
        tags=["analytics"],
        description="Activity per day (what the post, or all posts, gained each UTC day; `kind` is `activity`).",
    )
    def get(self, request: Request) -> Response:
        ctx = _ctx(request)
        q = _range_query(request, EngagementQuerySerializer)
        post = None
        if q.get("post_id"):
            post = content_selectors.post_get(ctx=ctx, post_id=q["post_id"])
        rollups_refresh_for_read()
        series = selectors.engagement_series(
            team=ctx.team, time_range=q["time_range"], platform=q["platform"], post=post
        )
        return Response({"success": True, "data": series})


class ExportApi(APIView):
    @extend_schema(
        request=ExportRequestSerializer,
        responses=ExportResponseSerializer,
        tags=["analytics"],
        description=(
            "Rows are activity (`kind`: what posts gained in the period): `daily` per day and platform, `total` per "
            "platform and `all`; `simulated` marks sandbox figures. JSON also carries `kpis`, `topPosts` (lifetime "
            "figures) and `bestTimes`. The PDF is a report in the requester's language."
        ),
    )
    def post(self, request: Request) -> Response:
        ctx = _ctx(request, advanced=True)
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        export = analytics_export_request(
            team=ctx.team,
            user=ctx.user,
            export_format=v["format"],
            time_range=v["time_range"],
            platform=v["platform"] or None,
            metrics=v["metrics"],
        )
        url = request.build_absolute_uri(reverse("analytics-api:export-download", args=[export_token(export)]))
        return Response({"success": True, "downloadUrl": url, "exportId": str(export.pk), "status": export.status})


class ExportDownloadApi(APIView):
    @extend_schema(
        responses={(200, "application/octet-stream"): bytes, 202: DataResponseSerializer}, tags=["analytics"]
    )
    def get(self, request: Request, token: str) -> Any:
        export_id, team_id = export_from_token(token)
        assert request.user.is_authenticated
        ctx = team_context(user=request.user, requested_team_id=team_id)  # type: ignore[arg-type]
        require(ctx, Capability.VIEW)  # not a client's: they see only the posts shared with them
        export = AnalyticsExport.objects.filter(pk=export_id, team=ctx.team).first()
        if export is None:
            raise NotFoundError("Export not found.")
        if export.status == ExportStatus.FAILED:
            return Response(
                {
                    "success": False,
                    "status": "failed",
                    "error": {"code": "INTERNAL_ERROR", "message": "The export failed; request it again."},
                },
                status=status.HTTP_410_GONE,
            )
        if export.status != ExportStatus.READY:
            return Response({"success": True, "status": "pending"}, status=status.HTTP_202_ACCEPTED)
        from analytics.exports import RENDERERS

        _, _, content_type = RENDERERS[export.format]
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=(export.file.name or "").rsplit("/", 1)[-1],
            content_type=content_type,
        )


class ForecastApi(APIView):
    @extend_schema(
        parameters=[RANGE_PARAMS[1]],
        responses=DataResponseSerializer,
        tags=["analytics"],
        description=(
            "Per metric, the next 30 days of daily activity from the last 90 complete days: `model` (Holt's linear "
            "trend), `intervalName` (95% prediction interval) and `backtest` (`mae`: mean absolute error per day "
            "when the last 14 days are held out and forecast, `meanActual`, `covered`: share inside the interval)."
        ),
    )
    def get(self, request: Request) -> Response:
        ctx = _ctx(request, advanced=True)
        platform = clean_platform(request.query_params.get("platform"))
        history = parse_time_range("90d")
        rollups_refresh_for_read()
        data = analytics_cache.cached(
            ctx.team.pk,
            f"forecast:{history.key}:{platform or ''}",
            lambda: forecast_series(
                selectors.daily_series(team=ctx.team, time_range=history, platform=platform), metrics=METRICS
            ),
        )
        return Response({"success": True, "data": {"history": history.as_dict(), "horizonDays": 30, "metrics": data}})


class PredictApi(APIView):
    @extend_schema(request=PredictRequestSerializer, responses=DataResponseSerializer, tags=["analytics"])
    def post(self, request: Request) -> Response:
        ctx = _ctx(request, advanced=True)
        body = PredictRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        prediction = predict_engagement(
            team=ctx.team,
            platform=v["platform"],
            text=v["text"],
            when=v.get("when"),
            has_media=v["has_media"],
            hashtags=v["hashtags"],
        )
        return Response(
            {
                "success": True,
                "data": {
                    "score": prediction.score,
                    "engagement_rate": prediction.engagement_rate,
                    "reasons": prediction.reasons,
                    "model": prediction.model_info,
                },
            }
        )


class BestTimesApi(APIView):
    @extend_schema(
        parameters=[RANGE_PARAMS[1], OpenApiParameter("limit", int)],
        responses=DataResponseSerializer,
        tags=["analytics"],
    )
    def get(self, request: Request) -> Response:
        ctx = _ctx(request)
        platform = clean_platform(request.query_params.get("platform"))
        try:
            limit = max(1, min(24, int(request.query_params.get("limit", 5))))
        except ValueError:
            limit = 5
        slots = selectors.best_posting_times(team=ctx.team, platform=platform, limit=limit)
        return Response(
            {"success": True, "data": {"timezone": ctx.team.timezone, "slots": [s._asdict() for s in slots]}}
        )


class ModelApi(APIView):
    @extend_schema(responses=DataResponseSerializer, tags=["analytics"])
    def get(self, request: Request) -> Response:
        ctx = _ctx(request, advanced=True)
        return Response({"success": True, "data": model_info(latest_model(team=ctx.team))})

    @extend_schema(request=None, responses=DataResponseSerializer, tags=["analytics"])
    def post(self, request: Request) -> Response:
        """Train the team's model now (a background job)."""
        ctx = _ctx(request, Capability.CREATE_CONTENT, advanced=True)
        from django.db import transaction

        from analytics.tasks import train_engagement_model

        team_id = str(ctx.team.pk)
        transaction.on_commit(lambda: train_engagement_model.delay(team_id))
        return Response({"success": True, "data": {"status": "queued"}}, status=status.HTTP_202_ACCEPTED)


class ABTestListApi(APIView):
    @extend_schema(responses=DataResponseSerializer, tags=["analytics"])
    def get(self, request: Request) -> Response:
        ctx = _ctx(request, advanced=True)
        tests = ABTest.objects.filter(team=ctx.team).prefetch_related("variants")[:50]
        return Response(
            {
                "success": True,
                "results": [
                    {
                        "id": str(t.pk),
                        "name": t.name,
                        "platform": t.platform,
                        "status": t.status,
                        "variants": [{"label": v.label, "post_id": str(v.post_id)} for v in t.variants.all()],
                    }
                    for t in tests
                ],
            }
        )

    @extend_schema(request=ABTestCreateSerializer, responses=DataResponseSerializer, tags=["analytics"])
    def post(self, request: Request) -> Response:
        ctx = _ctx(request, Capability.CREATE_CONTENT, advanced=True)
        body = ABTestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        test = abtest_create(
            team=ctx.team,
            user=ctx.user,
            name=v["name"],
            platform=v["platform"],
            post_ids=[str(p) for p in v["post_ids"]],
            hypothesis=v["hypothesis"],
            significance_level=v["significance_level"],
        )
        data = abtest_evaluate(test=test)
        data["suggested_slots"] = suggested_slots(test=test, count=len(v["post_ids"]), start=timezone.now())
        return Response({"success": True, "data": data}, status=status.HTTP_201_CREATED)


class ABTestDetailApi(APIView):
    @extend_schema(responses=DataResponseSerializer, tags=["analytics"], operation_id="analytics_ab_test_retrieve")
    def get(self, request: Request, test_id: str) -> Response:
        ctx = _ctx(request, advanced=True)
        return Response(
            {"success": True, "data": abtest_evaluate(test=selectors.team_abtest(team=ctx.team, test_id=test_id))}
        )

    @extend_schema(
        request=None, responses=DataResponseSerializer, tags=["analytics"], operation_id="analytics_ab_test_complete"
    )
    def post(self, request: Request, test_id: str) -> Response:
        """Mark the test completed."""
        ctx = _ctx(request, Capability.CREATE_CONTENT, advanced=True)
        test = abtest_complete(test=selectors.team_abtest(team=ctx.team, test_id=test_id))
        return Response({"success": True, "data": abtest_evaluate(test=test)})


class CompetitorListApi(APIView):
    @extend_schema(responses=DataResponseSerializer, tags=["analytics"])
    def get(self, request: Request) -> Response:
        ctx = _ctx(request, advanced=True)
        return Response({"success": True, "data": selectors.competitor_comparison(team=ctx.team)})

    @extend_schema(request=CompetitorPostSerializer, responses=CompetitorPostSerializer, tags=["analytics"])
    def post(self, request: Request) -> Response:
        ctx = _ctx(request, Capability.CREATE_CONTENT, advanced=True)
        body = CompetitorPostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        post = competitor_post_create(team=ctx.team, **body.validated_data)
        measures = content_measures(text=post.text, metrics=body.validated_data)
        return Response(
            {"success": True, "competitorPost": {**CompetitorPostSerializer(post).data, "measures": measures}},
            status=status.HTTP_201_CREATED,
        )


class CompetitorDetailApi(APIView):
    @extend_schema(responses={204: None}, tags=["analytics"])
    def delete(self, request: Request, competitor_id: str) -> Response:
        ctx = _ctx(request, Capability.CREATE_CONTENT, advanced=True)
        post = CompetitorPost.objects.filter(team=ctx.team, pk=competitor_id).first()
        if post is None:
            raise NotFoundError("Competitor post not found.")
        competitor_post_delete(post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InsightsApi(APIView):
    @extend_schema(parameters=RANGE_PARAMS, responses=DataResponseSerializer, tags=["analytics"])
    def get(self, request: Request) -> Response:
        ctx = _ctx(request, advanced=True)
        q = _range_query(request)
        rollups_refresh_for_read()
        data = selectors.content_insights(team=ctx.team, time_range=q["time_range"], platform=q["platform"])
        return Response({"success": True, "data": data})
