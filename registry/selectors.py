"""Reads of the register with the joins their pages and endpoints need (bounded query counts)."""

from __future__ import annotations

from django.db import connection
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


def _names(model, *fields: str) -> list[str]:
    """The quoted table of `model` and the quoted columns of `fields`, for plain SQL."""
    quote = connection.ops.quote_name
    return [quote(model._meta.db_table), *(quote(model._meta.get_field(f).column) for f in fields)]


# The lean API list reads a page's tags and parties in plain SQL: on every list request, building
# these two small queries through the ORM cost ~1.2 ms of the ~1.5 ms they took (25 rows). Names come
# from the models; the SQL is what the ORM wrote, minus the aliases, and runs on any database.
def system_list_tags(system_ids: list[int]) -> dict[int, list[str]]:
    """Tag names of each of these systems, sorted as the serializer sorts them (one query)."""
    names: dict[int, list[str]] = {pk: [] for pk in system_ids}
    if not system_ids:
        return names
    links, system, tag = _names(AISystem.tags.through, "aisystem", "tag")
    tags, tag_id, name = _names(Tag, "id", "name")
    placeholders = ", ".join(["%s"] * len(system_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.{system}, t.{name} FROM {links} l INNER JOIN {tags} t ON t.{tag_id} = l.{tag} "  # noqa: S608
            f"WHERE l.{system} IN ({placeholders})",
            system_ids,
        )
        for system_id, tag_name in cursor.fetchall():
            names[system_id].append(tag_name)
    for tag_names in names.values():
        tag_names.sort()
    return names


def system_list_parties(system_ids: list[int]) -> dict[int, list[tuple]]:
    """The party links of each of these systems as (id, party id, party name, role, contract expires
    on), in `system_list`'s order (role, party name, id); one query."""
    links: dict[int, list[tuple]] = {pk: [] for pk in system_ids}
    if not system_ids:
        return links
    table, system, link_id, party, role, expires = _names(
        SystemPartyLink, "system", "id", "party", "role", "contract_expires_on"
    )
    parties, party_id, name = _names(Party, "id", "name")
    placeholders = ", ".join(["%s"] * len(system_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.{system}, l.{link_id}, l.{party}, p.{name}, l.{role}, l.{expires} "  # noqa: S608
            f"FROM {table} l INNER JOIN {parties} p ON p.{party_id} = l.{party} "
            f"WHERE l.{system} IN ({placeholders}) ORDER BY l.{role}, p.{name}, l.{link_id}",
            system_ids,
        )
        expires_field = SystemPartyLink._meta.get_field("contract_expires_on")
        for system_id, *link in cursor.fetchall():
            # SQLite returns dates as text: the field's converters make them dates, as the ORM does.
            link[4] = expires_field.to_python(link[4])
            links[system_id].append(tuple(link))
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
