"""Reads of the risk register: joined querysets for lists, heat-map counts, the catalogue view."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch
from django.db.models.functions import Coalesce

from risk.models import Measure, Review, ReviewItem, ReviewSchedule, Risk

SCALE = range(1, 6)


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
    return ReviewItem.objects.filter(review=review).select_related("risk", "measure", "reviewed_by__user")


def schedule_list(membership):
    return ReviewSchedule.objects.restrict(membership).select_related("system", "reviewer__user")


def heat_map(risks) -> dict:
    """5×5 grids of counts, inherent and residual (unassessed residual counts as inherent), rows
    from severity 5 down to 1 and columns likelihood 1 to 5: what the template prints as a table."""
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

    def grid(counts):
        return [
            {
                "severity": s,
                "cells": [{"likelihood": x, "count": counts.get((x, s), 0), "score": x * s} for x in SCALE],
            }
            for s in reversed(SCALE)
        ]

    return {
        "inherent": grid(inherent),
        "residual": grid(residual),
        "total": sum(inherent.values()),
        "likelihoods": list(SCALE),
    }
