"""The risk app's part of the overview: the compliance score and its trend, what is overdue or due
soon, systems still to classify or screen, open high risks, the fines exposure, two charts, and the
obligations, measures and reviews assigned to the member.

Each headline number is counted with the same FilterSet, on the same base queryset, as the list its
link opens, with the same parameters: the number on the overview is the number of rows the list
shows. A fixed number of queries, whatever the amount of data.
"""

from __future__ import annotations

import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, F
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kzai.core.overview import (
    MY_ITEMS_LIMIT,
    Bar,
    Chart,
    Figure,
    OpenItem,
    OverviewSection,
    ScoreSummary,
    TrendPoint,
)
from kzai.core.roles import Action
from registry import selectors as registry_selectors
from registry.choices import RiskLevel
from registry.filtersets import UNCLASSIFIED, AISystemFilterSet
from risk import selectors
from risk.choices import ObligationStatus
from risk.filtersets import MatrixFilterSet, ObligationFilterSet
from risk.fines.selectors import organization_exposure
from risk.models import ComplianceScoreSnapshot, Measure, Review
from risk.risk_management import selectors as register_selectors
from risk.risk_management.choices import MEASURE_DONE_STATUSES, ReviewStatus, ScoreBand, almaty_today
from risk.risk_management.filtersets import ReviewFilterSet, RiskFilterSet

# How far back the score's trend goes.
TREND_DAYS = 90
DONE_OBLIGATION_STATUSES = (ObligationStatus.MET, ObligationStatus.NOT_APPLICABLE)

# One colour per category, the same as the badges of the lists (colour is never alone: every bar
# is labelled with its category and count).
RISK_LEVEL_TONES = {
    RiskLevel.HIGH: "danger",
    RiskLevel.MEDIUM: "warn",
    RiskLevel.MINIMAL: "ok",
    UNCLASSIFIED: "neutral",
}
OBLIGATION_STATUS_TONES = {
    ObligationStatus.NOT_STARTED: "danger",
    ObligationStatus.IN_PROGRESS: "warn",
    ObligationStatus.MET: "ok",
    ObligationStatus.NOT_APPLICABLE: "neutral",
}


def _list_url(url_name: str, params: dict) -> str:
    return f"{reverse(url_name)}?{urlencode(params, doseq=True)}" if params else reverse(url_name)


def _counted(key, label, *, url_name, params, filterset_class, queryset, attention=True) -> Figure:
    """A figure counted by the list's own FilterSet with the parameters of the link to that list."""
    filterset = filterset_class(QueryDict(urlencode(params, doseq=True)), queryset=queryset)
    return Figure(
        key=key,
        label=label,
        value=filterset.qs.count(),
        url=_list_url(url_name, params),
        attention=attention,
    )


def _figures(membership) -> list[Figure]:
    obligations = selectors.obligations_for(membership)
    systems = registry_selectors.system_list(membership=membership)
    figures = [
        _counted(
            "obligations_overdue",
            _("Obligations overdue"),
            url_name="risk:obligation_list",
            params={"overdue": "true"},
            filterset_class=ObligationFilterSet,
            queryset=obligations,
        ),
        _counted(
            "obligations_due_30_days",
            _("Obligations due in the next 30 days"),
            url_name="risk:obligation_list",
            params={"due_within": "30"},
            filterset_class=ObligationFilterSet,
            queryset=obligations,
        ),
        _counted(
            "systems_not_classified",
            _("AI systems not classified"),
            url_name="registry:system_list",
            params={"risk_level": [UNCLASSIFIED]},
            filterset_class=AISystemFilterSet,
            queryset=systems,
        ),
        _counted(
            "systems_not_screened",
            _("AI systems not screened for prohibited practices"),
            url_name="risk:matrix",
            params={"screened": "false"},
            filterset_class=MatrixFilterSet,
            queryset=selectors.systems_for(membership),
        ),
        _counted(
            "systems_classification_stale",
            _("AI systems whose classification is out of date"),
            url_name="registry:system_list",
            params={"classification_stale": "true"},
            filterset_class=AISystemFilterSet,
            queryset=systems,
        ),
        _counted(
            "systems_prohibited",
            _("AI systems with a prohibited capability"),
            url_name="registry:system_list",
            params={"is_prohibited": "true"},
            filterset_class=AISystemFilterSet,
            queryset=systems,
        ),
        _counted(
            "reviews_overdue",
            _("Annual risk reviews overdue"),
            url_name="risk:review_list",
            params={"status": ReviewStatus.OVERDUE.value},
            filterset_class=ReviewFilterSet,
            queryset=register_selectors.review_list(membership),
        ),
        _counted(
            "risks_open_high",
            _("Open risks at high level or above"),
            url_name="risk:register_risk_list",
            params={"open": "true", "level_at_least": ScoreBand.HIGH.value},
            filterset_class=RiskFilterSet,
            queryset=register_selectors.risk_list(membership),
        ),
    ]
    exposure = organization_exposure(membership)
    if exposure:
        figures.append(
            Figure(
                key="fines_exposure",
                label=_("Fines exposure for a first offence"),
                value=exposure.first_kzt,
                url=reverse("risk:fines_exposure"),
                attention=True,
                display=f"{intcomma(exposure.first_kzt)} ₸",
                unit="KZT",
            )
        )
    return figures


