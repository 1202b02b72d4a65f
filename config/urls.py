from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views
from monitoring.admin_site import OperatorAdminSite, OTPOperatorAdminSite

# The same site and registrations, grouped by job; with ADMIN_REQUIRE_OTP (production's default)
# staff also need a verified django-otp device (TOTP or a recovery code).
admin.site.__class__ = OTPOperatorAdminSite if settings.ADMIN_REQUIRE_OTP else OperatorAdminSite

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("monitoring.urls")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("config.api_urls")),
    path("", include("analytics.urls")),
    path("", include("scheduling.home_urls")),
    path("", include("teams.urls")),
    path("", include("social.urls")),
    path("", include("content.urls")),
    path("moderation/", include("moderation.urls")),
    path("", include("scheduling.urls")),
    path("", include("billing.urls")),
    path("integrations/", include("integrations.urls")),
    path("", include("core.urls")),
]

handler400 = "core.views.handler400"
handler403 = "core.views.handler403"
handler404 = "core.views.handler404"
handler500 = "core.views.handler500"

if settings.DEBUG:
    from core.media_views import media_serve

    # Uploads served with Content-Disposition and nosniff (core/media_views.py), never as script.
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media_serve)]
