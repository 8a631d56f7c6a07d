"""The tab bar of an AI system's pages, built in Python so every app's per-system page shares it.

Apps add a page to a system by giving it one of the URL names below (args: the system's pk) and
extending `registry/system_base.html`; until the URL name exists the tab is hidden. Views get the
header and tabs by mixing in `registry.views.SystemTabMixin` (see its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (key, label, URL name). The order is the order on screen.
SYSTEM_TABS = (
    ("overview", _("Overview"), "registry:system_detail"),
    ("parties", _("Parties"), "registry:system_parties"),
    ("data", _("Data"), "registry:system_data"),
    ("risk", _("Risk"), "risk:system_risk"),
    ("documents", _("Documents"), "documents:system_documents"),
    ("audits", _("Audits"), "audit:system_audits"),
    ("public", _("Public side"), "registry:system_public"),
    ("history", _("History"), "registry:system_history"),
)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str
    active: bool


def system_tabs(system, active: str = "") -> list[Tab]:
    """The tabs of `system` whose pages exist, with `active` marked."""
    tabs = []
    for key, label, url_name in SYSTEM_TABS:
        try:
            url = reverse(url_name, args=[system.pk])
        except NoReverseMatch:
            continue  # the capability that fills this tab is not installed yet
        tabs.append(Tab(key=key, label=str(label), url=url, active=key == active))
    return tabs
