from django.urls import path

from teams import collab_views, team_views, views

app_name = "teams"

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/panel/", views.notification_panel, name="notification_panel"),
    path("notifications/mark-all-read/", views.notifications_mark_read, name="notifications_mark_all_read"),
    path("notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("notifications/<uuid:notification_id>/open/", views.notification_open, name="notification_open"),
    path("team/", team_views.team_page, name="team"),
    path("team/create/", team_views.team_create, name="create"),
    path("team/settings/", team_views.team_settings, name="settings"),
    path("team/invite/", team_views.invite, name="invite"),
    path("team/leave/", team_views.team_leave, name="leave"),
    path("team/invitations/<uuid:invitation_id>/revoke/", team_views.invitation_revoke, name="invitation_revoke"),
    path("team/members/<uuid:member_id>/role/", team_views.member_role, name="member_role"),
    path("team/members/<uuid:member_id>/remove/", team_views.member_remove, name="member_remove"),
    path("team/members/<uuid:member_id>/transfer/", team_views.ownership_transfer, name="transfer"),
    path("teams/<uuid:team_id>/switch/", team_views.team_switch, name="switch"),
    path("invitations/<str:token>/", team_views.invitation_page, name="invitation"),
    path("invitations/<str:token>/accept/", team_views.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/decline/", team_views.invitation_decline, name="invitation_decline"),
    path("activity/", collab_views.activity_feed, name="activity"),
]
