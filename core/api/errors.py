"""Typed API errors. Raise one from a service or view; the envelope handler renders it."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException


class ApiError(APIException):
    status_code: int = status.HTTP_400_BAD_REQUEST
    code = "VALIDATION_ERROR"
    default_detail = "The request could not be processed."
    retryable = False

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Any = None,
        retry_after: int | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message or self.default_detail)
        self.message = str(message or self.default_detail)
        self.details = details
        self.retry_after = retry_after
        if retryable is not None:
            self.retryable = retryable


class ValidationFailed(ApiError):
    pass


class PermissionDeniedError(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "PERMISSION_DENIED"
    default_detail = "You do not have permission to do this."


class NotFoundError(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "NOT_FOUND"
    default_detail = "Not found."


class ConflictError(ApiError):
    status_code = status.HTTP_409_CONFLICT
    code = "CONFLICT"
    default_detail = "The request conflicts with the current state."


class PlanFeatureRequired(ApiError):
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    code = "PLAN_FEATURE_REQUIRED"
    default_detail = "Your plan does not include this feature."


class QuotaExceeded(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "QUOTA_EXCEEDED"
    default_detail = "You have used all of this period's quota."
    retryable = True


class ContentBlocked(ApiError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    code = "CONTENT_BLOCKED"
    default_detail = "This content was blocked by moderation."


class AIProviderUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "AI_PROVIDER_UNAVAILABLE"
    default_detail = "AI service temporarily unavailable. Please try again."
    retryable = True


class PlatformError(ApiError):
    status_code = status.HTTP_502_BAD_GATEWAY
    code = "PLATFORM_ERROR"
    default_detail = "The social platform returned an error."
    retryable = True


class AccountNeedsReconnect(ApiError):
    status_code = status.HTTP_409_CONFLICT
    code = "ACCOUNT_NEEDS_RECONNECT"
    default_detail = "This social account must be reconnected."


class OtpRequired(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "OTP_REQUIRED"
    default_detail = "A two-factor code is required."
