"""/api/teams/ (teams, members, invitations, ownership, switching), /api/invitations/<token>/,
and /api/notifications/.

A team in the path must be one the caller belongs to (404 otherwise); roles are checked by the
services, plan limits by billing through `seats_requested`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api.pagination import EnvelopePageNumberPagination
from teams import membership_selectors as selectors
from teams import membership_services as services
from teams.models import Notification
from teams.notification_preferences import notification_modes, notification_modes_set
from teams.permissions import (
    Capability,
    TeamContext,
    clients_allowed,
    request_team_context,
    require,
)
from teams.selectors import notification_get, notifications_for_user
from teams.serializers import (
    InvitationCreateSerializer,
    InvitationPublicSerializer,
    InvitationSerializer,
    MemberSerializer,
    NotificationModesSerializer,
    NotificationSerializer,
    RoleUpdateSerializer,
    TeamCreateSerializer,
    TeamSerializer,
    TeamUpdateSerializer,
    TransferSerializer,
)
from teams.services import notification_mark_read, notifications_mark_all_read

SUCCESS = inline_serializer("TeamsSuccessOnly", {"success": serializers.BooleanField()})


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _team_of(request: Request, team_id: str) -> TeamContext:
    """The team named in the URL; a client member is refused (403) unless the view is `@clients_allowed`."""
    return request_team_context(request, team_id=team_id)  # type: ignore[arg-type]


def _paginated(request: Request, view: APIView, queryset: Any, serializer: type, **kwargs: Any) -> Response:
    paginator = EnvelopePageNumberPagination()
    page: Any = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, **kwargs).data)


def _team_body(ctx: TeamContext, request: Request) -> dict[str, Any]:
    membership = selectors.memberships_for_user(user=ctx.user).get(pk=ctx.membership.pk)
    data = TeamSerializer(membership, context={"current_team_id": _user(request).current_team_id}).data
    return {"success": True, "team": data}


# Teams -----------------------------------------------------------------------------------------
@clients_allowed
class TeamListApi(APIView):
    @extend_schema(responses={200: TeamSerializer(many=True)}, tags=["teams"], summary="My teams")
    def get(self, request: Request) -> Response:
        rows = selectors.memberships_for_user(user=_user(request))
        return _paginated(
            request, self, rows, TeamSerializer, context={"current_team_id": _user(request).current_team_id}
        )

    @extend_schema(
        request=TeamCreateSerializer, responses={201: TeamSerializer}, tags=["teams"], summary="Create a team"
    )
    def post(self, request: Request) -> Response:
        data = TeamCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_create_for(
            user=_user(request), name=data.validated_data["name"], tz=data.validated_data["timezone"]
        )
        return Response(_team_body(_team_of(request, str(team.pk)), request), status=status.HTTP_201_CREATED)


@clients_allowed
class TeamDetailApi(APIView):
    @extend_schema(responses={200: TeamSerializer}, tags=["teams"])
    def get(self, request: Request, team_id: str) -> Response:
        return Response(_team_body(_team_of(request, team_id), request))

    @extend_schema(request=TeamUpdateSerializer, responses={200: TeamSerializer}, tags=["teams"], summary="Settings")
    def patch(self, request: Request, team_id: str) -> Response:
        ctx = _team_of(request, team_id)
        data = TeamUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.team_settings_update(
            ctx=ctx,
            name=values.get("name"),
            tz=values.get("timezone"),
            requires_approval=values.get("requires_approval"),
        )
        return Response(_team_body(_team_of(request, team_id), request))


@clients_allowed
class TeamSwitchApi(APIView):
    @extend_schema(request=None, responses={200: TeamSerializer}, tags=["teams"], summary="Make this my current team")
    def post(self, request: Request, team_id: str) -> Response:
        ctx = _team_of(request, team_id)
        services.team_switch(user=ctx.user, team=ctx.team)
        return Response(_team_body(ctx, request))


@clients_allowed
class TeamLeaveApi(APIView):
    @extend_schema(request=None, responses={200: SUCCESS}, tags=["teams"], summary="Leave the team")
    def post(self, request: Request, team_id: str) -> Response:
        services.member_leave(ctx=_team_of(request, team_id))
        return Response({"success": True})


class TeamTransferApi(APIView):
    @extend_schema(
        request=TransferSerializer, responses={200: TeamSerializer}, tags=["teams"], summary="Transfer ownership"
    )
    def post(self, request: Request, team_id: str) -> Response:
        ctx = _team_of(request, team_id)
        require(ctx, Capability.MANAGE_TEAM)
        data = TransferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = selectors.member_get(team=ctx.team, membership_id=data.validated_data["member_id"])
        services.ownership_transfer(ctx=ctx, membership=membership)
        return Response(_team_body(_team_of(request, team_id), request))


# Members ---------------------------------------------------------------------------------------
class MemberListApi(APIView):
    @extend_schema(responses={200: MemberSerializer(many=True)}, tags=["teams"])
    def get(self, request: Request, team_id: str) -> Response:
        # A client sees the posts shared with them, not the team's roster: the team context refuses them.
        ctx = _team_of(request, team_id)
        return _paginated(request, self, selectors.members_for_team(team=ctx.team), MemberSerializer)


class MemberDetailApi(APIView):
    @extend_schema(
        request=RoleUpdateSerializer, responses={200: MemberSerializer}, tags=["teams"], summary="Change role"
    )
    def patch(self, request: Request, team_id: str, member_id: str) -> Response:
        ctx = _team_of(request, team_id)
        membership = selectors.member_get(team=ctx.team, membership_id=member_id)
        require(ctx, Capability.MANAGE_MEMBERS)
        data = RoleUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_role_change(ctx=ctx, membership=membership, role=data.validated_data["role"])
        return Response({"success": True, "member": MemberSerializer(membership).data})

    @extend_schema(responses={200: SUCCESS}, tags=["teams"], summary="Remove a member")
    def delete(self, request: Request, team_id: str, member_id: str) -> Response:
        ctx = _team_of(request, team_id)
        services.member_remove(ctx=ctx, membership=selectors.member_get(team=ctx.team, membership_id=member_id))
        return Response({"success": True})


# Invitations -----------------------------------------------------------------------------------
class InvitationListApi(APIView):
    @extend_schema(responses={200: InvitationSerializer(many=True)}, tags=["teams"], summary="Pending invitations")
    def get(self, request: Request, team_id: str) -> Response:
        ctx = _team_of(request, team_id)
        require(ctx, Capability.MANAGE_MEMBERS)
        return _paginated(request, self, selectors.invitations_for_team(team=ctx.team), InvitationSerializer)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer}, tags=["teams"])
    def post(self, request: Request, team_id: str) -> Response:
        """Invite by email; the link goes out by email and is never returned here."""
        ctx = _team_of(request, team_id)
        require(ctx, Capability.MANAGE_MEMBERS)
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            ctx=ctx,
            email=data.validated_data["email"],
            role=data.validated_data["role"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(
            {"success": True, "invitation": InvitationSerializer(invitation).data}, status=status.HTTP_201_CREATED
        )


class InvitationDetailApi(APIView):
    @extend_schema(responses={200: SUCCESS}, tags=["teams"], summary="Revoke an invitation")
    def delete(self, request: Request, team_id: str, invitation_id: str) -> Response:
        ctx = _team_of(request, team_id)
        invitation = selectors.invitation_get(team=ctx.team, invitation_id=invitation_id)
        services.invitation_revoke(ctx=ctx, invitation=invitation)
        return Response({"success": True})


class InvitationTokenApi(APIView):
    @extend_schema(responses={200: InvitationPublicSerializer}, tags=["teams"], summary="An invitation, by its token")
    def get(self, request: Request, token: str) -> Response:
        invitation = services.invitation_by_token(token=token)
        return Response({"success": True, "invitation": InvitationPublicSerializer(invitation).data})


@clients_allowed
class InvitationAcceptApi(APIView):
    @extend_schema(request=None, responses={200: TeamSerializer}, tags=["teams"], summary="Accept an invitation")
    def post(self, request: Request, token: str) -> Response:
        membership = services.invitation_accept(token=token, user=_user(request))
        return Response(_team_body(_team_of(request, str(membership.team_id)), request))


class InvitationDeclineApi(APIView):
    @extend_schema(request=None, responses={200: SUCCESS}, tags=["teams"], summary="Decline an invitation")
    def post(self, request: Request, token: str) -> Response:
        services.invitation_decline(token=token, user=_user(request))
        return Response({"success": True})


# Notifications ---------------------------------------------------------------------------------
class NotificationListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread ones"),
            OpenApiParameter("event", OpenApiTypes.STR, description="One event type, e.g. mention"),
        ],
        responses={200: NotificationSerializer(many=True)},
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        rows = notifications_for_user(user=_user(request))
        if request.query_params.get("unread") in ("1", "true", "True"):
            rows = rows.filter(read_at__isnull=True)
        event = request.query_params.get("event")
        if event:
            if event not in Notification.Event.values:
                from core.api.errors import ValidationFailed

                raise ValidationFailed(
                    "Unknown event type.", details={"event": [f"One of {', '.join(Notification.Event.values)}."]}
                )
            rows = rows.filter(event=event)
        return _paginated(request, self, rows, NotificationSerializer)


class NotificationReadApi(APIView):
    @extend_schema(
        request=None, responses={200: NotificationSerializer}, tags=["notifications"], summary="Mark one read"
    )
    def post(self, request: Request, notification_id: str) -> Response:
        notification = notification_get(user=_user(request), notification_id=notification_id)
        notification_mark_read(notification=notification)
        return Response({"success": True, "notification": NotificationSerializer(notification).data})


class NotificationReadAllApi(APIView):
    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "ReadAll", {"success": serializers.BooleanField(), "updated": serializers.IntegerField()}
            )
        },
        tags=["notifications"],
        summary="Mark all read",
    )
    def post(self, request: Request) -> Response:
        return Response({"success": True, "updated": notifications_mark_all_read(user=_user(request))})


class NotificationPreferencesApi(APIView):
    @extend_schema(responses={200: NotificationModesSerializer}, tags=["notifications"], summary="Delivery per event")
    def get(self, request: Request) -> Response:
        return Response({"success": True, "modes": notification_modes(user=_user(request))})

    @extend_schema(
        request=NotificationModesSerializer, responses={200: NotificationModesSerializer}, tags=["notifications"]
    )
    def patch(self, request: Request) -> Response:
        """Set some events to live, digest or off; the others keep their mode."""
        raw = request.data.get("modes") if isinstance(request.data, dict) else None
        if not isinstance(raw, dict):
            from core.api.errors import ValidationFailed

            raise ValidationFailed("Send modes as an object of event: mode.", details={"modes": ["Required."]})
        return Response({"success": True, "modes": notification_modes_set(user=_user(request), modes=raw)})
