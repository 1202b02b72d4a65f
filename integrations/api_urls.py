from django.urls import path

from integrations import apis

urlpatterns = [
    path("webhooks/", apis.WebhookListApi.as_view(), name="api-webhooks"),
    path("webhooks/events/", apis.WebhookEventsApi.as_view(), name="api-webhook-events"),
    path(
        "webhooks/deliveries/<uuid:webhook_delivery_id>/redeliver/",
        apis.WebhookRedeliverApi.as_view(),
        name="api-webhook-redeliver",
    ),
    path("webhooks/<uuid:endpoint_id>/", apis.WebhookDetailApi.as_view(), name="api-webhook-detail"),
    path(
        "webhooks/<uuid:endpoint_id>/rotate-secret/", apis.WebhookRotateSecretApi.as_view(), name="api-webhook-rotate"
    ),
    path("webhooks/<uuid:endpoint_id>/test/", apis.WebhookTestApi.as_view(), name="api-webhook-test"),
    path("webhooks/<uuid:endpoint_id>/deliveries/", apis.WebhookDeliveriesApi.as_view(), name="api-webhook-deliveries"),
    path("feeds/", apis.FeedListApi.as_view(), name="api-feeds"),
    path("feeds/<uuid:feed_id>/", apis.FeedDetailApi.as_view(), name="api-feed-detail"),
    path("feeds/<uuid:feed_id>/fetch/", apis.FeedFetchApi.as_view(), name="api-feed-fetch"),
    path("feeds/<uuid:feed_id>/items/", apis.FeedItemsApi.as_view(), name="api-feed-items"),
]
