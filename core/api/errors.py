"""Typed API errors. Raise one from a service or view; the envelope handler renders it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from core.stored_messages import message_render


class ApiError(APIException):
    status_code: int = status.HTTP_400_BAD_REQUEST
    code = "VALIDATION_ERROR"
    # Lazy: turned into text when raised, in the language of the request (the user's, once authenticated).
    default_detail: Any = _("The request could not be processed.")
    retryable = False

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Any = None,
        retry_after: int | None = None,
        retryable: bool | None = None,
    ) -> None:
        # A literal message is its own msgid (tests/core: every one is in the catalogues): it is
        # translated here, in the language of the request that raised it.
        if isinstance(message, str):
            message = gettext(message)
        super().__init__(message or self.default_detail)
        self.message = str(message or self.default_detail)
        self.details = details
        self.retry_after = retry_after
        if retryable is not None:
            self.retryable = retryable

    def user_message(self) -> str:
        """The message a page shows (an API client reads `message` and `details` instead)."""
        return self.message


class ValidationFailed(ApiError):
    pass


class PermissionDeniedError(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "PERMISSION_DENIED"
    default_detail = _("You do not have permission to do this.")


class NotFoundError(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "NOT_FOUND"
    default_detail = _("Not found.")


class ConflictError(ApiError):
    status_code = status.HTTP_409_CONFLICT
    code = "CONFLICT"
    default_detail = _("The request conflicts with the current state.")


class PlanFeatureRequired(ApiError):
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    code = "PLAN_FEATURE_REQUIRED"
    default_detail = _("Your plan does not include this feature.")


class QuotaExceeded(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "QUOTA_EXCEEDED"
    default_detail = _("You have used all of this period's quota.")
    retryable = True


class ContentBlocked(ApiError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    code = "CONTENT_BLOCKED"
    default_detail = _("This content was blocked by moderation.")

    @property
    def reasons(self) -> list[dict[str, Any]]:
        """Moderation's reasons (`{check, code, message, severity}`), shown to the author."""
        details = self.details if isinstance(self.details, dict) else {}
        return [r for r in details.get("reasons") or [] if isinstance(r, dict) and r.get("message")]

    def user_message(self) -> str:
        reasons = "; ".join(
            message_render(key=r.get("key", ""), params=r.get("params"), fallback=str(r["message"]))
            for r in self.reasons
        )
        return f"{self.message} {reasons}" if reasons else self.message


class AIProviderUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "AI_PROVIDER_UNAVAILABLE"
    default_detail = _("AI service temporarily unavailable. Please try again.")
    retryable = True


class PlatformError(ApiError):
    status_code = status.HTTP_502_BAD_GATEWAY
    code = "PLATFORM_ERROR"
    default_detail = _("The social platform returned an error.")
    retryable = True


class AccountNeedsReconnect(ApiError):
    status_code = status.HTTP_409_CONFLICT
    code = "ACCOUNT_NEEDS_RECONNECT"
    default_detail = _("This social account must be reconnected.")


class OtpRequired(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "OTP_REQUIRED"
    default_detail = _("A two-factor code is required.")
