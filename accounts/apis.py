"""REST endpoints: the spec's /api/auth/*, the caller's profile (/api/me/) and personal API keys."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout as session_logout
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import Token

from accounts import serializers as s
from accounts.api_keys import api_key_create, api_key_list, api_key_revoke
from accounts.auth_flows import user_login, user_register
from accounts.models import ApiKey, User
from accounts.profile import user_profile_update
from accounts.throttles import AuthRateThrottle, RefreshRateThrottle
from accounts.tokens import FAMILY_CLAIM, tokens_issue, tokens_revoke, tokens_rotate


def _envelope(name: str, **fields: serializers.Field) -> serializers.Serializer:
    return inline_serializer(name, {"success": serializers.BooleanField(default=True), **fields})


AUTH_RESPONSE = _envelope("AuthResponse", user=s.UserSerializer(), tokens=s.TokensSerializer())
ERRORS = {
    400: OpenApiResponse(description="VALIDATION_ERROR with field details"),
    401: OpenApiResponse(description="INVALID_AUTHENTICATION or OTP_REQUIRED"),
    429: OpenApiResponse(description="RATE_LIMIT_EXCEEDED (also a locked-out account)"),
}


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated ran first
    return user


class _PublicAuthApi(APIView):
    """Anonymous endpoints: no session (so no CSRF), no stale credentials in the way, IP throttled."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle]


class RegisterApi(_PublicAuthApi):
    @extend_schema(
        tags=["auth"], request=s.RegisterRequestSerializer, responses={201: AUTH_RESPONSE, **ERRORS}, auth=[]
    )
    def post(self, request: Request) -> Response:
        body = s.RegisterRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = user_register(request=request, **body.validated_data)
        tokens = tokens_issue(user=user)
        return Response(
            {"success": True, "user": s.user_payload(user), "tokens": tokens.as_payload()},
            status=status.HTTP_201_CREATED,
        )


class LoginApi(_PublicAuthApi):
    @extend_schema(tags=["auth"], request=s.LoginRequestSerializer, responses={200: AUTH_RESPONSE, **ERRORS}, auth=[])
    def post(self, request: Request) -> Response:
        body = s.LoginRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = user_login(request=request, **body.validated_data)
        tokens = tokens_issue(user=user)
        return Response({"success": True, "user": s.user_payload(user), "tokens": tokens.as_payload()})


class RefreshApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [RefreshRateThrottle]

    @extend_schema(
        tags=["auth"],
        request=s.RefreshRequestSerializer,
        responses={200: _envelope("RefreshResponse", tokens=s.TokensSerializer()), **ERRORS},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        body = s.RefreshRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        tokens = tokens_rotate(raw_refresh=body.validated_data["refresh_token"], request=request)
        return Response({"success": True, "tokens": tokens.as_payload()})


class LogoutApi(APIView):
    @extend_schema(
        tags=["auth"], request=s.LogoutRequestSerializer, responses={200: _envelope("LogoutResponse"), **ERRORS}
    )
    def post(self, request: Request) -> Response:
        body = s.LogoutRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = _user(request)
        raw_refresh = body.validated_data.get("refresh_token") or None
        # Without a refresh token, a Bearer caller ends the family its access token came from.
        family = request.auth.get(FAMILY_CLAIM) if isinstance(request.auth, Token) else None
        tokens_revoke(user=user, raw_refresh=raw_refresh, family=family)
        if request.auth is None:  # signed in by the dashboard's session cookie
            session_logout(request._request)
        return Response({"success": True})


class MeApi(APIView):
    """The caller's profile and preferences."""

    @extend_schema(tags=["me"], responses={200: _envelope("MeResponse", user=s.UserSerializer())})
    def get(self, request: Request) -> Response:
        return Response({"success": True, "user": s.user_payload(_user(request))})

    @extend_schema(
        tags=["me"],
        request=s.MeUpdateSerializer,
        responses={200: _envelope("MeUpdateResponse", user=s.UserSerializer()), **ERRORS},
    )
    def patch(self, request: Request) -> Response:
        body = s.MeUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        user = user_profile_update(user=_user(request), **body.validated_data)
        return Response({"success": True, "user": s.user_payload(user)})


class NotApiKey(BasePermission):
    """Keys cannot mint or revoke keys: a leaked key must not be able to entrench itself."""

    message = "Manage API keys from the dashboard or with a login token, not with an API key."

    def has_permission(self, request: Request, view: Any) -> bool:
        return not isinstance(request.auth, ApiKey)


class ApiKeyListCreateApi(ListAPIView):
    serializer_class = s.ApiKeySerializer

    def get_permissions(self) -> list[Any]:
        return [*super().get_permissions(), NotApiKey()]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ApiKey.objects.none()
        return api_key_list(user=_user(self.request))

    @extend_schema(tags=["api-keys"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["api-keys"],
        request=s.ApiKeyCreateSerializer,
        responses={
            201: _envelope("ApiKeyCreatedResponse", api_key=s.ApiKeyCreatedSerializer()),
            402: OpenApiResponse(description="PLAN_FEATURE_REQUIRED: the plan lacks API access"),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        body = s.ApiKeyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        key, plaintext = api_key_create(user=_user(request), request=request._request, **body.validated_data)
        key.key = plaintext  # type: ignore[attr-defined]
        return Response(
            {"success": True, "api_key": s.ApiKeyCreatedSerializer(key).data}, status=status.HTTP_201_CREATED
        )


class ApiKeyDetailApi(APIView):
    def get_permissions(self) -> list[Any]:
        return [*super().get_permissions(), NotApiKey()]

    @extend_schema(
        tags=["api-keys"],
        responses={200: _envelope("ApiKeyRevokedResponse", api_key=s.ApiKeySerializer()), 404: OpenApiResponse()},
    )
    def delete(self, request: Request, key_id: str) -> Response:
        key = api_key_revoke(user=_user(request), key_id=key_id, request=request._request)
        return Response({"success": True, "api_key": s.ApiKeySerializer(key).data})
