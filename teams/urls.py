from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/panel/", views.notification_panel, name="notification_panel"),
    path("notifications/mark-all-read/", views.notifications_mark_read, name="notifications_mark_all_read"),
    path("notifications/<uuid:notification_id>/open/", views.notification_open, name="notification_open"),
]
