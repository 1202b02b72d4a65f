from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/schedule/", views.schedule, name="schedule"),
    path("calendar/<str:scheduled_id>/retry/", views.retry, name="retry"),
    path("calendar/queue/<str:account_id>/", views.queue_settings, name="queue"),
]
