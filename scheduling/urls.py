from django.urls import path

from scheduling import post_views, publish_views, queue_views, series_views, views
from scheduling.portability import views as portability_views

app_name = "scheduling"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/day/", views.calendar_day, name="calendar_day"),
    path("calendar/posts/", views.post_search, name="post_search"),
    path("calendar/schedule/", views.schedule, name="schedule"),
    path("calendar/<uuid:scheduled_id>/retry/", views.retry, name="retry"),
    path("calendar/series/<uuid:series_id>/", series_views.series_update_view, name="series_update"),
    path("calendar/series/<uuid:series_id>/stop/", series_views.series_stop_view, name="series_stop"),
    path("calendar/queue/<uuid:account_id>/", views.queue_settings, name="queue"),
    path("calendar/queue/<uuid:account_id>/reorder/", queue_views.queue_reorder_view, name="queue_reorder"),
    path("calendar/queue/<uuid:account_id>/shuffle/", queue_views.queue_shuffle_view, name="queue_shuffle"),
    path("posts/<uuid:post_id>/schedule/", post_views.post_schedule_view, name="post_schedule"),
    path("posts/<uuid:post_id>/publish-now/", post_views.post_publish_now_view, name="post_publish_now"),
    path("posts/<uuid:post_id>/repeat/", post_views.post_repeat, name="post_repeat"),
    # Publish now or at a time, one post or many; the paths predate the move from social.
    path("social/publish/", publish_views.publish_index, name="publish_index"),
    path("social/bulk/", publish_views.bulk_publish, name="bulk"),
    path("social/publish/<uuid:post_id>/", publish_views.publish_page, name="publish"),
    path("social/publish/<uuid:post_id>/submit/", publish_views.publish_submit, name="publish_submit"),
    path("portability/", portability_views.index, name="portability"),
    path("portability/export/", portability_views.export, name="portability-export"),
    path("portability/exports/<uuid:export_id>/download/", portability_views.download, name="portability-download"),
    path("portability/import/preview/", portability_views.import_preview, name="portability-preview"),
    path("portability/import/", portability_views.import_confirm, name="portability-import"),
]
