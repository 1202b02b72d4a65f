from __future__ import annotations

from rest_framework import serializers

from accounts.serializers import UsageQuotaSerializer
from billing.models import SubscriptionTier
from billing.plans import CURRENCIES, INTERVALS, PAID_TIERS


class PlanPriceSerializer(serializers.Serializer):
    interval = serializers.CharField()
    currency = serializers.CharField()
    amount = serializers.IntegerField(help_text="In the currency's smallest unit (cents).")
    lookup_key = serializers.CharField()


class PlanFeaturesSerializer(serializers.Serializer):
    max_content_generations = serializers.IntegerField(allow_null=True)
    max_api_calls = serializers.IntegerField(allow_null=True)
    max_social_accounts = serializers.IntegerField(allow_null=True)
    max_scheduled_posts = serializers.IntegerField(allow_null=True)
    max_team_members = serializers.IntegerField(allow_null=True)
    advanced_analytics = serializers.BooleanField()
    team_collaboration = serializers.BooleanField()
    api_access = serializers.BooleanField()
    priority_support = serializers.BooleanField()


class PlanSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=SubscriptionTier.choices)
    name = serializers.CharField()
    rank = serializers.IntegerField()
    features = PlanFeaturesSerializer()
    prices = PlanPriceSerializer(many=True)


class PlansResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    plans = PlanSerializer(many=True)
    currencies = serializers.ListField(child=serializers.CharField())
    intervals = serializers.ListField(child=serializers.CharField())


class SubscriptionSerializer(serializers.Serializer):
    """The spec's Subscription (held by the team), plus what dunning, comps and downgrades add."""

    id = serializers.CharField()
    team_id = serializers.CharField()
    stripe_subscription_id = serializers.CharField(allow_null=True)
    tier = serializers.CharField()
    effective_tier = serializers.CharField()
    status = serializers.CharField()
    current_period_start = serializers.DateTimeField()
    current_period_end = serializers.DateTimeField()
    cancel_at_period_end = serializers.BooleanField()
    pending_tier = serializers.CharField(allow_null=True)
    grace_until = serializers.DateTimeField(allow_null=True)
    comped_until = serializers.DateTimeField(allow_null=True)
    features = PlanFeaturesSerializer()


class SubscriptionResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    subscription = SubscriptionSerializer()


class UsageResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    usage_quota = UsageQuotaSerializer()


class PlanChoiceSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=[(t, t) for t in PAID_TIERS])
    interval = serializers.ChoiceField(choices=[(i, i) for i in INTERVALS], default="month")
    currency = serializers.ChoiceField(choices=[(c, c) for c in CURRENCIES], default="usd")

    def to_internal_value(self, data):  # type: ignore[no-untyped-def]
        if hasattr(data, "get") and isinstance(data.get("currency"), str):
            data = {**data, "currency": data["currency"].lower()}
        return super().to_internal_value(data)


class UrlResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    url = serializers.URLField()


class WebhookResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    processed = serializers.BooleanField()
