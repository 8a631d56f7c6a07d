"""Export of the filtered register: CSV streamed row by row, XLSX built while the person waits up to
`KZAI_EXPORT_BACKGROUND_ROWS` rows; a larger XLSX is prepared by a background job (`registry.jobs`)
whose page shows its progress, then a download link only its creator can follow."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from kzai.core import spreadsheets
from kzai.core.roles import Action
from kzai.core.views import TenantMixin
from kzai.jobs.choices import JobStatus
from kzai.jobs.models import Job
from kzai.jobs.services import job_start
from registry import selectors, transfer
from registry.filtersets import AISystemFilterSet
from registry.jobs import EXPORT_SYSTEMS
from registry.models import AISystem


class SystemExportView(TenantMixin, View):
    """GET: every system of the filtered list (not just the page on screen) as CSV or XLSX, or, for
    an XLSX larger than the limit, a page offering to prepare it in the background. POST: start that
    background export of the same filtered list."""

    model = AISystem
    required_action = Action.VIEW  # an export is a read, whoever may read the list may export it

    def _queryset(self, request):
        filterset = AISystemFilterSet(
            request.GET, queryset=selectors.system_list(membership=self.membership), request=request
        )
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        if not request.GET.get("ordering"):
            queryset = queryset.order_by("name", "id")
        return queryset

    def get(self, request):
        queryset = self._queryset(request)
        fmt = request.GET.get("format", "csv")
        if fmt == "xlsx":
            rows = queryset.count()
            if rows > settings.KZAI_EXPORT_BACKGROUND_ROWS:
                return render(
                    request,
                    "registry/system_export_large.html",
                    {
                        "rows": rows,
                        "limit": settings.KZAI_EXPORT_BACKGROUND_ROWS,
                        "query": request.GET.urlencode(),
                    },
                )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return spreadsheets.export_response(
            fmt,
            filename=f"ai-systems-{stamp}",
            sheets=[spreadsheets.Sheet("AI systems", transfer.export_rows(queryset))],
        )

    def post(self, request):
        query = request.GET.copy()
        query["format"] = "xlsx"
        job = job_start(membership=self.membership, kind=EXPORT_SYSTEMS, params={"query": query.urlencode()})
        return HttpResponseRedirect(reverse("jobs:job_detail", args=[job.pk]))


class ExportJobMixin(TenantMixin):
    """A background export is a finished job of the member who started it: only they may read it,
    in this organization, while their role allows exports (`Job.objects.restrict`)."""

    model = AISystem

    @cached_property
    def job(self):
        queryset = Job.objects.restrict(self.membership, Action.VIEW).filter(
            kind=EXPORT_SYSTEMS, status=JobStatus.SUCCEEDED
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


class SystemExportDetailView(ExportJobMixin, TemplateView):
    template_name = "registry/system_export_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            job=self.job, export=self.job.result, hours=settings.KZAI_EXPORT_FILE_HOURS, **kwargs
        )


class SystemExportDownloadView(ExportJobMixin, View):
    """The XLSX file itself, from private storage."""

    def get(self, request, pk):
        path = self.job.result.get("path")
        if not path or not default_storage.exists(path):
            raise Http404
        return FileResponse(
            default_storage.open(path, "rb"),
            as_attachment=True,
            filename=self.job.result["filename"],
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )
