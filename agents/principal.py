"""Who an MCP request acts as: an API key, its owner, and the one workspace it acts in."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.http import Http404

from accounts.api_keys import api_access_require, api_key_resolve
from accounts.models import ApiKey, User
from accounts.throttles import RateLimitState
from billing.throttles import PlanTierRateThrottle
from core.api.errors import ApiError, NotFoundError
from teams.models import Team
from teams.permissions import TeamContext, require_insider, team_context

PRINCIPAL_SCOPE_KEY = "contentgen.mcp_principal"


class NotAuthenticated(ApiError):
    status_code = 401
    code = "INVALID_AUTHENTICATION"


class RateLimited(ApiError):
    status_code = 429
    code = "RATE_LIMIT_EXCEEDED"
    retryable = True


@dataclass(frozen=True)
class Principal:
    key: ApiKey
    user: User
    team: Team
    requested_team_id: str | None
    rate_limit: RateLimitState | None = None  # the REST API's X-RateLimit-* figures for this request

    @property
    def can_write(self) -> bool:
        return "write" in self.key.scopes

    def team_context(self) -> TeamContext:
        """A fresh context per tool call, so a role changed since the request began is honoured."""
        ctx = team_context(user=self.user, requested_team_id=str(self.team.pk))
        require_insider(ctx)
        return ctx


def _bearer(authorization: str) -> str:
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Send your API key as `Authorization: Bearer <key>`.")
    return token.strip()


def _throttle(user: User) -> RateLimitState | None:
    """The REST API's limiter and bucket: MCP and REST calls of one user count together."""
    throttle = PlanTierRateThrottle()
    request = SimpleNamespace(user=user)
    if not throttle.allow_request(request, None):  # type: ignore[arg-type]
        wait = throttle.wait()
        retry_after = max(1, int(wait or 1))
        raise RateLimited(f"Too many requests. Try again in {retry_after} seconds.", retry_after=retry_after)
    state: RateLimitState | None = getattr(request, "rate_limit", None)
    return state


def principal_resolve(*, authorization: str, team_id: str | None) -> Principal:
    key = api_key_resolve(raw=_bearer(authorization))
    if key is None:
        raise NotAuthenticated("The API key is invalid, expired or revoked.")
    user = key.user
    rate_limit = _throttle(user)
    api_access_require(user=user)
    try:
        ctx = team_context(user=user, requested_team_id=team_id)
    except Http404 as exc:
        raise NotFoundError("No such team.") from exc
    require_insider(ctx)
    return Principal(key=key, user=user, team=ctx.team, requested_team_id=team_id, rate_limit=rate_limit)
