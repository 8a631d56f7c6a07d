"""The tab bar of an AI system's pages, built in Python so every app's per-system page shares it.

The register owns the frame and its own tabs (Overview, Parties, Data, History); every other app
adds its tab by calling `register_system_tab(key, label, url_name, order=…)` in its
`AppConfig.ready()`. The URL name takes the system's pk and its page extends
`registry/system_base.html`; views get the header and tabs by mixing in
`registry.views.SystemTabMixin` (see its docstring).

Apps also offer the next step with a system (`register_system_next_step`): the risk app offers
"Classify it now" while a system has never been classified, shown on the system's overview tab, so
the register never links to another app's pages itself.
"""

from __future__ import annotations

from collections.abc import Callable
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


# -- next steps ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SystemNextStep:
    """What to do next with a system, offered by the app that does it (e.g. "Classify it now")."""

    key: str
    label: str  # lazy translations
    explanation: str
    url_name: str  # takes the system's pk
    action: str  # the role action the step needs (kzai.core.roles.Action)
    applies: Callable[[object], bool]  # applies(system): whether the step is due now
    order: int


@dataclass(frozen=True)
class NextStep:
    key: str
    label: str
    explanation: str
    url: str


_next_steps: dict[str, SystemNextStep] = {}


def register_system_next_step(
    key: str, label, url_name: str, *, explanation, action: str, applies: Callable[[object], bool], order: int
) -> None:
    """Offer a next step on a system's overview tab while `applies(system)` holds."""
    _next_steps[key] = SystemNextStep(
        key=key,
        label=label,
        explanation=explanation,
        url_name=url_name,
        action=action,
        applies=applies,
        order=order,
    )


def system_next_steps(system, membership) -> list[NextStep]:
    """The steps due for `system` that the member's role allows, in order (none once archived)."""
    if system.is_archived:
        return []
    return [
        NextStep(
            key=step.key,
            label=str(step.label),
            explanation=str(step.explanation),
            url=reverse(step.url_name, args=[system.pk]),
        )
        for step in sorted(_next_steps.values(), key=lambda step: (step.order, step.key))
        if membership.allows(step.action) and step.applies(system)
    ]
