"""The tab bar of an AI system's pages, built in Python so every app's per-system page shares it.

The register owns the frame and its own tabs (Overview, Parties, Data, History); every other app
adds its tab by calling `register_system_tab(key, label, url_name, order=…)` in its
`AppConfig.ready()`. The URL name takes the system's pk and its page extends
`registry/system_base.html`; views get the header and tabs by mixing in
`registry.views.SystemTabMixin` (see its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class SystemTab:
    key: str
    label: str  # lazy translation, rendered in the reader's language
    url_name: str
    order: int


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str
    active: bool


_tabs: dict[str, SystemTab] = {}


def register_system_tab(key: str, label, url_name: str, *, order: int) -> None:
    """Add (or replace, by key) a tab of the system page; tabs show in ascending `order`."""
    _tabs[key] = SystemTab(key=key, label=label, url_name=url_name, order=order)


def registered_tabs() -> list[SystemTab]:
    return sorted(_tabs.values(), key=lambda tab: (tab.order, tab.key))


def system_tabs(system, active: str = "") -> list[Tab]:
    """The registered tabs of `system`, in order, with `active` marked."""
    return [
        Tab(
            key=tab.key,
            label=str(tab.label),
            url=reverse(tab.url_name, args=[system.pk]),
            active=tab.key == active,
        )
        for tab in registered_tabs()
    ]