def _charts(membership) -> list[Chart]:
    by_level = dict(
        selectors.systems_for(membership).values_list("risk_level").annotate(n=Count("pk")).order_by()
    )
    levels = [(RiskLevel.HIGH, RiskLevel.HIGH.label), (RiskLevel.MEDIUM, RiskLevel.MEDIUM.label)]
    levels += [(RiskLevel.MINIMAL, RiskLevel.MINIMAL.label), (UNCLASSIFIED, _("Not classified"))]
    systems_chart = Chart(
        key="systems_by_risk_level",
        title=_("AI systems by risk level"),
        description=_(
            "Active AI systems of the register by the risk level of their approved classification."
        ),
        bars=tuple(
            Bar(
                key=str(level),
                label=str(label),
                value=by_level.get("" if level == UNCLASSIFIED else level, 0),
                url=_list_url("registry:system_list", {"risk_level": [level]}),
                tone=RISK_LEVEL_TONES[level],
            )
            for level, label in levels
        ),
    )
    by_status = dict(
        selectors.obligations_for(membership)
        .filter(in_force=True)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    obligations_chart = Chart(
        key="obligations_by_status",
        title=_("Obligations by status"),
        description=_("Obligations that apply to the organization's AI systems, by where they stand."),
        bars=tuple(
            Bar(
                key=status.value,
                label=str(status.label),
                value=by_status.get(status.value, 0),
                url=_list_url("risk:obligation_list", {"status": status.value}),
                tone=OBLIGATION_STATUS_TONES[status],
            )
            for status in ObligationStatus
        ),
    )
    return [systems_chart, obligations_chart]


def _score(membership) -> ScoreSummary:
    score = selectors.organization_score(membership)
    today = almaty_today()
    snapshots = (
        ComplianceScoreSnapshot.objects.restrict(membership)
        .filter(taken_on__gte=today - datetime.timedelta(days=TREND_DAYS), taken_on__lt=today)
        .order_by("taken_on")
    )
    trend = [TrendPoint(day=s.taken_on, percent=s.percent) for s in snapshots]
    if trend:
        # Today's point is the score as it stands now, not this morning's snapshot.
        trend.append(TrendPoint(day=today, percent=score.percent))
    return ScoreSummary(
        met=score.met,
        applicable=score.applicable,
        percent=score.percent,
        url=reverse("risk:matrix"),
        trend=tuple(trend),
    )


def _my_items(membership) -> list[OpenItem]:
    today = timezone.localdate()
    items = []
    obligations = (
        selectors.obligations_for(membership)
        .filter(responsible=membership, in_force=True)
        .exclude(status__in=DONE_OBLIGATION_STATUSES)
        .order_by(F("due_on").asc(nulls_last=True), "id")[:MY_ITEMS_LIMIT]
    )
    items += [
        OpenItem(
            kind=_("Obligation"),
            title=f"{o.code} — {o.requirement.title_text}",
            system=o.system.name,
            due_on=o.due_on,
            url=reverse("risk:obligation_detail", args=[o.pk]),
            overdue=bool(o.due_on and o.due_on < today),
        )
        for o in obligations
    ]
    can_change = membership.allows(Action.CHANGE)
    measures = (
        Measure.objects.restrict(membership)
        .filter(owner=membership)
        .exclude(status__in=MEASURE_DONE_STATUSES)
        .select_related("system")
        .order_by(F("due_on").asc(nulls_last=True), "id")[:MY_ITEMS_LIMIT]
    )
    items += [
        OpenItem(
            kind=_("Risk measure"),
            title=m.title,
            system=m.system.name,
            due_on=m.due_on,
            url=reverse("risk:register_measure_update", args=[m.pk])
            if can_change
            else f"{reverse('risk:register_measure_list')}?{urlencode({'owner': membership.pk})}",
            overdue=bool(m.due_on and m.due_on < today),
        )
        for m in measures
    ]
    reviews = (
        Review.objects.restrict(membership)
        .filter(system__review_schedule__reviewer=membership)
        .exclude(status=ReviewStatus.COMPLETED)
        .select_related("system")
        .order_by("due_on", "id")[:MY_ITEMS_LIMIT]
    )
    items += [
        OpenItem(
            kind=_("Annual risk review"),
            title=_("Review of %(system)s") % {"system": r.system.name},
            system=r.system.name,
            due_on=r.due_on,
            url=reverse("risk:review_detail", args=[r.pk]),
            overdue=r.due_on < today,
        )
        for r in reviews
    ]
    return items


def risk_overview(membership) -> OverviewSection:
    """The risk app's section of the overview (registered in `RiskConfig.ready()`)."""
    return OverviewSection(
        figures=_figures(membership),
        charts=_charts(membership),
        my_items=_my_items(membership),
        score=_score(membership),
    )
