from kzai.core.api.viewsets import TenantReadOnlyViewSet
from kzai.jobs.api.serializers import JobDetailSerializer, JobSerializer
from kzai.jobs.models import Job


class JobViewSet(TenantReadOnlyViewSet):
    """The caller's own background jobs in this organization (imports, renders, exports).

    Poll a job's `url` until `finished` is true; `status` is then `succeeded` (see `result`) or
    `failed` (see `error`). Other members' jobs are not found (404).
    """

    queryset = Job.objects.all()
    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.restrict(self.membership, "view")

    def get_serializer_class(self):
        return JobDetailSerializer if self.action == "retrieve" else JobSerializer
