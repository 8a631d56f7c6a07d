"""Reads of the documents app: document lists, a system's documentation list, the gaps."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from documents.catalogue.loader import Item, catalogue
from documents.choices import DocumentState, ItemState
from documents.models import Document, DocumentVersion
from kzai.core.roles import Action
from registry.models import AISystem
from risk.library.facts import system_facts


def document_list(membership, action: str = Action.VIEW):
    """The documents a membership may see, with what a list shows, in one query per relation."""
    return (
        Document.objects.restrict(membership, action)
        .select_related("approved_version", "approved_by__user", "passport_of")
        .prefetch_related(
            Prefetch("systems", queryset=AISystem.objects.only("id", "name", "code", "organization_id"))
        )
    )


def document_versions(document):
    return document.versions.select_related("author__user").order_by("-number")


def version_list(membership, action: str = Action.VIEW):
    return DocumentVersion.objects.restrict(membership, action).select_related("document", "author__user")


@dataclass
class ItemStatus:
    """One documentation item of one system: required or not, its state and the documents."""

    item: Item
    required: bool
    state: str
    documents: list = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return ItemState(self.state).label

    @property
    def is_gap(self) -> bool:
        return self.required and self.state != ItemState.APPROVED


# A better state wins when several documents cover the same item.
_RANK = {ItemState.MISSING: 0, ItemState.EXPIRED: 1, ItemState.DRAFT: 2, ItemState.APPROVED: 3}


def _document_item_state(document) -> str | None:
    state = document.effective_state
    if state == DocumentState.APPROVED:
        return ItemState.APPROVED
    if state == DocumentState.EXPIRED:
        return ItemState.EXPIRED
    if state == DocumentState.DRAFT:
        return ItemState.DRAFT
    return None  # superseded documents meet nothing


def documentation_status(system, documents) -> list[ItemStatus]:
    """The documentation list of `system`, given the documents (already read) that cover it.

    Every catalogue item is listed: required when its rule holds for the system's facts, optional
    otherwise; the state is the best among the covering documents (approved and unexpired meets).
    """
    facts = system_facts(system)
    rows = []
    for item in catalogue().items.values():
        row = ItemStatus(item=item, required=item.required_for(facts), state=ItemState.MISSING)
        for document in documents:
            if item.key not in (document.items or []):
                continue
            state = _document_item_state(document)
            if state is None:
                continue
            row.documents.append(document)
            if _RANK[state] > _RANK[row.state]:
                row.state = state
        rows.append(row)
    return rows


def system_documentation(membership, system) -> list[ItemStatus]:
    documents = list(document_list(membership).filter(systems=system))
    return documentation_status(system, documents)


@dataclass
class SystemGaps:
    system: AISystem
    gaps: list[ItemStatus]
    required: int

    @property
    def met(self) -> int:
        return self.required - len(self.gaps)


def organization_gaps(membership) -> list[SystemGaps]:
    """For each active system the membership sees: its required items not met (two queries)."""
    systems = list(AISystem.objects.restrict(membership, Action.VIEW).active().order_by("name", "id"))
    by_system: dict[int, list] = {s.pk: [] for s in systems}
    documents = (
        Document.objects.restrict(membership, Action.VIEW)
        .filter(systems__in=systems)
        .exclude(state=DocumentState.SUPERSEDED)
        .prefetch_related(Prefetch("systems", queryset=AISystem.objects.only("id")))
    )
    for document in documents.distinct():
        for system in document.systems.all():
            if system.pk in by_system:
                by_system[system.pk].append(document)
    result = []
    for system in systems:
        rows = documentation_status(system, by_system[system.pk])
        required = [row for row in rows if row.required]
        result.append(
            SystemGaps(system=system, gaps=[row for row in required if row.is_gap], required=len(required))
        )
    return result


def evidence_targets(document) -> list[dict]:
    """What `document` is evidence for: each link with its target object (one query per kind)."""
    links = list(document.evidence_links.select_related("target_type"))
    by_type: dict = {}
    for link in links:
        by_type.setdefault(link.target_type, []).append(link.target_id)
    objects = {}
    for content_type, ids in by_type.items():
        model = content_type.model_class()
        for obj in model._base_manager.filter(pk__in=ids, organization_id=document.organization_id):
            objects[(content_type.pk, obj.pk)] = obj
    return [
        {"link": link, "target": objects.get((link.target_type_id, link.target_id)), "kind": link.target_type}
        for link in links
    ]


def passport_versions(membership, system):
    """The system's rendered passports, newest first (visible like any document of the system)."""
    return version_list(membership).filter(document__passport_of=system).order_by("-number")
