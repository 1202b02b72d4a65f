from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<uuid:endpoint_id>/", views.webhook_detail, name="webhook"),
    path("webhooks/<uuid:endpoint_id>/toggle/", views.webhook_toggle, name="webhook_toggle"),
    path("webhooks/<uuid:endpoint_id>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<uuid:endpoint_id>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<uuid:endpoint_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path("deliveries/<uuid:webhook_delivery_id>/redeliver/", views.webhook_redeliver_view, name="webhook_redeliver"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/<uuid:feed_id>/", views.feed_detail, name="feed"),
    path("feeds/<uuid:feed_id>/fetch/", views.feed_fetch_now, name="feed_fetch"),
    path("feeds/<uuid:feed_id>/toggle/", views.feed_toggle, name="feed_toggle"),
    path("feeds/<uuid:feed_id>/delete/", views.feed_remove, name="feed_delete"),
]
