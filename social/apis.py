"""The spec's /api/social/* endpoints and the accounts, results and media resources."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import selectors as content_selectors
from core.api.casing import to_snake
from core.api.errors import ValidationFailed
from core.lookups import uuid_or_404
from social import selectors
from social.models import MediaAsset, PublishResult, SocialAccount
from social.serializers import (
    ConnectRequestSerializer,
    ConnectResponseSerializer,
    MediaAssetSerializer,
    MediaUploadSerializer,
    PlatformCheckSerializer,
    PublishResponseSerializer,
    PublishResultSerializer,
    SocialAccountSerializer,
    ValidateRequestSerializer,
    ValidateResponseSerializer,
)
from social.services.accounts import account_connect_with_code, account_disconnect
from social.services.checks import checks_run
from social.services.media import media_upload
from social.services.oauth import mastodon_app_config, normalize_instance_url, platform_is_configured
from social.services.publishing import (
    PublishOutcome,
    publish_result_retry,
)
from teams.permissions import Capability, TeamContext, request_team_context, require


def _team(request: Request) -> TeamContext:
    return request_team_context(request)  # type: ignore[arg-type]


def _outcome_body(outcome: PublishOutcome) -> dict[str, Any]:
    """A retried delivery's answer, shaped like `/api/social/publish`'s (which is scheduling's)."""
    return {"success": True, "results": PublishResultSerializer(outcome.results, many=True).data, "scheduled_posts": []}


class ConnectApi(APIView):
    @extend_schema(request=ConnectRequestSerializer, responses={201: ConnectResponseSerializer}, tags=["social"])
    def post(self, request: Request) -> Response:
        """Finish an OAuth authorization (or, for Bluesky, an app-password login) and store the account."""
        ctx = _team(self.request)
        require(ctx, Capability.MANAGE_ACCOUNTS)
        data = ConnectRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        platform = data.validated_data["platform"]
        redirect_uri = data.validated_data["redirect_uri"]
        if platform == "sandbox" and not settings.SOCIAL_SANDBOX_ENABLED:
            raise ValidationFailed("The sandbox platform is switched off.", details={"platform": ["Not enabled."]})
        if not platform_is_configured(platform):
            # No app credentials: the code exchange cannot work, so say so instead of calling the platform.
            raise ValidationFailed(
                f"{platform} is not set up on this server: an administrator adds the app's client id and secret.",
                details={"platform": ["Not set up on this server."]},
            )
        config = None
        if platform == "mastodon":
            if not data.validated_data["instance_url"]:
                raise ValidationFailed("Mastodon needs the server address.", details={"instanceUrl": ["Required."]})
            instance = normalize_instance_url(data.validated_data["instance_url"])
            config = mastodon_app_config(instance_url=instance, redirect_uri=redirect_uri)
        account = account_connect_with_code(
            team=ctx.team,
            user=ctx.user,
            platform=platform,
            code=data.validated_data["auth_code"],
            redirect_uri=redirect_uri,
            code_verifier=data.validated_data["code_verifier"] or None,
            config=config,
        )
        return Response(
            {"success": True, "account": SocialAccountSerializer(account).data}, status=status.HTTP_201_CREATED
        )


class AccountListApi(generics.ListAPIView):
    serializer_class = SocialAccountSerializer
    queryset = SocialAccount.objects.none()  # names the model for the schema; get_queryset scopes it

    def get_queryset(self) -> Any:
        return selectors.accounts_for_team(team=_team(self.request).team).order_by("platform", "account_name")

    @extend_schema(tags=["social"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AccountDetailApi(APIView):
    @extend_schema(responses={200: ConnectResponseSerializer}, tags=["social"])
    def get(self, request: Request, account_id: str) -> Response:
        account = selectors.account_get(team=_team(self.request).team, account_id=account_id)
        return Response({"success": True, "account": SocialAccountSerializer(account).data})

    @extend_schema(responses={204: None}, tags=["social"])
    def delete(self, request: Request, account_id: str) -> Response:
        """Disconnect: the tokens are forgotten; past results keep pointing at the account."""
        ctx = _team(self.request)
        account = selectors.account_get(team=ctx.team, account_id=account_id)
        require(ctx, Capability.MANAGE_ACCOUNTS)
        account_disconnect(account=account)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ValidateApi(APIView):
    @extend_schema(request=ValidateRequestSerializer, responses={200: ValidateResponseSerializer}, tags=["social"])
    def post(self, request: Request) -> Response:
        """Pre-publish checks per platform or account: limits, hashtags, media, threads."""
        team = _team(self.request).team
        data = ValidateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accounts = selectors.accounts_by_ids(team=team, account_ids=data.validated_data.get("account_ids") or [])
        media = selectors.media_by_ids(team=team, media_ids=data.validated_data.get("media_ids") or [])
        checks = checks_run(
            text=data.validated_data["text"],
            platforms=data.validated_data.get("platforms") or [],
            accounts=accounts,
            media=media,
            first_comment=data.validated_data["first_comment"],
        )
        results = [
            {
                "platform": c.platform,
                "account_id": str(c.account.pk) if c.account else None,
                "ok": c.ok,
                "char_count": c.char_count,
                "char_limit": c.char_limit,
                "problems": [vars(p) for p in c.problems],
                "thread": c.thread,
                "charge": {"amount": str(c.charge.amount), "currency": c.charge.currency} if c.charge else None,
            }
            for c in checks
        ]
        return Response(
            {
                "success": True,
                "ok": all(c.ok for c in checks),
                "results": PlatformCheckSerializer(results, many=True).data,
            }
        )


class PublishResultListApi(generics.ListAPIView):
    serializer_class = PublishResultSerializer
    queryset = PublishResult.objects.none()  # names the model for the schema; get_queryset scopes it

    def get_queryset(self) -> Any:
        post = content_selectors.post_get(ctx=_team(self.request), post_id=self.request.query_params.get("postId"))
        return selectors.results_for_post(post=post)

    @extend_schema(parameters=[OpenApiParameter("postId", str, required=True)], tags=["social"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The deliveries of one post, one per account."""
        return super().get(request, *args, **kwargs)


class PublishResultRetryApi(APIView):
    @extend_schema(request=None, responses={200: PublishResponseSerializer}, tags=["social"])
    def post(self, request: Request, result_id: str) -> Response:
        """Try a failed delivery again (after reconnecting, or after fixing the post)."""
        ctx = _team(self.request)
        result = (
            PublishResult.objects.filter(post__team=ctx.team, pk=uuid_or_404(result_id, "result"))
            .select_related("post")
            .first()
        )
        if result is None:
            raise selectors.NotFoundError("No such result.")
        require(ctx, Capability.PUBLISH)
        return Response(_outcome_body(PublishOutcome(results=[publish_result_retry(result=result)])))


class MediaListApi(generics.ListAPIView):
    serializer_class = MediaAssetSerializer
    queryset = MediaAsset.objects.none()  # names the model for the schema; get_queryset scopes it
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        return selectors.media_for_team(team=_team(self.request).team)

    @extend_schema(tags=["media"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=MediaUploadSerializer, responses={201: MediaAssetSerializer}, tags=["media"])
    def post(self, request: Request) -> Response:
        """Upload an image or video (multipart `file`); optionally attach it to a post."""
        ctx = _team(self.request)
        require(ctx, Capability.CREATE_CONTENT)
        # Multipart bodies skip the camelCase parser: accept `altText`/`postId` as JSON bodies do.
        payload = cast(dict[str, Any], request.data)
        fields = {to_snake(key): payload.get(key) for key in payload}
        data = MediaUploadSerializer(data=fields)
        data.is_valid(raise_exception=True)
        post = (
            content_selectors.post_get(ctx=ctx, post_id=data.validated_data["post_id"])
            if data.validated_data["post_id"]
            else None
        )
        asset = media_upload(
            team=ctx.team,
            user=ctx.user,
            upload=data.validated_data["file"],
            alt_text=data.validated_data["alt_text"],
            post=post,
        )
        return Response({"success": True, "media": MediaAssetSerializer(asset).data}, status=status.HTTP_201_CREATED)


class MediaDetailApi(APIView):
    @extend_schema(responses={200: MediaAssetSerializer}, tags=["media"])
    def get(self, request: Request, media_id: str) -> Response:
        asset = selectors.media_get(team=_team(self.request).team, media_id=media_id)
        return Response({"success": True, "media": MediaAssetSerializer(asset).data})

    @extend_schema(responses={204: None}, tags=["media"])
    def delete(self, request: Request, media_id: str) -> Response:
        ctx = _team(self.request)
        asset: MediaAsset = selectors.media_get(team=ctx.team, media_id=media_id)
        require(ctx, Capability.CREATE_CONTENT)
        asset.file.delete(save=False)
        if asset.thumbnail:
            asset.thumbnail.delete(save=False)
        asset.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
