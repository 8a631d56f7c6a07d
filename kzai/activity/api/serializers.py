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
            "system_id",
            "sequence",
            "previous_hash",
            "record_hash",
        ]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class ChainReportSerializer(serializers.Serializer):
    intact = serializers.BooleanField()
    checked = serializers.IntegerField(help_text="Records verified before the chain ends or breaks.")
    broken_at = serializers.IntegerField(allow_null=True, help_text="Sequence number where it breaks.")
    record_id = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
