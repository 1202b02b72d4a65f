"""API shapes of activity lines and member references (snake_case here, camelCase on the wire)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from teams.models import ActivityEvent


class MemberRefSerializer(serializers.Serializer):
    id = serializers.CharField()
    email = serializers.EmailField()
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return str(user.get_short_name())


def member_ref(user: Any) -> dict[str, Any] | None:
    return MemberRefSerializer(user).data if user is not None else None  # type: ignore[return-value]


class ActivityEventSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    actor = serializers.SerializerMethodField()
    summary = serializers.CharField(source="localized_summary", read_only=True)

    class Meta:
        model = ActivityEvent
        fields = ["id", "verb", "summary", "actor", "target_type", "target_id", "data", "created_at"]

    def get_actor(self, event: ActivityEvent) -> dict[str, Any] | None:
        return member_ref(event.actor)
