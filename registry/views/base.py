"""The frame of a system's pages (header and tabs), reusable by other apps' per-system pages."""

from functools import cached_property

from django.shortcuts import get_object_or_404

from kzai.core.roles import Action
from kzai.core.views import TenantMixin
from registry.models import AISystem
from registry.tabs import system_tabs


class SystemTabMixin(TenantMixin):
    """For any page of one AI system: loads `self.system` and puts the header and tab bar in context.

    Usage (another app's page, e.g. the risk tab)::

        class SystemRiskView(SystemTabMixin, TemplateView):
            template_name = "risk/system_risk.html"   # {% extends "registry/system_base.html" %}
            active_tab = "risk"

    The system's pk comes from the URL kwarg `system_url_kwarg` ("pk" by default, or "system_pk").
    It is read through `AISystem.objects.restrict(membership, view)`: another organization's system,
    or one not granted to an auditor, is a 404; the role check (`required_action`, else the HTTP
    method) is `TenantMixin`'s (403). Context: `system`, `tabs`, `active_tab`.
    """

    active_tab = "overview"
    system_url_kwarg = "pk"

    @cached_property
    def system(self) -> AISystem:
        kwarg = self.system_url_kwarg if self.system_url_kwarg in self.kwargs else "system_pk"
        queryset = AISystem.objects.restrict(self.membership, Action.VIEW).select_related(
            "responsible_officer__user", "technical_owner__user"
        )
        return get_object_or_404(queryset, pk=self.kwargs[kwarg])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["system"] = self.system
        context["tabs"] = system_tabs(self.system, self.active_tab)
        context["active_tab"] = self.active_tab
        context["can_change"] = self.membership.allows(Action.CHANGE)
        context["can_archive"] = self.membership.allows(Action.DELETE)
        return context
