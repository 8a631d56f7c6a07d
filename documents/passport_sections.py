"""Sections other apps add to the technical passport.

The documents app sits below the apps that build on it (the audit app imports documents, never
the other way round), so an app that has something to say in the passport registers a section in
its `AppConfig.ready()`: `register_passport_section(key, title, render, order=…)`. `render(system=,
membership=)` returns the section's HTML (rendered from the app's own template, read as
`membership` through the tenant-scoped path like the rest of the passport); the passport numbers
the sections after its own and lists them in its contents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PassportSection:
    key: str
    title: Any  # lazy translation, rendered in the passport's language
    render: Callable[..., str]
    order: int


_sections: dict[str, PassportSection] = {}


def register_passport_section(key: str, title, render: Callable[..., str], *, order: int) -> None:
    """Add (or replace, by key) a section of the technical passport; sections show by `order`."""
    _sections[key] = PassportSection(key=key, title=title, render=render, order=order)


def registered_passport_sections() -> list[PassportSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def passport_sections(*, system, membership, first_number: int) -> list[dict]:
    """The registered sections of `system`'s passport, numbered from `first_number`."""
    return [
        {
            "key": section.key,
            "number": number,
            "title": str(section.title),
            "html": section.render(system=system, membership=membership),
        }
        for number, section in enumerate(registered_passport_sections(), start=first_number)
    ]
