from django.urls import path

from accounts import apis

urlpatterns = [
    path("auth/register", apis.RegisterApi.as_view(), name="api-auth-register"),
    path("auth/login", apis.LoginApi.as_view(), name="api-auth-login"),
    path("auth/refresh", apis.RefreshApi.as_view(), name="api-auth-refresh"),
    path("auth/logout", apis.LogoutApi.as_view(), name="api-auth-logout"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("api-keys/", apis.ApiKeyListCreateApi.as_view(), name="api-keys"),
    path("api-keys/<uuid:key_id>/", apis.ApiKeyDetailApi.as_view(), name="api-key-detail"),
]
