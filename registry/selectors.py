"""Reads of the register with the joins their pages and endpoints need (bounded query counts)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from kzai.core.roles import Action
from registry.models import (
    AISystem,
    DataLibrary,
    DataLibraryUse,
    Party,
    SystemComponent,
    SystemPartyLink,
    Tag,
)


def system_list(*, membership, action: str = Action.VIEW) -> QuerySet[AISystem]:
    """Systems the membership may see, with everything a list row shows, in a fixed number of queries.

    Parties and tags are prefetched (one query each, whatever the page size or the number of
    parties per system); members are joined.
    """
    return (
        AISystem.objects.restrict(membership, action)
        .select_related("responsible_officer__user", "technical_owner__user")
        .prefetch_related(
            "tags",
            Prefetch(
                "party_links",
                queryset=SystemPartyLink.objects.select_related("party").order_by(
                    "role", "party__name", "id"
                ),
            ),
        )
    )


def system_list_tags(system_ids: list[int]) -> dict[int, list[str]]:
    """Tag names of each of these systems, sorted (one query; for the lean API list)."""
    names: dict[int, list[str]] = {pk: [] for pk in system_ids}
    links = AISystem.tags.through.objects.filter(aisystem_id__in=system_ids)
    for system_id, name in links.values_list("aisystem_id", "tag__name"):
        names[system_id].append(name)
    for tags in names.values():
        tags.sort()
    return names


# What the API's list shows of a system's parties, in `system_list`'s order of them.
PARTY_SUMMARY_COLUMNS = ("system_id", "id", "party_id", "party__name", "role", "contract_expires_on")


def system_list_parties(system_ids: list[int]) -> dict[int, list[dict]]:
    """The party links of each of these systems as column values (one query; for the lean API list)."""
    links: dict[int, list[dict]] = {pk: [] for pk in system_ids}
    rows = (
        SystemPartyLink.objects.filter(system_id__in=system_ids)
        .order_by("role", "party__name", "id")
        .values(*PARTY_SUMMARY_COLUMNS)
    )
    for row in rows:
        links[row["system_id"]].append(row)
    return links


def system_options(*, membership, term: str, limit: int) -> list[AISystem]:
    """Up to `limit` systems the membership may see whose name or code contains `term`, for the
    search-backed selectors (`kzai.core.widgets`): in name order, archived ones included (a filter
    accepts them too). On PostgreSQL the trigram indexes on name and code serve the search."""
    systems = AISystem.objects.restrict(membership, Action.VIEW)
    term = term.strip()
    if term:
        systems = systems.filter(Q(name__icontains=term) | Q(code__icontains=term))
    return list(systems.only("pk", "name", "code", "archived_at").order_by("name", "id")[:limit])


def system_detail(*, membership, action: str = Action.VIEW) -> QuerySet[AISystem]:
    return AISystem.objects.restrict(membership, action).select_related(
        "responsible_officer__user", "technical_owner__user"
    )


def system_party_links(*, system: AISystem) -> QuerySet[SystemPartyLink]:
    return system.party_links.select_related("party").order_by("role", "party__name")


def system_components(*, system: AISystem) -> QuerySet[SystemComponent]:
    return system.components.select_related("provider_party").order_by("name")


def system_library_uses(*, system: AISystem) -> QuerySet[DataLibraryUse]:
    return system.data_library_uses.select_related("library", "library__producer").order_by(
        "library__name", "purpose"
    )


def party_list(*, membership, action: str = Action.VIEW) -> QuerySet[Party]:
    return Party.objects.restrict(membership, action)


def data_library_list(*, membership, action: str = Action.VIEW) -> QuerySet[DataLibrary]:
    return DataLibrary.objects.restrict(membership, action).select_related("producer")


def party_libraries(*, membership, party: Party) -> QuerySet[DataLibrary]:
    """The data libraries a party produced that the membership may see (an auditor: of granted systems)."""
    return DataLibrary.objects.restrict(membership, Action.VIEW).filter(producer=party).order_by("name", "id")


def tag_list(*, membership, action: str = Action.VIEW) -> QuerySet[Tag]:
    """The tags with `system_count`: how many systems the membership may see carry each tag."""
    visible = AISystem.objects.restrict(membership, Action.VIEW).values("pk")
    return (
        Tag.objects.restrict(membership, action)
        .annotate(system_count=Count("systems", filter=Q(systems__in=visible)))
        .order_by("name", "id")
    )
