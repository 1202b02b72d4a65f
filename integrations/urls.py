from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<str:endpoint_id>/", views.webhook_detail, name="webhook"),
    path("webhooks/<str:endpoint_id>/toggle/", views.webhook_toggle, name="webhook_toggle"),
    path("webhooks/<str:endpoint_id>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<str:endpoint_id>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<str:endpoint_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path("deliveries/<str:webhook_delivery_id>/redeliver/", views.webhook_redeliver_view, name="webhook_redeliver"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/<str:feed_id>/", views.feed_detail, name="feed"),
    path("feeds/<str:feed_id>/fetch/", views.feed_fetch_now, name="feed_fetch"),
    path("feeds/<str:feed_id>/toggle/", views.feed_toggle, name="feed_toggle"),
    path("feeds/<str:feed_id>/delete/", views.feed_remove, name="feed_delete"),
]
