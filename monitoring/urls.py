from django.contrib import admin
from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("metrics", views.metrics, name="metrics"),
    # Inside the admin so it inherits the admin's staff check and, in production, its 2FA rule.
    path("admin/status/", admin.site.admin_view(views.status_page), name="status"),
    path("admin/usage/", admin.site.admin_view(views.usage_page), name="usage"),
]
