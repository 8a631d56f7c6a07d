from django.core.paginator import Paginator
from django.views.generic import TemplateView

from kzai.activity.filtersets import ActivityRecordFilterSet
from kzai.activity.models import ActivityRecord
from kzai.activity.selectors import activity_with_labels
from kzai.core.views import TenantMixin


class ActivityListView(TenantMixin, TemplateView):
    """The organization's activity log, newest first, filterable."""

    template_name = "activity/activity_list.html"
    model = ActivityRecord

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ActivityRecordFilterSet(
            self.request.GET,
            queryset=self.get_queryset().select_related("content_type"),
            request=self.request,
        )
        context["filter"] = filterset
        page = Paginator(filterset.qs, 50).get_page(self.request.GET.get("page"))
        page.object_list = activity_with_labels(page.object_list, membership=self.membership)
        context["page_obj"] = page
        return context
