from rest_framework import serializers

from kzai.deadlines.models import Deadline, Notification


class DeadlineSerializer(serializers.ModelSerializer):
    source_type = serializers.SerializerMethodField(
        help_text="app_label.model of the object owing the deadline"
    )

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "title",
            "due_on",
            "responsible",
            "system",
            "source_type",
            "object_id",
            "url",
            "completed_at",
            "withdrawn_at",
        ]
        read_only_fields = fields

    def get_source_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "deadline",
            "period_on",
            "threshold",
            "subject",
            "body",
            "url",
            "created_at",
            "send_email",
            "email_sent_at",
            "read_at",
        ]
        read_only_fields = fields
