from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from kzai.jobs.models import Job


class JobProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class JobSerializer(serializers.ModelSerializer):
    """A job as the list shows it: what it is, how far it got, how it ended."""

    kind_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="This resource, to poll until `finished` is true.")
    result_page = serializers.SerializerMethodField(help_text="The page that shows the result (web UI).")
    finished = serializers.BooleanField(source="is_finished", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "finished",
            "progress",
            "error",
            "input_name",
            "url",
            "result_page",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(JobProgressSerializer)
    def get_progress(self, obj) -> dict:
        done, total = obj.live_progress()
        return {"done": done, "total": total, "percent": obj.percent}

    def get_url(self, obj) -> str:
        return reverse("job-detail", args=[obj.pk], request=self.context.get("request"))

    def get_result_page(self, obj) -> str:
        return obj.result_url()


class JobDetailSerializer(JobSerializer):
    """A job with its result (the kind decides its shape; e.g. an import's rows and their errors)."""

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "result"]
        read_only_fields = fields
