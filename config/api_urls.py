"""Every REST endpoint, under /api/. Each app contributes its own `api_urls`."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("teams.api_urls")),
    path("", include("social.api_urls")),
    path("", include("teams.collab_api_urls")),
    path("", include("content.api_urls")),
    path("analytics/", include("analytics.api_urls")),
    path("", include("analytics.root_api_urls")),
    path("moderation/", include("moderation.api_urls")),
    path("", include("scheduling.api_urls")),
    path("", include("billing.api_urls")),
    path("", include("integrations.api_urls")),
]
