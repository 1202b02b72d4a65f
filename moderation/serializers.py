from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.timesince import timesince
from rest_framework import serializers

from moderation.models import CaseStatus, Decision, ModerationCase


class ReasonSerializer(serializers.Serializer):
    check = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.ChoiceField(choices=["info", "flag", "block"])
    span = serializers.ListField(child=serializers.IntegerField(), required=False)


class CheckRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000, trim_whitespace=False)
    platform = serializers.CharField(max_length=20, required=False, allow_blank=True)
    brand_id = serializers.UUIDField(required=False, allow_null=True)
    sponsored = serializers.BooleanField(required=False, default=False)
    submit_for_review = serializers.BooleanField(
        required=False, default=False, help_text="Open a review case when the text is flagged or blocked."
    )

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give some text to check.")
        return value


class CheckResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    decision = serializers.ChoiceField(choices=Decision.choices)
    reasons = ReasonSerializer(many=True)
    scores = serializers.DictField()
    case_id = serializers.CharField(allow_null=True)


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    team_id = serializers.CharField(read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    author_email = serializers.SerializerMethodField()
    claimed_by_email = serializers.SerializerMethodField()
    resolved_by_email = serializers.SerializerMethodField()
    reasons = ReasonSerializer(many=True)
    age = serializers.SerializerMethodField()
    can_appeal = serializers.BooleanField(read_only=True)

    class Meta:
        model = ModerationCase
        fields = [
            "id",
            "team_id",
            "team_name",
            "author_email",
            "subject_type",
            "subject_id",
            "platform",
            "text",
            "decision",
            "reasons",
            "status",
            "claimed_by_email",
            "claimed_at",
            "resolved_by_email",
            "resolved_at",
            "note",
            "appeal_message",
            "appealed_at",
            "can_appeal",
            "age",
            "created_at",
        ]
        read_only_fields = fields

    def _email(self, user: object) -> str | None:
        return getattr(user, "email", None)

    def get_author_email(self, obj: ModerationCase) -> str | None:
        return self._email(obj.author)

    def get_claimed_by_email(self, obj: ModerationCase) -> str | None:
        return self._email(obj.claimed_by)

    def get_resolved_by_email(self, obj: ModerationCase) -> str | None:
        return self._email(obj.resolved_by)

    def get_age(self, obj: ModerationCase) -> str:
        return timesince(obj.created_at, timezone.now())


class CaseResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    case = CaseSerializer()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AppealSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000)


class CaseListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[*CaseStatus.values, "pending"], required=False)
    decision = serializers.ChoiceField(choices=Decision.values, required=False)
    q = serializers.CharField(required=False, max_length=200)


class AuditExportQuerySerializer(serializers.Serializer):
    start = serializers.DateTimeField(required=False, help_text="From (inclusive), ISO 8601.")
    end = serializers.DateTimeField(required=False, help_text="To (exclusive), ISO 8601.")
    file_type = serializers.ChoiceField(choices=["csv", "json"], default="json")

    def validate(self, attrs: dict) -> dict:
        if attrs.get("start") and attrs.get("end") and attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": ["The end must be after the start."]})
        return attrs


class BulkDecisionSerializer(serializers.Serializer):
    case_ids = serializers.ListField(child=serializers.CharField(max_length=64), max_length=100)
    action = serializers.ChoiceField(choices=["approve", "reject"])
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BulkSkippedSerializer(serializers.Serializer):
    id = serializers.CharField()
    message = serializers.CharField()


class BulkDecisionResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    decided = CaseSerializer(many=True)
    skipped = BulkSkippedSerializer(many=True)


class ProtectedTermSerializer(serializers.Serializer):
    term = serializers.CharField(max_length=120)
    owner = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TeamPolicySerializer(serializers.Serializer):
    """The team's own policy; `aiAvailable` says whether `aiEnabled` can matter on this site."""

    blocked_phrases = serializers.ListField(child=serializers.CharField(max_length=200, allow_blank=True))
    flagged_phrases = serializers.ListField(child=serializers.CharField(max_length=200, allow_blank=True))
    protected_terms = ProtectedTermSerializer(many=True)
    strictness = serializers.DictField(
        child=serializers.ChoiceField(choices=["default", "flag", "block", "off"]),
        help_text="Per check (profanity, age, disclosure, trademark, duplicate, guidelines, ai): "
        "default, flag, block or off. Guidelines and ai accept only default or block.",
    )
    ai_enabled = serializers.BooleanField()
    ai_available = serializers.BooleanField(read_only=True)
    min_audience_age = serializers.ChoiceField(choices=[13, 16, 18])


class TeamPolicyUpdateSerializer(TeamPolicySerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # PUT replaces what is given; the rest stays


class TeamPolicyResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    policy = TeamPolicySerializer()
