from django.urls import include, path

from scheduling import apis, publish_apis

urlpatterns = [
    path("social/publish", publish_apis.PublishApi.as_view(), name="api-social-publish"),
    path("social/bulk-publish", publish_apis.BulkPublishApi.as_view(), name="api-social-bulk-publish"),
    path("content/schedule", apis.ScheduleApi.as_view(), name="api-content-schedule"),
    path("schedules/", apis.ScheduleListApi.as_view(), name="api-schedules"),
    path("schedules/best-times/", apis.BestTimesApi.as_view(), name="api-schedules-best-times"),
    path("schedules/recurring/", apis.SeriesListApi.as_view(), name="api-series"),
    path("schedules/recurring/<uuid:series_id>/", apis.SeriesDetailApi.as_view(), name="api-series-detail"),
    path("schedules/<uuid:scheduled_id>/", apis.ScheduleDetailApi.as_view(), name="api-schedule-detail"),
    path("schedules/<uuid:scheduled_id>/retry/", apis.ScheduleRetryApi.as_view(), name="api-schedule-retry"),
    path("", include("scheduling.portability.api_urls")),
    path("queue/add/", apis.QueueAddApi.as_view(), name="api-queue-add"),
    path("queue/<uuid:account_id>/slots/", apis.QueueSlotsApi.as_view(), name="api-queue-slots"),
    path("queue/<uuid:account_id>/reorder/", apis.QueueReorderApi.as_view(), name="api-queue-reorder"),
    path("queue/<uuid:account_id>/shuffle/", apis.QueueShuffleApi.as_view(), name="api-queue-shuffle"),
]
