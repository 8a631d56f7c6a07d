from itertools import islice

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kzai.activity.chain import chain_verify
from kzai.activity.filtersets import ActivityRecordFilterSet
from kzai.activity.models import ActivityRecord
from kzai.activity.selectors import activity_rows, activity_with_labels
from kzai.core.spreadsheets import EXPORT_FORMATS, Sheet, export_response, json_stream, mark_export
from kzai.core.views import TenantMixin

EXPORT_LIMIT = 50_000  # rows in one JSON export; narrow the filters for more
EXPORT_CHUNK = 500


class ActivityListView(TenantMixin, TemplateView):
    """The organization's activity log, newest first, filterable, exportable as JSON."""

    template_name = "activity/activity_list.html"
    model = ActivityRecord

    def filterset(self):
        return ActivityRecordFilterSet(
            self.request.GET,
            queryset=self.get_queryset().select_related("content_type"),
            request=self.request,
        )

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export == "json":
            return self.export_json()
        if export in EXPORT_FORMATS:
            return self.export_spreadsheet(export)
        return super().get(request, *args, **kwargs)

    def _filename(self) -> str:
        return f"activity-{timezone.localtime():%Y%m%d-%H%M}"

    def export_json(self):
        from kzai.activity.api.serializers import ActivityRecordSerializer

        records = self.filterset().qs[:EXPORT_LIMIT].iterator(chunk_size=EXPORT_CHUNK)
        # Streamed a chunk of records at a time: the whole log as one list of dicts and one string
        # was 330 MB for 20,000 records.
        items = (
            item
            for chunk in iter(lambda: list(islice(records, EXPORT_CHUNK)), [])
            for item in ActivityRecordSerializer(chunk, many=True).data
        )
        response = StreamingHttpResponse(json_stream(items), content_type="application/json; charset=utf-8")
        filename = f"{self._filename()}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return mark_export(response, fmt="json", filename=filename)

    def export_spreadsheet(self, fmt: str):
        """The filtered log as CSV (or XLSX) through the one exporter, with the same filters."""
        records = self.filterset().qs[:EXPORT_LIMIT]
        return export_response(
            fmt,
            filename=self._filename(),
            sheets=[Sheet(title=_("Activity log"), rows=activity_rows(records))],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset()
        context["filter"] = filterset
        page = Paginator(filterset.qs, 50).get_page(self.request.GET.get("page"))
        page.object_list = activity_with_labels(page.object_list, membership=self.membership)
        context["page_obj"] = page
        return context


class ActivityChainView(TenantMixin, TemplateView):
    """Verifies the organization's hash chain now and says whether, and where, it breaks."""

    template_name = "activity/activity_chain.html"
    model = ActivityRecord

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = chain_verify(self.membership.organization_id)
        context["checked_at"] = timezone.now()
        return context
