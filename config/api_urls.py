"""Every REST endpoint, under /api/. Each app contributes its own `api_urls`."""

from django.urls import include, path

from core.apis import MeApi

urlpatterns = [
    path("me/", MeApi.as_view(), name="api-me"),
    path("", include("billing.api_urls")),
]
