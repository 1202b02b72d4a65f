from django.urls import path

from billing import apis

urlpatterns = [
    path("billing/plans/", apis.PlansApi.as_view(), name="api-billing-plans"),
    path("billing/subscription/", apis.SubscriptionApi.as_view(), name="api-billing-subscription"),
    path("billing/checkout/", apis.CheckoutApi.as_view(), name="api-billing-checkout"),
    path("billing/portal/", apis.PortalApi.as_view(), name="api-billing-portal"),
    path("billing/usage/", apis.UsageApi.as_view(), name="api-billing-usage"),
    path("billing/webhook/", apis.StripeWebhookApi.as_view(), name="api-billing-webhook"),
]
