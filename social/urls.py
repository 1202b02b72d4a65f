from django.urls import path

from social import composer_views, publish_views, sandbox_views, views

app_name = "social"

urlpatterns = [
    path("social/", views.accounts_page, name="accounts"),
    path("social/connect/<str:platform>/", views.connect_start, name="connect"),
    path("social/callback/<str:platform>/", views.connect_callback, name="callback"),
    path("social/sandbox/authorize/", views.sandbox_authorize, name="sandbox_authorize"),
    path("social/sandbox/", sandbox_views.sandbox_page, name="sandbox"),
    path("social/sandbox/<uuid:delivery_id>/", sandbox_views.sandbox_delivery_page, name="sandbox_delivery"),
    path("social/accounts/<uuid:account_id>/disconnect/", views.account_disconnect_view, name="disconnect"),
    path("social/accounts/<uuid:account_id>/check/", views.account_check_view, name="check"),
    path("social/checks/", publish_views.checks_partial, name="checks"),
    path("social/composer/checks/", composer_views.composer_checks, name="composer_checks"),
    path("social/composer/posts/<uuid:post_id>/media/", composer_views.composer_media_set, name="composer_media"),
    path("social/media/", publish_views.media_upload_view, name="media_upload"),
    path("social/results/<uuid:result_id>/retry/", publish_views.result_retry_view, name="result_retry"),
]
