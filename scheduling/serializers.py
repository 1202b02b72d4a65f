from __future__ import annotations

from rest_framework import serializers

from scheduling.models import QueueSlot, RecurringSchedule, ScheduledPost, ScheduleStatus


class ScheduledPostSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    post_id = serializers.CharField(read_only=True)
    social_account_id = serializers.CharField(read_only=True, allow_null=True)
    account_name = serializers.CharField(source="social_account.account_name", read_only=True, default="")
    title = serializers.SerializerMethodField()
    recurrence_id = serializers.CharField(read_only=True, allow_null=True)
    publish_result_id = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = ScheduledPost
        fields = [
            "id",
            "post_id",
            "social_account_id",
            "account_name",
            "platform",
            "title",
            "scheduled_at",
            "timezone",
            "status",
            "attempts",
            "last_error",
            "in_queue",
            "recurrence_id",
            "is_exception",
            "publish_result_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_title(self, obj: ScheduledPost) -> str:
        return (obj.post.title or obj.post.content)[:80]


class ScheduleRequestSerializer(serializers.Serializer):
    """The spec's body: {postId, scheduledAt, platforms}; platforms may name platforms or account ids."""

    post_id = serializers.CharField()
    scheduled_at = serializers.CharField(help_text="ISO 8601; without an offset it is wall-clock time in `timezone`.")
    platforms = serializers.ListField(child=serializers.CharField(max_length=64), allow_empty=False, max_length=50)
    timezone = serializers.CharField(required=False, max_length=64)


class ScheduleResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    scheduled_post = ScheduledPostSerializer()
    scheduled_posts = ScheduledPostSerializer(many=True)


class RescheduleSerializer(serializers.Serializer):
    scheduled_at = serializers.CharField()
    timezone = serializers.CharField(required=False, max_length=64)


class StatusFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ScheduleStatus.values, required=False)


class RecurringScheduleSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    post_id = serializers.CharField(read_only=True)
    social_account_id = serializers.CharField(read_only=True)

    class Meta:
        model = RecurringSchedule
        fields = [
            "id",
            "post_id",
            "social_account_id",
            "rrule",
            "start_date",
            "start_time",
            "timezone",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields


class RecurringCreateSerializer(serializers.Serializer):
    post_id = serializers.CharField()
    account_ids = serializers.ListField(child=serializers.CharField(), allow_empty=False, max_length=20)
    rrule = serializers.CharField(max_length=500)
    start_local = serializers.DateTimeField(help_text="First occurrence, wall-clock time in `timezone`.")
    timezone = serializers.CharField(max_length=64)


class RecurringUpdateSerializer(serializers.Serializer):
    rrule = serializers.CharField(max_length=500, required=False)
    start_local = serializers.DateTimeField(required=False)
    timezone = serializers.CharField(max_length=64, required=False)


class QueueSlotSerializer(serializers.ModelSerializer):
    time = serializers.TimeField(format="%H:%M")

    class Meta:
        model = QueueSlot
        fields = ["weekday", "time"]


class QueueSlotsSerializer(serializers.Serializer):
    slots = QueueSlotSerializer(many=True)


class QueueAddSerializer(serializers.Serializer):
    post_id = serializers.CharField()
    account_ids = serializers.ListField(child=serializers.CharField(), allow_empty=False, max_length=50)


class QueueReorderSerializer(serializers.Serializer):
    scheduled_post_ids = serializers.ListField(child=serializers.CharField(), allow_empty=False)


class BestTimeSerializer(serializers.Serializer):
    weekday = serializers.IntegerField()
    hour = serializers.IntegerField()
    score = serializers.FloatField()
    confidence = serializers.FloatField()
    reason = serializers.CharField()
