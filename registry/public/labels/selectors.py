"""Reads of the labelling side: keys (public halves only) and label issuance counts."""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kzai.core.roles import Action
from registry.public.labels.models import LabelIssuanceDay, LabelSigningKey
from risk.computed_evidence import ComputedEvidence

RECENT_DAYS = 30


def signing_key_list(membership):
    return LabelSigningKey.objects.restrict(membership, Action.VIEW).select_related(
        "created_by__user", "retired_by__user"
    )


def issuance_day_list(membership):
    """Labels issued per system and day, newest first."""
    return LabelIssuanceDay.objects.restrict(membership, Action.VIEW).select_related("system")


def issuance_summary(membership, system) -> dict:
    """The evidence of marking for one system: labels issued in all, in the last 30 days, and the
    last day any was issued."""
    days = issuance_day_list(membership).filter(system=system)
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS - 1)
    totals = days.aggregate(total=Sum("count"))
    recent = days.filter(day__gte=since).aggregate(total=Sum("count"))
    last = days.order_by("-day").values_list("day", flat=True).first()
    return {
        "total": totals["total"] or 0,
        "recent": recent["total"] or 0,
        "recent_days": RECENT_DAYS,
        "last_day": last,
    }


def labelling_evidence(membership, obligation) -> list:
    """The labels a system issued, as computed evidence of its marking duty (KZ-AI-TR-02)."""
    summary = issuance_summary(membership, obligation.system)
    value = _("%(total)s in all, %(recent)s in the last %(days)s days") % {
        "total": summary["total"],
        "recent": summary["recent"],
        "days": summary["recent_days"],
    }
    if summary["last_day"]:
        value += "; " + _("last on %(day)s") % {"day": date_format(summary["last_day"], "DATE_FORMAT")}
    url = reverse("registry:system_labels", args=[obligation.system_id])
    return [
        ComputedEvidence(title=_("Labels of synthetic results signed through kzai"), value=value, url=url)
    ]
