from django.urls import path

from teams import collab_views, views

app_name = "teams"

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/panel/", views.notification_panel, name="notification_panel"),
    path("notifications/mark-all-read/", views.notifications_mark_read, name="notifications_mark_all_read"),
    path("notifications/<uuid:notification_id>/open/", views.notification_open, name="notification_open"),
    path("activity/", collab_views.activity_feed, name="activity"),
    path("tasks/", collab_views.task_list, name="tasks"),
    path("tasks/<str:task_id>/toggle/", collab_views.task_toggle, name="task_toggle"),
    path("workflows/", collab_views.workflow_list, name="workflows"),
    path("workflows/<str:workflow_id>/delete/", collab_views.workflow_remove, name="workflow_delete"),
]
