from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("i18n/language/", views.language_set, name="set_language"),
    path("settings/", views.profile, name="profile"),
    path("settings/security/", views.security, name="security"),
    path("settings/security/sessions/<uuid:session_id>/revoke/", views.session_revoke, name="session_revoke"),
    path("settings/security/api-keys/", views.api_key_create, name="api_key_create"),
    path("settings/security/api-keys/<uuid:key_id>/revoke/", views.api_key_revoke, name="api_key_revoke"),
    path("settings/security/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("settings/security/two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("settings/security/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("settings/privacy/", views.privacy, name="privacy"),
    path("settings/privacy/export/", views.data_export_request, name="data_export_request"),
    path("settings/privacy/export/status/", views.data_export_status, name="data_export_status"),
    path("settings/privacy/export/<str:token>/", views.data_export_download, name="data_export_download"),
    path("settings/privacy/delete/", views.account_delete, name="account_delete"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
]
