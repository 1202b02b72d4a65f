"""Every REST endpoint, under /api/. Each app contributes its own `api_urls`."""

from django.urls import include, path

from core.apis import MeApi

urlpatterns = [
    path("me/", MeApi.as_view(), name="api-me"),
    path("", include("social.api_urls")),
    path("", include("content.api_urls")),
    path("analytics/", include("analytics.api_urls")),
    path("moderation/", include("moderation.api_urls")),
    path("", include("billing.api_urls")),
]
