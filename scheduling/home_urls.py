"""Dashboard page routes."""

from django.urls import path

from scheduling import home_views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", home_views.home, name="home"),
]
