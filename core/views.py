"""Health probes and the error handlers Django itself calls (404/500 outside DRF views)."""

from __future__ import annotations

import logging

from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from core.api.exceptions import json_error_response

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    cache = caches["default"]
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        # django-redis swallows errors (IGNORE_EXCEPTIONS); ask the server directly.
        client.get_client(write=True).ping()
        return
    cache.set("readyz", "1", 5)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not return the value just written")


def _check_broker() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: every dependency answers. 503 names what failed."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("readiness check failed", extra={"check": name, "error": str(exc)})
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
        else:
            results[name] = "ok"
    failed = sorted(name for name, outcome in results.items() if outcome != "ok")
    body = {"status": "ok" if not failed else "unavailable", "checks": results, "failed": failed}
    return JsonResponse(body, status=200 if not failed else 503)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return json_error_response(404, "NOT_FOUND", "Not found.")
    return render(request, "errors/404.html", status=404)


def handler500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return json_error_response(500, "INTERNAL_ERROR", "Something went wrong on our side.")
    # Rendered without the request: context processors query the database, which may be what failed.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return json_error_response(403, "PERMISSION_DENIED", "You do not have permission to do this.")
    # Our own PermissionDenied("...") carries a sentence for the user (what is missing and what to do).
    message = str(exception.args[0]) if exception is not None and exception.args else ""
    return render(request, "errors/403.html", {"message": message}, status=403)


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return json_error_response(400, "VALIDATION_ERROR", "Bad request.")
    return render(request, "errors/400.html", status=400)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the product's icon."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
