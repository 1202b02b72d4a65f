"""Shapes of /api/teams/, invitations, brand assets and notifications (camelCase on the wire)."""

from __future__ import annotations

from rest_framework import serializers

from teams.membership_services import INVITABLE_ROLES
from teams.models import Invitation, Membership, Notification
from teams.notification_preferences import MODES


class TeamSerializer(serializers.Serializer):
    """A team as seen by one member (built from their membership, so the role comes along)."""

    id = serializers.CharField(source="team.pk")
    name = serializers.CharField(source="team.name")
    is_personal = serializers.BooleanField(source="team.is_personal")
    timezone = serializers.CharField(source="team.timezone")
    requires_approval = serializers.BooleanField(source="team.requires_approval")
    owner_id = serializers.CharField(source="team.owner_id")
    role = serializers.CharField()
    member_count = serializers.IntegerField(required=False)
    is_current = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="team.created_at")

    def get_is_current(self, membership: Membership) -> bool:
        current = self.context.get("current_team_id")
        return bool(current) and str(current) == str(membership.team_id)


class TeamCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    timezone = serializers.CharField(max_length=64, required=False, default="UTC")


class TeamUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    timezone = serializers.CharField(max_length=64, required=False)
    requires_approval = serializers.BooleanField(required=False)


class MemberSerializer(serializers.Serializer):
    id = serializers.CharField(source="pk")
    user_id = serializers.CharField()
    email = serializers.EmailField(source="user.email")
    name = serializers.SerializerMethodField()
    role = serializers.CharField()
    joined_at = serializers.DateTimeField(source="created_at")

    def get_name(self, membership: Membership) -> str:
        return membership.user.get_full_name()


class RoleUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=INVITABLE_ROLES)


class TransferSerializer(serializers.Serializer):
    member_id = serializers.CharField()


class InvitationSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    team_id = serializers.CharField(read_only=True)
    invited_by = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "team_id", "email", "role", "status", "expires_at", "expired", "invited_by", "created_at"]

    def get_invited_by(self, invitation: Invitation) -> str | None:
        return invitation.invited_by.email if invitation.invited_by else None

    def get_expired(self, invitation: Invitation) -> bool:
        from django.utils import timezone

        return invitation.expires_at <= timezone.now()


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=INVITABLE_ROLES)


class InvitationPublicSerializer(serializers.Serializer):
    """What the invitee sees before answering: the team's name, not its contents."""

    team_name = serializers.CharField(source="team.name")
    email = serializers.EmailField()
    role = serializers.CharField()
    status = serializers.CharField()
    expires_at = serializers.DateTimeField()


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    team_id = serializers.CharField(read_only=True, allow_null=True)
    # in the caller's language, from the stored key (the English text for rows without one)
    title = serializers.CharField(source="localized_title", read_only=True)
    body = serializers.CharField(source="localized_body", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "team_id", "kind", "event", "title", "body", "url", "read_at", "created_at"]


class NotificationModesSerializer(serializers.Serializer):
    modes = serializers.DictField(child=serializers.ChoiceField(choices=MODES))
