"""DRF authentication by personal API key: `Authorization: Api-Key <key>`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import Token

from accounts.api_keys import api_access_require, api_key_allows, api_key_resolve
from accounts.i18n import user_language_activate
from accounts.models import ApiKey, User
from accounts.tokens import FAMILY_CLAIM, token_family_is_revoked
from core.api.errors import PermissionDeniedError

KEYWORD = "Api-Key"


class FamilyJWTAuthentication(JWTAuthentication):
    """simplejwt's Bearer authentication that also refuses access tokens of a revoked login (logout, replay)."""

    def authenticate(self, request: Request) -> tuple[Any, Token] | None:
        result = super().authenticate(request)
        if result is not None:
            # Token callers have no session for UserLanguageMiddleware to see: answer in their language here.
            user_language_activate(result[0], request)
        return result

    def get_validated_token(self, raw_token: bytes) -> Token:
        token = super().get_validated_token(raw_token)
        if token_family_is_revoked(str(token.get(FAMILY_CLAIM, ""))):
            raise InvalidToken("This session was ended. Log in again.")
        return token


class ApiKeyAuthentication(BaseAuthentication):
    """Authenticates as the key's owner; `request.auth` is the ApiKey.

    Scopes are enforced here as well as by `ApiKeyScopePermission`: a view that overrides
    `permission_classes` must never turn a read-only key into a writing one.
    """

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Api-Key header: give exactly one key.")
        key = api_key_resolve(raw=header[1].decode(errors="replace"))
        if key is None:
            raise exceptions.AuthenticationFailed("The API key is invalid, expired or revoked.")
        api_access_require(user=key.user)
        if not api_key_allows(key, request.method or "GET"):
            raise PermissionDeniedError("This API key is read-only: it needs the write scope for this request.")
        user_language_activate(key.user, request)
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class FamilyJWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.FamilyJWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a personal API key from the dashboard (scopes read, write).",
        }
