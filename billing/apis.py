"""/api/billing/: the catalogue, the team's subscription and usage, Checkout, the portal, Stripe's webhook."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.models import Subscription
from billing.payments import (
    checkout_session_create,
    portal_session_create,
    subscription_cancel,
    subscription_change_plan,
)
from billing.plans import CURRENCIES, INTERVALS
from billing.selectors import effective_tier, plan_catalogue, team_plan_features
from billing.serializers import (
    PlanChoiceSerializer,
    PlansResponseSerializer,
    SubscriptionResponseSerializer,
    UrlResponseSerializer,
    UsageResponseSerializer,
    WebhookResponseSerializer,
)
from billing.services import quota_ensure, subscription_ensure
from billing.stripe_events import InvalidWebhook, stripe_event_process, webhook_event_parse
from core.api.errors import ValidationFailed
from teams.permissions import Capability, TeamContextMixin, require


def _hosted_only() -> None:
    if settings.SELF_HOSTED:
        raise Http404("Billing is not available on self-hosted installations.")


def subscription_payload(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": str(subscription.pk),
        "team_id": str(subscription.team_id),
        "stripe_subscription_id": subscription.stripe_subscription_id,
        "tier": subscription.tier,
        "effective_tier": effective_tier(subscription),
        "status": subscription.status,
        "current_period_start": subscription.current_period_start,
        "current_period_end": subscription.current_period_end,
        "cancel_at_period_end": subscription.cancel_at_period_end,
        "pending_tier": subscription.pending_tier or None,
        "grace_until": subscription.grace_until,
        "comped_until": subscription.comped_until,
        "features": team_plan_features(team=subscription.team).as_dict(),
    }


class PlansApi(TeamContextMixin, APIView):
    @extend_schema(responses=PlansResponseSerializer, summary="The plan catalogue with prices")
    def get(self, request: Request) -> Response:
        _hosted_only()
        self.team_ctx  # noqa: B018  (an X-Team-ID of a team the caller is not in is a 404 here too)
        return Response(
            {"success": True, "plans": plan_catalogue(), "currencies": list(CURRENCIES), "intervals": list(INTERVALS)}
        )


class SubscriptionApi(TeamContextMixin, APIView):
    @extend_schema(responses=SubscriptionResponseSerializer, summary="The current team's subscription")
    def get(self, request: Request) -> Response:
        _hosted_only()
        subscription = subscription_ensure(team=self.team_ctx.team)
        return Response({"success": True, "subscription": subscription_payload(subscription)})

    @extend_schema(
        request=PlanChoiceSerializer,
        responses=SubscriptionResponseSerializer,
        summary="Change a paid plan (upgrade now with proration, downgrade at period end)",
    )
    def post(self, request: Request) -> Response:
        _hosted_only()
        ctx = self.team_ctx
        require(ctx, Capability.MANAGE_BILLING)
        choice = PlanChoiceSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        subscription = subscription_change_plan(team=ctx.team, **choice.validated_data)
        return Response({"success": True, "subscription": subscription_payload(subscription)})

    @extend_schema(responses=SubscriptionResponseSerializer, summary="Cancel at the end of the paid period")
    def delete(self, request: Request) -> Response:
        _hosted_only()
        ctx = self.team_ctx
        require(ctx, Capability.MANAGE_BILLING)
        subscription = subscription_cancel(team=ctx.team)
        return Response({"success": True, "subscription": subscription_payload(subscription)})


class CheckoutApi(TeamContextMixin, APIView):
    @extend_schema(request=PlanChoiceSerializer, responses=UrlResponseSerializer, summary="Start Stripe Checkout")
    def post(self, request: Request) -> Response:
        _hosted_only()
        ctx = self.team_ctx
        require(ctx, Capability.MANAGE_BILLING)
        choice = PlanChoiceSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        page = request.build_absolute_uri(reverse("billing:overview"))
        url = checkout_session_create(
            team=ctx.team,
            success_url=f"{page}?checkout=success&session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=f"{page}?checkout=cancelled",
            **choice.validated_data,
        )
        return Response({"success": True, "url": url})


class PortalApi(TeamContextMixin, APIView):
    @extend_schema(request=None, responses=UrlResponseSerializer, summary="Open the Stripe Customer Portal")
    def post(self, request: Request) -> Response:
        _hosted_only()
        ctx = self.team_ctx
        require(ctx, Capability.MANAGE_BILLING)
        url = portal_session_create(team=ctx.team, return_url=request.build_absolute_uri(reverse("billing:overview")))
        return Response({"success": True, "url": url})


class UsageApi(TeamContextMixin, APIView):
    @extend_schema(responses=UsageResponseSerializer, summary="The current team's usage this period")
    def get(self, request: Request) -> Response:
        quota = quota_ensure(team=self.team_ctx.team)
        return Response(
            {
                "success": True,
                "usage_quota": {
                    "content_generations": quota.content_generations,
                    "max_content_generations": quota.max_content_generations,
                    "api_calls": quota.api_calls,
                    "max_api_calls": quota.max_api_calls,
                    "reset_date": quota.reset_date,
                },
            }
        )


class StripeWebhookApi(APIView):
    """Stripe's webhook: the one unauthenticated billing endpoint; the signature is the authentication."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    # Stripe sends bursts from a few IPs; a per-IP anonymous limit would drop real events.
    throttle_classes: list[Any] = []

    @extend_schema(request=None, responses=WebhookResponseSerializer, summary="Stripe webhook (signed)")
    def post(self, request: Request) -> Response:
        try:
            event = webhook_event_parse(payload=request.body, signature=request.headers.get("Stripe-Signature"))
        except InvalidWebhook as exc:
            raise ValidationFailed(
                "The Stripe signature did not verify.", details={"stripeSignature": [str(exc)]}
            ) from exc
        processed = stripe_event_process(event=event)
        return Response({"success": True, "processed": processed})
