"""The register's part of the overview: whether the organization has registered anything yet (the
first-run guide), and the user reports assigned to the member."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kzai.core.overview import MY_ITEMS_LIMIT, OpenItem, OverviewSection
from registry.models import AISystem
from registry.public.models import TICKET_OPEN_STATUSES, Ticket


def registry_overview(membership) -> OverviewSection:
    """Registered in `RegistryConfig.ready()`; two queries."""
    today = timezone.localdate()
    tickets = (
        Ticket.objects.restrict(membership)
        .filter(assignee=membership, status__in=TICKET_OPEN_STATUSES)
        .select_related("system")
        .order_by("due_on", "id")[:MY_ITEMS_LIMIT]
    )
    return OverviewSection(
        # Archived systems count: an organization that archived everything is not new.
        empty=not AISystem.objects.restrict(membership).exists(),
        my_items=[
            OpenItem(
                kind=_("User report"),
                title=str(ticket),
                system=ticket.system.name,
                due_on=ticket.due_on,
                url=reverse("registry:ticket_detail", args=[ticket.pk]),
                overdue=ticket.due_on < today,
            )
            for ticket in tickets
        ],
    )
