"""The Risk tab of a system's pages: every per-system risk page sits in the registry's tab frame
(`registry/system_base.html`, through `SystemTabMixin`) with one sub-navigation —
"Classification & obligations | Risk register | Annual reviews" — so an officer finds everything
about one system's risk in one place, whichever capability built the page."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registry.views import SystemTabMixin

# (key, label, URL name taking the system's pk). The order is the order on screen.
RISK_SECTIONS = (
    ("classification", _("Classification & obligations"), "risk:system_risk"),
    ("register", _("Risk register"), "risk:register_system"),
    ("reviews", _("Annual reviews"), "risk:system_reviews"),
)


class RiskTabMixin(SystemTabMixin):
    """A page under a system's Risk tab. The system comes from the URL (`pk` or `system_pk`,
    read through `restrict`, see `SystemTabMixin`); `risk_section` marks the sub-navigation."""

    active_tab = "risk"
    risk_section = "classification"

    def get_system(self):
        return self.system

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["risk_sections"] = [
            {
                "key": key,
                "label": label,
                "url": reverse(url_name, args=[self.system.pk]),
                "active": key == self.risk_section,
            }
            for key, label, url_name in RISK_SECTIONS
        ]
        context["risk_section"] = self.risk_section
        return context


class ObjectRiskTabMixin(RiskTabMixin):
    """A page about one object of a system (a classification, a risk, a review…): the tab frame
    shows the object's system. `get_tab_object()` must read the object through `restrict`, so an
    object of another tenant (or of a system not granted to an auditor) is a 404 before any frame."""

    def get_tab_object(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_tab_object().")

    @cached_property
    def system(self):
        return self.get_tab_object().system
