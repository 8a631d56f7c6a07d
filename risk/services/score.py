"""The compliance score's daily snapshots, which give the overview its trend."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from risk.choices import ObligationStatus
from risk.models import ComplianceScoreSnapshot, Obligation
from risk.risk_management.choices import almaty_today


def score_aggregates() -> dict:
    """`applicable` and `met` counts over obligations, as `Score` defines them (one aggregate)."""
    return {
        "applicable": Count("pk", filter=~Q(status=ObligationStatus.NOT_APPLICABLE)),
        "met": Count("pk", filter=Q(status=ObligationStatus.MET)),
    }


def scored_obligations(queryset):
    """The obligations a score counts: in force, of systems still in the active register."""
    return queryset.filter(in_force=True, system__archived_at__isnull=True)


def compliance_score_snapshots_take(*, today: datetime.date | None = None) -> int:
    """Record every organization's score as it stands today (daily sweep); returns how many rows
    were written. Idempotent: an organization already recorded today keeps its row."""
    today = today or almaty_today()
    rows = (
        scored_obligations(Obligation.objects.all())
        .values("organization_id")
        .annotate(**score_aggregates())
        .order_by("organization_id")
    )
    snapshots = [
        ComplianceScoreSnapshot(
            organization_id=row["organization_id"],
            taken_on=today,
            met=row["met"],
            applicable=row["applicable"],
        )
        for row in rows
    ]
    before = ComplianceScoreSnapshot.objects.filter(taken_on=today).count()
    ComplianceScoreSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
    return ComplianceScoreSnapshot.objects.filter(taken_on=today).count() - before
