"""Dashboard page routes."""

from django.urls import path

from core import pages

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", pages.home, name="home"),
]
