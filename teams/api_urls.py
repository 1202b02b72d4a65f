from django.urls import path

from teams import apis

urlpatterns = [
    path("teams/", apis.TeamListApi.as_view(), name="api-teams"),
    path("teams/<uuid:team_id>/", apis.TeamDetailApi.as_view(), name="api-team"),
    path("teams/<uuid:team_id>/switch", apis.TeamSwitchApi.as_view(), name="api-team-switch"),
    path("teams/<uuid:team_id>/leave", apis.TeamLeaveApi.as_view(), name="api-team-leave"),
    path("teams/<uuid:team_id>/transfer-ownership", apis.TeamTransferApi.as_view(), name="api-team-transfer"),
    path("teams/<uuid:team_id>/members/", apis.MemberListApi.as_view(), name="api-team-members"),
    path("teams/<uuid:team_id>/members/<uuid:member_id>/", apis.MemberDetailApi.as_view(), name="api-team-member"),
    path("teams/<uuid:team_id>/invitations/", apis.InvitationListApi.as_view(), name="api-team-invitations"),
    path(
        "teams/<uuid:team_id>/invitations/<uuid:invitation_id>/",
        apis.InvitationDetailApi.as_view(),
        name="api-team-invitation",
    ),
    path("invitations/<str:token>/", apis.InvitationTokenApi.as_view(), name="api-invitation"),
    path("invitations/<str:token>/accept", apis.InvitationAcceptApi.as_view(), name="api-invitation-accept"),
    path("invitations/<str:token>/decline", apis.InvitationDeclineApi.as_view(), name="api-invitation-decline"),
    path("notifications/", apis.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all", apis.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/preferences", apis.NotificationPreferencesApi.as_view(), name="api-notification-preferences"),
    path("notifications/<uuid:notification_id>/read", apis.NotificationReadApi.as_view(), name="api-notification-read"),
]
