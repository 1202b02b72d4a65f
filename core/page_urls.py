"""Dashboard page routes. Later issues point these names at their own apps' views."""

from django.urls import path

from core import pages

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", pages.home, name="home"),
    path("team/", pages.team, name="team"),
]
