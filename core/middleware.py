from __future__ import annotations

from collections.abc import Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
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
