import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from kzai.activity.chain import chain_verify
from kzai.activity.filtersets import ActivityRecordFilterSet
from kzai.activity.models import ActivityRecord
from kzai.activity.selectors import activity_with_labels
from kzai.core.views import TenantMixin

EXPORT_LIMIT = 50_000  # rows in one JSON export; narrow the filters for more


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
        if request.GET.get("export") == "json":
            return self.export_json()
        return super().get(request, *args, **kwargs)

    def export_json(self):
        from kzai.activity.api.serializers import ActivityRecordSerializer

        records = self.filterset().qs[:EXPORT_LIMIT]
        body = json.dumps(ActivityRecordSerializer(records, many=True).data, ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="activity-{stamp}.json"'
        return response

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
