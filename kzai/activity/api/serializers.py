from rest_framework import serializers

from kzai.activity.models import ActivityRecord


class ActivityRecordSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = ActivityRecord
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_label",
            "source",
            "request_id",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
        ]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"
