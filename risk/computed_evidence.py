"""Evidence other apps compute for an obligation, shown beside the evidence people link.

Some duties leave a trace the portal counts itself (labels of synthetic results signed through it,
for KZ-AI-TR-02). An app registers a provider for a requirement code in its `AppConfig.ready()`;
the obligation page asks the providers of its code, so this app imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ComputedEvidence:
    title: str  # translated
    value: str  # what was counted, already worded for the reader
    url: str = ""


# provider(membership, obligation) -> list of ComputedEvidence, read through restrict().
Provider = Callable[[object, object], list[ComputedEvidence]]
_providers: dict[str, list[Provider]] = {}


def register_computed_evidence(code: str, provider: Provider) -> None:
    """Show what `provider` computes on every obligation of requirement `code`."""
    if provider not in _providers.setdefault(code, []):
        _providers[code].append(provider)


def computed_evidence_for(membership, obligation) -> list[ComputedEvidence]:
    return [
        item for provider in _providers.get(obligation.code, []) for item in provider(membership, obligation)
    ]
