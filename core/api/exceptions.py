"""Every API error, whatever raised it, leaves as the spec's envelope."""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.api.casing import camelize, to_camel
from core.api.errors import ApiError
from core.request_context import current_request_id

logger = logging.getLogger("core.api")

_CODES_BY_STATUS = {
    400: "VALIDATION_ERROR",
    401: "INVALID_AUTHENTICATION",
    402: "PLAN_FEATURE_REQUIRED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "CONTENT_BLOCKED",
    429: "RATE_LIMIT_EXCEEDED",
    500: "INTERNAL_ERROR",
    502: "PLATFORM_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def error_body(
    *,
    code: str,
    message: str,
    details: Any = None,
    retryable: bool = False,
    retry_after: int | None = None,
) -> dict[str, Any]:
    return {
        "success": False,
        "error": {
            "code": code,
            "message": message,
            "details": details,
            "timestamp": datetime.now(tz=UTC).isoformat().replace("+00:00", "Z"),
            "requestId": current_request_id(),
            "retryable": retryable,
            "retryAfter": retry_after,
        },
    }


def _field_details(detail: Any) -> Any:
    """DRF's nested error detail as plain strings, with camelCase field names."""
    if isinstance(detail, dict):
        return {to_camel(str(k)): _field_details(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_field_details(v) for v in detail]
    return str(detail)


def _first_message(details: Any) -> str:
    if isinstance(details, dict):
        for field, value in details.items():
            message = _first_message(value)
            return message if field == "nonFieldErrors" else f"{field}: {message}"
    if isinstance(details, list) and details:
        return _first_message(details[0])
    return str(details) if details else gettext("Invalid input.")


def _detail_message(detail: Any) -> str:
    """The human sentence of a non-validation error. simplejwt's errors carry a dict
    (`{"detail", "code", "messages"}`) where DRF's carry a string: never show its repr."""
    if isinstance(detail, dict):
        inner = detail.get("detail")
        if inner is None and detail:
            inner = next(iter(detail.values()))
        return _detail_message(inner) if inner is not None else gettext("Invalid input.")
    if isinstance(detail, list):
        return _detail_message(detail[0]) if detail else gettext("Invalid input.")
    return str(detail)


def envelope_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)

    if isinstance(exc, ApiError):
        body = error_body(
            code=exc.code,
            message=exc.message,
            details=camelize(exc.details),
            retryable=exc.retryable,
            retry_after=exc.retry_after,
        )
        if exc.retry_after is not None:
            headers["Retry-After"] = str(exc.retry_after)
        return Response(body, status=exc.status_code, headers=headers)

    if isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        code = _CODES_BY_STATUS.get(status_code, "ERROR")
        retry_after = None
        if isinstance(exc, exceptions.ValidationError | exceptions.ParseError):
            details = _field_details(exc.detail) if isinstance(exc, exceptions.ValidationError) else None
            if isinstance(details, list):
                details = {"nonFieldErrors": details}
            message = _first_message(details) if details else str(exc.detail)
        else:
            details = None
            message = _detail_message(exc.detail)
        if isinstance(exc, exceptions.Throttled):
            wait = getattr(exc, "wait", None)
            retry_after = math.ceil(wait) if wait is not None else None
            message = gettext("Rate limit exceeded for your subscription tier.")
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            auth_header = getattr(exc, "auth_header", None)
            if auth_header:
                headers["WWW-Authenticate"] = auth_header
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        body = error_body(
            code=code,
            message=message,
            details=details,
            retryable=status_code in (429, 502, 503),
            retry_after=retry_after,
        )
        return Response(body, status=status_code, headers=headers)

    # Anything else is a bug: log it with the request id, answer the envelope, never a traceback.
    logger.exception("Unhandled API error", exc_info=exc)
    body = error_body(code="INTERNAL_ERROR", message=gettext("Something went wrong on our side."), retryable=True)
    return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def json_error_response(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        error_body(code=code, message=message, retryable=status_code >= 500),
        status=status_code,
    )
