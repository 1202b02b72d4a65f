"""Analytics endpoints at the paths the spec gives them outside /api/analytics/."""

from django.urls import path

from analytics import account_apis, team_apis

urlpatterns = [
    path("social/analytics", account_apis.AccountAnalyticsApi.as_view(), name="api-social-analytics"),
    path("teams/<uuid:team_id>/analytics", team_apis.TeamAnalyticsApi.as_view(), name="api-team-analytics"),
]
