"""/metrics for Prometheus, and the staff status page."""

from __future__ import annotations

import hmac
import os

import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from prometheus_client import multiprocess
from prometheus_client.registry import Collector, CollectorRegistry

from monitoring import request_stats, selectors, usage
from monitoring.apps import process_started_at
from monitoring.collectors import PlatformStateCollector


class _ProcessRegistry(Collector):
    """This process's own metrics (request, database, publish and AI counters)."""

    def collect(self):  # type: ignore[no-untyped-def]
        return prometheus_client.REGISTRY.collect()


def _bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _scrape_allowed(request: HttpRequest) -> bool | None:
    """True to serve, False for a signed-in non-staff user (403), None for no credentials (401)."""
    token = _bearer_token(request)
    if token and settings.METRICS_TOKEN:
        return hmac.compare_digest(token.encode(), settings.METRICS_TOKEN.encode()) or None
    if request.user.is_authenticated:
        return bool(request.user.is_staff and request.user.is_active)
    return None


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    allowed = _scrape_allowed(request)
    if allowed is None:
        response = HttpResponse("Authentication required.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not allowed:
        return HttpResponse("Staff only.\n", status=403, content_type="text/plain")
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every process on this host wrote its counters to the directory; sum them.
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessRegistry())
    registry.register(PlatformStateCollector())
    return HttpResponse(prometheus_client.generate_latest(registry), content_type=prometheus_client.CONTENT_TYPE_LATEST)


@never_cache
def status_page(request: HttpRequest) -> TemplateResponse:
    """Wrapped by admin_view in urls: staff only, with the admin's 2FA rule when it is on."""
    now = timezone.now()
    hour, day = selectors.window_start(minutes=60, now=now), selectors.window_start(minutes=24 * 60, now=now)
    context = {
        **_admin_context(request),
        "title": _("System status"),
        "now": now,
        "process_started_at": process_started_at,
        "uptime_seconds": int((now - process_started_at).total_seconds()),
        "uptime": selectors.uptime(now=now),
        "request_window": settings.ALERT_REQUEST_WINDOW_MINUTES,
        "request_stats": request_stats.window_stats(minutes=settings.ALERT_REQUEST_WINDOW_MINUTES, now=now),
        "dispatch_lag": selectors.dispatch_lag(now=now),
        "backup_age": selectors.backup_age(now=now),
        "alerts": selectors.alert_history(),
        "queues": selectors.queue_lengths(),
        "scheduled_due": selectors.scheduled_posts_due(now=now),
        "rates": [
            (_("Publishing"), selectors.publish_failure_rate(since=hour), selectors.publish_failure_rate(since=day)),
            (_("AI generation"), selectors.ai_failure_rate(since=hour), selectors.ai_failure_rate(since=day)),
        ],
        "thresholds": {
            "publish": settings.ALERT_PUBLISH_FAILURE_RATE * 100,
            "ai": settings.ALERT_AI_FAILURE_RATE * 100,
        },
        "heartbeats": selectors.heartbeat_ages(now=now),
        "publish_failures": selectors.recent_publish_failures(),
        "schedule_failures": selectors.recent_schedule_failures(),
        "ai_failures": selectors.recent_ai_failures(),
    }
    return TemplateResponse(request, "monitoring/status.html", context)


def _admin_context(request: HttpRequest) -> dict:
    from django.contrib import admin

    return admin.site.each_context(request)


def _range_labels() -> list[tuple[str, str]]:
    labels = {"24h": _("24 hours"), "7d": _("7 days"), "30d": _("30 days"), "90d": _("90 days")}
    return [(key, labels.get(key, key)) for key in usage.RANGES]


@never_cache
def usage_page(request: HttpRequest) -> HttpResponse:
    """Wrapped by admin_view in urls (staff only): AI, publishing and quota use, or the CSV."""
    window = usage.usage_window(request.GET.get("range"))
    if window is None:
        context = {
            **_admin_context(request),
            "title": _("Usage"),
            "error": _("Unknown range; one of %(ranges)s.") % {"ranges": ", ".join(usage.RANGES)},
            "ranges": _range_labels(),
        }
        return TemplateResponse(request, "monitoring/usage.html", context, status=400)
    if request.GET.get("format") == "csv":
        response = HttpResponse(usage.usage_csv(window), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="usage-{window.key}-{window.end:%Y%m%d}.csv"'
        return response
    ai_rows = usage.ai_usage(window)
    publish_rows = usage.publish_usage(window)
    context = {
        **_admin_context(request),
        "title": _("Usage"),
        "window": window,
        "ranges": _range_labels(),
        "ai_rows": ai_rows,
        "ai_totals": usage.totals(ai_rows, ["calls", "cache_hits", "failures", "tokens_in", "tokens_out", "cost"]),
        "publish_rows": publish_rows,
        "publish_totals": usage.totals(publish_rows, ["published", "failures"]),
        "quota_rows": usage.quota_usage(),
    }
    return TemplateResponse(request, "monitoring/usage.html", context)
