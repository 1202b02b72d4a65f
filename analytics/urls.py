from django.urls import path

from analytics import team_views, views

app_name = "analytics"

urlpatterns = [
    path("analytics/", views.analytics_page, name="dashboard"),
    path("analytics/competitors/", views.competitor_add, name="competitor_add"),
    path("analytics/competitors/<uuid:competitor_id>/delete/", views.competitor_remove, name="competitor_remove"),
    path("analytics/ab-tests/", views.abtest_add, name="abtest_add"),
    path("analytics/model/train/", views.model_train, name="model_train"),
    path("team/analytics/", team_views.analytics_page, name="team_analytics"),
]
