"""The analytics page: the dashboard, best times, and (on plans with advanced analytics) forecasts,
the engagement model, A/B tests, content insight and competitors. Forms post back here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import ValidationError

from analytics import selectors
from analytics.abtests import abtests_evaluate
from analytics.apis import dashboard_payload
from analytics.forecast import forecast_series
from analytics.metrics import METRICS, parse_time_range, platform_label
from analytics.models import ABTest, CompetitorPost
from analytics.posting_times import DAYS
from analytics.predictions import latest_model, model_info
from analytics.serializers import PLATFORMS, ABTestCreateSerializer, CompetitorPostSerializer, clean_platform
from analytics.services import abtest_create, competitor_post_create, competitor_post_delete
from billing.entitlements import has_feature
from core.api.errors import ApiError
from teams.permissions import Capability, request_team_context, require

RANGES = [
    ("7d", gettext_lazy("7 days")),
    ("30d", gettext_lazy("30 days")),
    ("90d", gettext_lazy("90 days")),
    ("12m", gettext_lazy("12 months")),
]


def _query(request: HttpRequest) -> tuple[Any, str | None, list[str]]:
    errors = []
    try:
        time_range = parse_time_range(request.GET.get("timeRange"))
    except ApiError:
        errors.append(_("Unknown time range; showing the last 30 days."))
        time_range = parse_time_range("30d")
    try:
        platform = clean_platform(request.GET.get("platform"))
    except ApiError:
        errors.append(_("Unknown platform; showing all platforms."))
        platform = None
    return time_range, platform, errors


@login_required
@require_GET
def analytics_page(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    time_range, platform, errors = _query(request)
    data = dashboard_payload(team=ctx.team, time_range=time_range, platform=platform)
    advanced = has_feature(ctx.team, "advanced_analytics")
    best = selectors.best_posting_times(team=ctx.team, platform=platform, limit=5)
    context: dict[str, Any] = {
        "nav_section": "analytics",
        "team": ctx.team,
        "data": data,
        "ranges": RANGES,
        "platforms": PLATFORMS,
        "time_range": time_range,
        "platform": platform or "",
        "query_errors": errors,
        "has_series": any(data["totals"][name] for name in ("impressions", "views", "engagements")),
        "advanced": advanced,
        "can_edit": ctx.can(Capability.CREATE_CONTENT),
        "metric_names": METRICS,
        "best_times": [{**slot._asdict(), "day": _(DAYS[slot.weekday])} for slot in best],
        "best_times_source": best[0].source if best else "benchmark",
        "simulated_names": ", ".join(platform_label(name) for name in data["simulated_platforms"]),
    }
    chart: dict[str, Any] = {
        "series": data["series"],
        "byPlatform": data["by_platform"],
        "timeRange": time_range.label,
        "platform": platform or "",
    }
    if advanced:
        history = parse_time_range("90d")
        forecast = forecast_series(
            selectors.daily_series(team=ctx.team, time_range=history, platform=platform),
            metrics=("impressions", "likes"),
        )
        chart["forecast"] = forecast
        context["forecast"] = forecast["impressions"]
        tests = list(ABTest.objects.filter(team=ctx.team).select_related("team")[:5])
        context |= {
            "model": model_info(latest_model(team=ctx.team)),
            "ab_tests": abtests_evaluate(tests=tests),
            "insights": selectors.content_insights(team=ctx.team, time_range=time_range, platform=platform),
            "recent_posts": selectors.recent_published_posts(ctx=ctx),
        }
    context["chart"] = chart
    return render(request, "analytics/dashboard.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("analytics:dashboard"))


def _form_errors(request: HttpRequest, exc: ValidationError) -> None:
    detail = exc.detail if isinstance(exc.detail, dict) else {"form": exc.detail}
    for field, problems in detail.items():
        for problem in problems if isinstance(problems, list) else [problems]:
            messages.error(request, f"{field}: {problem}")


@login_required
@require_POST
def competitor_add(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    require(ctx, Capability.CREATE_CONTENT)
    if not has_feature(ctx.team, "advanced_analytics"):
        messages.warning(request, _("Competitor comparison is part of the Pro plan."))
        return _back(request)
    form = CompetitorPostSerializer(data=request.POST.dict())
    try:
        form.is_valid(raise_exception=True)
    except ValidationError as exc:
        _form_errors(request, exc)
        return _back(request)
    competitor_post_create(team=ctx.team, **form.validated_data)
    messages.success(request, _("Competitor post added."))
    return _back(request)


@login_required
@require_POST
def competitor_remove(request: HttpRequest, competitor_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    require(ctx, Capability.CREATE_CONTENT)
    post = CompetitorPost.objects.filter(team=ctx.team, pk=competitor_id).first()
    if post is None:
        from django.http import Http404

        raise Http404("Competitor post not found.")
    competitor_post_delete(post=post)
    messages.success(request, _("Competitor post removed."))
    return _back(request)


@login_required
@require_POST
def abtest_add(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    require(ctx, Capability.CREATE_CONTENT)
    if not has_feature(ctx.team, "advanced_analytics"):
        messages.warning(request, _("A/B tests are part of the Pro plan."))
        return _back(request)
    form = ABTestCreateSerializer(data={**request.POST.dict(), "post_ids": request.POST.getlist("post_ids")})
    try:
        form.is_valid(raise_exception=True)
        v = form.validated_data
        abtest_create(
            team=ctx.team,
            user=ctx.user,
            name=v["name"],
            platform=v["platform"],
            post_ids=[str(p) for p in v["post_ids"]],
            hypothesis=v["hypothesis"],
            significance_level=v["significance_level"],
        )
    except ValidationError as exc:
        _form_errors(request, exc)
        return _back(request)
    except ApiError as exc:
        messages.error(request, exc.message)
        return _back(request)
    messages.success(request, _("A/B test started."))
    return _back(request)


@login_required
@require_POST
def model_train(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    require(ctx, Capability.CREATE_CONTENT)
    if not has_feature(ctx.team, "advanced_analytics"):
        messages.warning(request, _("The engagement model is part of the Pro plan."))
        return _back(request)
    from analytics.tasks import train_engagement_model

    team_id = str(ctx.team.pk)
    transaction.on_commit(lambda: train_engagement_model.delay(team_id))
    messages.success(
        request,
        _("Training started at %(time)s; the result appears here when it is done.")
        % {"time": timezone.now().strftime("%H:%M")},
    )
    return _back(request)
