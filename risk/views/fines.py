"""The organization's fines exposure under Art. 641-1: totals by violation and the exposed systems."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from kzai.core.views import TenantMixin
from registry.models import AISystem
from risk import selectors
from risk.fines import schedule
from risk.fines.selectors import exposed_obligations, organization_exposure, systems_exposure


class FinesExposureView(TenantMixin, TemplateView):
    """What the organization risks if inspected today, with each exposed system, a page at a time."""

    template_name = "risk/fines_exposure.html"
    model = AISystem

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        violation = self.request.GET.get("violation", "")
        violations = {v.id: v for v in schedule().violations}
        exposed = exposed_obligations(self.membership)
        if violation in violations:
            exposed = exposed.filter(code__in=violations[violation].requirements)
        else:
            violation = ""
        systems = selectors.systems_for(self.membership).filter(pk__in=exposed.values("system_id"))
        page = Paginator(systems.order_by("name", "id"), 50).get_page(self.request.GET.get("page"))
        by_system = systems_exposure(self.membership, page.object_list)
        context.update(
            exposure=organization_exposure(self.membership),
            page_obj=page,
            rows=[(system, by_system[system.pk]) for system in page.object_list],
            violations=list(violations.values()),
            violation=violation,
        )
        return context
