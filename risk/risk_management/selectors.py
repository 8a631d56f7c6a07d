"""Reads of the risk register: joined querysets for lists, heat-map counts, the catalogue view."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.urls import reverse

from risk.models import Measure, Review, ReviewItem, ReviewSchedule, Risk
from risk.risk_management.choices import (
    MEASURE_DONE_STATUSES,
    SCORE_BANDS,
    Likelihood,
    RiskStatus,
    ScoreBand,
    Severity,
    almaty_today,
    band_for,
)

SCALE = range(1, 6)
# A heat map cell's link keeps the map's filters but not its page, sort or cell of another map.
HEAT_MAP_LINK_IGNORED = frozenset(
    {"page", "ordering", "likelihood", "severity", "residual_likelihood", "residual_severity"}
)


def risk_list(membership):
    """Risks the membership may see, with the system and owner joined (one query per page)."""
    return Risk.objects.restrict(membership).select_related("system", "owner__user")


def measure_list(membership):
    return (
        Measure.objects.restrict(membership)
        .select_related("system", "owner__user")
        .prefetch_related(Prefetch("risks", queryset=Risk.objects.only("id", "title", "system_id")))
    )


def review_list(membership):
    return Review.objects.restrict(membership).select_related("system", "signed_off_by__user")


def review_items(review):
    """The review's items, risks before the measures that treat them ("risk" sorts after "measure")."""
    return (
        ReviewItem.objects.filter(review=review)
        .select_related("risk", "measure", "reviewed_by__user")
        .order_by("-kind", "id")
    )


def schedule_list(membership):
    return ReviewSchedule.objects.restrict(membership).select_related("system", "reviewer__user")


def heat_map(risks, *, link_params: QueryDict | dict | None = None) -> dict:
    """5×5 grids of counts, inherent and residual (unassessed residual counts as inherent), rows
    from severity 5 down to 1 and columns likelihood 1 to 5: what the template prints as a table.

    Every cell carries its score, its band (coloured whether or not it holds risks) and, when it
    holds some, the address of the risk list filtered to them: `link_params` (the filters the map
    was drawn with) plus the cell's likelihood and severity, inherent or residual.
    """
    inherent = {
        (r["likelihood"], r["severity"]): r["n"]
        for r in risks.values("likelihood", "severity").annotate(n=Count("id"))
    }
    residual_rows = (
        risks.annotate(
            rl=Coalesce(F("residual_likelihood"), F("likelihood")),
            rs=Coalesce(F("residual_severity"), F("severity")),
        )
        .values("rl", "rs")
        .annotate(n=Count("id"))
    )
    residual = {(r["rl"], r["rs"]): r["n"] for r in residual_rows}
    base = QueryDict(mutable=True)
    params = link_params.lists() if isinstance(link_params, QueryDict) else (link_params or {}).items()
    for key, values in params:
        if key not in HEAT_MAP_LINK_IGNORED:
            base.setlist(key, values if isinstance(values, list) else [values])
    list_url = reverse("risk:register_risk_list")

    def link(prefix, likelihood, severity):
        query = base.copy()
        query[f"{prefix}likelihood"] = likelihood
        query[f"{prefix}severity"] = severity
        return f"{list_url}?{query.urlencode()}"

    def grid(counts, prefix):
        rows = []
        for s in reversed(SCALE):
            cells = []
            for x in SCALE:
                score = x * s
                band = band_for(score)
                count = counts.get((x, s), 0)
                cells.append(
                    {
                        "likelihood": x,
                        "likelihood_label": Likelihood(x).label,
                        "severity_label": Severity(s).label,
                        "count": count,
                        "score": score,
                        "band": band,
                        "band_label": ScoreBand(band).label,
                        "url": link(prefix, x, s) if count else "",
                    }
                )
            rows.append({"severity": s, "severity_label": Severity(s).label, "cells": cells})
        return rows

    return {
        "inherent": grid(inherent, ""),
        "residual": grid(residual, "residual_"),
        "total": sum(inherent.values()),
        "likelihoods": [{"value": x, "label": Likelihood(x).label} for x in SCALE],
        "bands": [
            {"band": band, "label": ScoreBand(band).label, "low": low, "high": high}
            for band, low, high in SCORE_BANDS
        ],
    }


def system_register_summary(membership, system) -> dict:
    """What the Risk tab's front page shows of one system's register and review, in four queries:
    risk counts per inherent band and unassessed residuals, measures open and overdue, the schedule,
    the open (or last) review."""
    risks = Risk.objects.restrict(membership).filter(system=system)
    band_counts = {
        f"band_{name}": Count("id", filter=Q(inherent_score__gte=low, inherent_score__lte=high))
        for name, low, high in SCORE_BANDS
    }
    counts = risks.aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(status=RiskStatus.CLOSED)),
        unassessed=Count("id", filter=Q(residual_score__isnull=True)),
        **band_counts,
    )
    today = almaty_today()
    open_measures = (
        Measure.objects.restrict(membership).filter(system=system).exclude(status__in=MEASURE_DONE_STATUSES)
    )
    measures = open_measures.aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    schedule = schedule_list(membership).filter(system=system).first()
    reviews = review_list(membership).filter(system=system)
    review = (
        reviews.exclude(status="completed").order_by("due_on").first()
        or reviews.filter(status="completed").order_by("-completed_at").first()
    )
    return {
        "risks": counts,
        "bands": [(name, counts[f"band_{name}"]) for name, _low, _high in SCORE_BANDS],
        "measures": measures,
        "schedule": schedule,
        "review": review,
    }
