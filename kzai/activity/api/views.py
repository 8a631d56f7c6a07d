from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from kzai.activity.api.serializers import ActivityRecordSerializer, ChainReportSerializer
from kzai.activity.chain import chain_verify
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

    @extend_schema(responses=ChainReportSerializer)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def chain(self, request):
        """Verify the organization's hash chain now: intact, or the first record where it breaks."""
        return Response(ChainReportSerializer(chain_verify(self.membership.organization_id)).data)
