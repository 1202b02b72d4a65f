"""Dashboard page routes. Later issues point these names at their own apps' views."""

from django.urls import path

from core import pages

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", pages.home, name="home"),
    path("generate/", pages.generate, name="generate"),
    path("posts/", pages.posts, name="posts"),
    path("calendar/", pages.calendar, name="calendar"),
    path("analytics/", pages.analytics, name="analytics"),
    path("social/", pages.accounts, name="accounts"),
    path("team/", pages.team, name="team"),
    path("settings/", pages.user_settings, name="settings"),
]
