"""REST: /api/webhooks/ (endpoints, delivery log, redeliver, test, secret rotation) and /api/feeds/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import selectors as content_selectors
from core.api.errors import NotFoundError, ValidationFailed
from core.events import EVENT_NAMES
from integrations import selectors
from integrations.feeds import feed_create, feed_delete, feed_fetch_request, feed_update
from integrations.models import Feed, WebhookEndpoint
from integrations.serializers import (
    FeedItemSerializer,
    FeedSerializer,
    FeedWriteSerializer,
    WebhookCreateSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
    WebhookUpdateSerializer,
)
from integrations.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_redeliver,
    webhook_secret_rotate,
    webhook_test_send,
)
from social import selectors as social_selectors
from teams.permissions import Capability, TeamContext, TeamContextMixin, require


def _valid(serializer_class: type[drf_serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _endpoint(view: TeamContextMixin, endpoint_id: str) -> tuple[TeamContext, WebhookEndpoint]:
    ctx = view.team_ctx
    endpoint = selectors.webhook_endpoint_get(team=ctx.team, endpoint_id=endpoint_id)
    require(ctx, Capability.MANAGE_ACCOUNTS)
    return ctx, endpoint


_SECRET_RESPONSE = inline_serializer(
    "WebhookWithSecret",
    {
        "success": drf_serializers.BooleanField(),
        "webhook": WebhookEndpointSerializer(),
        "secret": drf_serializers.CharField(),
    },
)


class WebhookListApi(TeamContextMixin, ListAPIView):
    serializer_class = WebhookEndpointSerializer

    @extend_schema(tags=["integrations"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The workspace's webhook endpoints (secrets are never listed)."""
        require(self.team_ctx, Capability.MANAGE_ACCOUNTS)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return WebhookEndpoint.objects.none()
        return selectors.webhook_endpoints(team=self.team_ctx.team).order_by("-created_at")

    @extend_schema(request=WebhookCreateSerializer, responses={201: _SECRET_RESPONSE}, tags=["integrations"])
    def post(self, request: Request) -> Response:
        """Subscribe a URL to events; the signing secret is in this response only."""
        data = _valid(WebhookCreateSerializer, request.data)
        endpoint, secret = webhook_endpoint_create(ctx=self.team_ctx, **data)
        body = WebhookEndpointSerializer(endpoint).data
        return Response({"success": True, "webhook": body, "secret": secret}, status=status.HTTP_201_CREATED)


class WebhookEventsApi(TeamContextMixin, APIView):
    @extend_schema(
        responses={200: inline_serializer("WebhookEvents", {"events": drf_serializers.ListField()})},
        tags=["integrations"],
    )
    def get(self, request: Request) -> Response:
        """The event names a webhook can subscribe to."""
        return Response({"success": True, "events": list(EVENT_NAMES)})


class WebhookDetailApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: WebhookEndpointSerializer}, tags=["integrations"])
    def get(self, request: Request, endpoint_id: str) -> Response:
        _ctx, endpoint = _endpoint(self, endpoint_id)
        return Response({"success": True, "webhook": WebhookEndpointSerializer(endpoint).data})

    @extend_schema(request=WebhookUpdateSerializer, responses={200: WebhookEndpointSerializer}, tags=["integrations"])
    def patch(self, request: Request, endpoint_id: str) -> Response:
        """Change the URL, events or description; `isActive` disables or re-enables it."""
        ctx, endpoint = _endpoint(self, endpoint_id)
        data = _valid(WebhookUpdateSerializer, request.data)
        endpoint = webhook_endpoint_update(ctx=ctx, endpoint=endpoint, **data)
        return Response({"success": True, "webhook": WebhookEndpointSerializer(endpoint).data})

    @extend_schema(responses={200: None}, tags=["integrations"])
    def delete(self, request: Request, endpoint_id: str) -> Response:
        ctx, endpoint = _endpoint(self, endpoint_id)
        webhook_endpoint_delete(ctx=ctx, endpoint=endpoint)
        return Response({"success": True})


class WebhookRotateSecretApi(TeamContextMixin, APIView):
    @extend_schema(request=None, responses={200: _SECRET_RESPONSE}, tags=["integrations"])
    def post(self, request: Request, endpoint_id: str) -> Response:
        """A new signing secret, shown in this response only; the old one stops at once."""
        ctx, endpoint = _endpoint(self, endpoint_id)
        secret = webhook_secret_rotate(ctx=ctx, endpoint=endpoint)
        return Response({"success": True, "webhook": WebhookEndpointSerializer(endpoint).data, "secret": secret})


class WebhookTestApi(TeamContextMixin, APIView):
    @extend_schema(request=None, responses={202: WebhookDeliverySerializer}, tags=["integrations"])
    def post(self, request: Request, endpoint_id: str) -> Response:
        """Send a `webhook.test` event to this endpoint now."""
        ctx, endpoint = _endpoint(self, endpoint_id)
        delivery = webhook_test_send(ctx=ctx, endpoint=endpoint)
        return Response(
            {"success": True, "delivery": WebhookDeliverySerializer(delivery).data}, status=status.HTTP_202_ACCEPTED
        )


class WebhookDeliveriesApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: WebhookDeliverySerializer(many=True)}, tags=["integrations"])
    def get(self, request: Request, endpoint_id: str) -> Response:
        """The delivery log: the latest 50 deliveries with every attempt's response."""
        _ctx, endpoint = _endpoint(self, endpoint_id)
        rows = selectors.webhook_deliveries(endpoint=endpoint)
        return Response(
            {"success": True, "results": WebhookDeliverySerializer(rows, many=True).data, "count": len(rows)}
        )


class WebhookRedeliverApi(TeamContextMixin, APIView):
    @extend_schema(request=None, responses={202: WebhookDeliverySerializer}, tags=["integrations"])
    def post(self, request: Request, webhook_delivery_id: str) -> Response:
        """Send a logged delivery again (same event id and body, a fresh signature)."""
        ctx = self.team_ctx
        delivery = selectors.webhook_delivery_get(team=ctx.team, delivery_id=webhook_delivery_id)
        webhook_redeliver(ctx=ctx, delivery=delivery)
        return Response(
            {"success": True, "delivery": WebhookDeliverySerializer(delivery).data}, status=status.HTTP_202_ACCEPTED
        )


# Feeds -----------------------------------------------------------------------------------------


def _feed_options(ctx: TeamContext, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in the body to rows of this team; an unknown id is a field error, not a 404 of the feed."""
    options = {k: v for k, v in data.items() if k not in ("brand_id", "queue_account_id")}
    for key, name, getter in (
        ("brand_id", "brand", lambda i: content_selectors.brand_get(team=ctx.team, brand_id=i)),
        ("queue_account_id", "queue_account", lambda i: social_selectors.account_get(team=ctx.team, account_id=i)),
    ):
        if key not in data:
            continue
        try:
            options[name] = getter(data[key]) if data[key] else None
        except NotFoundError as exc:
            field = "brandId" if key == "brand_id" else "queueAccountId"
            raise ValidationFailed("Choose one of this workspace's own.", details={field: ["Unknown."]}) from exc
    return options


class FeedListApi(TeamContextMixin, ListAPIView):
    serializer_class = FeedSerializer

    @extend_schema(tags=["integrations"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The RSS and Atom feeds the workspace follows."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Feed.objects.none()
        return selectors.feeds(team=self.team_ctx.team).order_by("-created_at")

    @extend_schema(request=FeedWriteSerializer, responses={201: FeedSerializer}, tags=["integrations"])
    def post(self, request: Request) -> Response:
        """Follow a feed; its new items become drafts (fetched now, then every interval)."""
        ctx = self.team_ctx
        data = _valid(FeedWriteSerializer, request.data)
        if not data.get("url"):
            raise ValidationFailed("Give the feed's URL.", details={"url": ["Required."]})
        options = _feed_options(ctx, data)
        options.pop("is_active", None)
        feed = feed_create(ctx=ctx, **options)
        return Response({"success": True, "feed": FeedSerializer(feed).data}, status=status.HTTP_201_CREATED)


class FeedDetailApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: FeedSerializer}, tags=["integrations"])
    def get(self, request: Request, feed_id: str) -> Response:
        feed = selectors.feed_get(team=self.team_ctx.team, feed_id=feed_id)
        return Response({"success": True, "feed": FeedSerializer(feed).data})

    @extend_schema(request=FeedWriteSerializer, responses={200: FeedSerializer}, tags=["integrations"])
    def patch(self, request: Request, feed_id: str) -> Response:
        ctx = self.team_ctx
        feed = selectors.feed_get(team=ctx.team, feed_id=feed_id)
        data = _valid(FeedWriteSerializer, request.data)
        if "url" in data:
            raise ValidationFailed("A feed's URL cannot change; follow the new one.", details={"url": ["Read-only."]})
        feed = feed_update(ctx=ctx, feed=feed, changes=_feed_options(ctx, data))
        return Response({"success": True, "feed": FeedSerializer(feed).data})

    @extend_schema(responses={200: None}, tags=["integrations"])
    def delete(self, request: Request, feed_id: str) -> Response:
        ctx = self.team_ctx
        feed_delete(ctx=ctx, feed=selectors.feed_get(team=ctx.team, feed_id=feed_id))
        return Response({"success": True})


class FeedFetchApi(TeamContextMixin, APIView):
    @extend_schema(request=None, responses={202: None}, tags=["integrations"])
    def post(self, request: Request, feed_id: str) -> Response:
        """Fetch the feed now instead of at the next interval."""
        ctx = self.team_ctx
        feed = selectors.feed_get(team=ctx.team, feed_id=feed_id)
        require(ctx, Capability.CREATE_CONTENT)
        feed_fetch_request(feed=feed)
        return Response({"success": True}, status=status.HTTP_202_ACCEPTED)


class FeedItemsApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: FeedItemSerializer(many=True)}, tags=["integrations"])
    def get(self, request: Request, feed_id: str) -> Response:
        """The feed's latest 50 items and the draft each became."""
        feed = selectors.feed_get(team=self.team_ctx.team, feed_id=feed_id)
        rows = selectors.feed_items(feed=feed)
        return Response({"success": True, "results": FeedItemSerializer(rows, many=True).data, "count": len(rows)})
