from django.core.paginator import Paginator
from django.views.generic import TemplateView

from kzai.core.views import TenantMixin
from registry.models import AISystem


class SystemListView(TenantMixin, TemplateView):
    """The register of AI systems."""

    template_name = "registry/system_list.html"
    model = AISystem

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        systems = self.get_queryset().active().order_by("name")
        context["page_obj"] = Paginator(systems, 50).get_page(self.request.GET.get("page"))
        return context
