from __future__ import annotations

from collections.abc import Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.request_context import accept_request_id, request_id_var

REQUEST_ID_HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Accept or make a request id; expose it to logs, the error envelope and the response."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def _start(self, request: HttpRequest) -> object:
        request_id = accept_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        return request_id_var.set(request_id)

    def _finish(self, request: HttpRequest, response: HttpResponse, token: object) -> HttpResponse:
        response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
        request_id_var.reset(token)  # type: ignore[arg-type]
        return response

    def __call__(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        if iscoroutinefunction(self):
            return self.__acall__(request)
        token = self._start(request)
        return self._finish(request, self.get_response(request), token)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        token = self._start(request)
        return self._finish(request, await self.get_response(request), token)


def _is_debug_404_page(response: HttpResponse) -> bool:
    """Django's technical 404 page, which DEBUG shows instead of handler404."""
    if not response.get("Content-Type", "").startswith("text/html") or getattr(response, "streaming", False):
        return False
    return b'<meta name="robots" content="NONE,NOARCHIVE">' in response.content[:1000]


class ApiErrorPageMiddleware:
    """An ApiError raised while rendering a page (not the API) becomes the matching error page.

    Selectors and services raise typed ApiErrors (NotFoundError, PermissionDeniedError, ...);
    DRF renders them as the envelope under /api/, and this renders them for the dashboard.
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and _is_debug_404_page(response):
            # DEBUG keeps Django's traceback page for a 500; a missing page still looks like the
            # product (and an unknown /api/ path still answers the error envelope).
            from core.views import handler404

            return handler404(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from core.api.errors import ApiError

        if not isinstance(exception, ApiError) or request.path.startswith("/api/"):
            return None
        from django.shortcuts import render

        from core.messages import upgrade_url_of

        status = exception.status_code
        template = {403: "errors/403.html", 404: "errors/404.html"}.get(status, "errors/400.html")
        context: dict[str, object] = {"message": exception.message}
        if upgrade_url := upgrade_url_of(exception):  # a plan refusal (402/429): offer the upgrade
            template = "errors/upgrade.html"
            context |= {"code": exception.code, "status": status, "upgrade_url": upgrade_url}
        return render(request, template, context, status=status)
