from django.urls import path

from scheduling import views
from scheduling.portability import views as portability_views

app_name = "scheduling"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/schedule/", views.schedule, name="schedule"),
    path("calendar/<str:scheduled_id>/retry/", views.retry, name="retry"),
    path("calendar/queue/<str:account_id>/", views.queue_settings, name="queue"),
    path("portability/", portability_views.index, name="portability"),
    path("portability/export/", portability_views.export, name="portability-export"),
    path("portability/exports/<str:export_id>/download/", portability_views.download, name="portability-download"),
    path("portability/import/preview/", portability_views.import_preview, name="portability-preview"),
    path("portability/import/", portability_views.import_confirm, name="portability-import"),
]
