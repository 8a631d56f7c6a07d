from kzai.activity.api.serializers import ActivityRecordSerializer
from kzai.activity.filtersets import ActivityRecordFilterSet
from kzai.activity.models import ActivityRecord
from kzai.core.api.viewsets import TenantReadOnlyViewSet


class ActivityRecordViewSet(TenantReadOnlyViewSet):
    """The activity log: who changed what and when, with before/after values. Read-only."""

    queryset = ActivityRecord.objects.select_related("content_type")
    serializer_class = ActivityRecordSerializer
    filterset_class = ActivityRecordFilterSet
    ordering_fields = ["timestamp"]
    search_fields = ["object_repr", "actor_label"]
