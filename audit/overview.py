"""The audit app's part of the overview: the remediation actions the member owns, not done yet."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import RemediationStatus
from audit.models import RemediationAction
from kzai.core.overview import MY_ITEMS_LIMIT, OpenItem, OverviewSection


def audit_overview(membership) -> OverviewSection:
    """Registered in `AuditConfig.ready()`; one query."""
    today = timezone.localdate()
    actions = (
        RemediationAction.objects.restrict(membership)
        .filter(owner=membership, status__in=[RemediationStatus.OPEN, RemediationStatus.IN_PROGRESS])
        .select_related("finding__engagement")
        .order_by("due_on", "id")[:MY_ITEMS_LIMIT]
    )
    return OverviewSection(
        my_items=[
            OpenItem(
                kind=_("Remediation action"),
                title=str(action),
                system="",
                due_on=action.due_on,
                url=reverse("audit:engagement_detail", args=[action.finding.engagement_id]),
                overdue=action.due_on < today,
            )
            for action in actions
        ]
    )
