"""One FilterSet per list, shared by the pages and the API (django-filter)."""

import django_filters
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import Membership
from kzai.core.filtersets import TenantFilterSet
from registry.models import AISystem
from risk.models import Measure, Review, ReviewSchedule, Risk
from risk.risk_management.choices import (
    Likelihood,
    MeasureKind,
    MeasureStatus,
    ReviewStatus,
    RiskCategory,
    RiskOrigin,
    RiskStatus,
    ScoreBand,
    Severity,
    almaty_today,
    band_range,
    scale_choices,
)

SYSTEMS = AISystem.objects.none()  # the choices are the acting membership's (TenantFilterSet)


def _risk_label(risk):
    return f"{risk.system.code} — {risk.title}"


class RiskFilterSet(TenantFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    system = django_filters.ModelChoiceFilter(queryset=SYSTEMS, label=_("AI system"))
    category = django_filters.ChoiceFilter(choices=RiskCategory.choices, label=_("Category"))
    origin = django_filters.ChoiceFilter(choices=RiskOrigin.choices, label=_("Arises in"))
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, label=_("Status"))
    band = django_filters.ChoiceFilter(
        choices=ScoreBand.choices, method="filter_band", label=_("Inherent band")
    )
    residual_band = django_filters.ChoiceFilter(
        choices=ScoreBand.choices, method="filter_residual_band", label=_("Residual band")
    )
    # One heat map cell is a likelihood and a severity: its link lists exactly the risks it counts.
    likelihood = django_filters.ChoiceFilter(choices=scale_choices(Likelihood), label=_("Likelihood"))
    severity = django_filters.ChoiceFilter(choices=scale_choices(Severity), label=_("Severity"))
    residual_likelihood = django_filters.ChoiceFilter(
        choices=scale_choices(Likelihood), method="filter_residual", label=_("Residual likelihood")
    )
    residual_severity = django_filters.ChoiceFilter(
        choices=scale_choices(Severity), method="filter_residual", label=_("Residual severity")
    )
    owner = django_filters.ModelChoiceFilter(queryset=Membership.objects.none(), label=_("Owner"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open (not closed)"))
    level_at_least = django_filters.ChoiceFilter(
        choices=ScoreBand.choices, method="filter_level_at_least", label=_("Current level at least")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("inherent_score", "inherent_score"),
            ("residual_score", "residual_score"),
            ("title", "title"),
            ("system__name", "system"),
            ("updated_at", "updated"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Risk
        fields = [
            "q",
            "system",
            "category",
            "origin",
            "status",
            "band",
            "residual_band",
            "likelihood",
            "severity",
            "residual_likelihood",
            "residual_severity",
            "owner",
            "open",
            "level_at_least",
        ]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_band(self, queryset, name, value):
        low, high = band_range(value)
        return queryset.filter(inherent_score__gte=low, inherent_score__lte=high)

    def filter_residual_band(self, queryset, name, value):
        low, high = band_range(value)
        return queryset.filter(residual_score__gte=low, residual_score__lte=high)

    def filter_open(self, queryset, name, value):
        return (
            queryset.exclude(status=RiskStatus.CLOSED) if value else queryset.filter(status=RiskStatus.CLOSED)
        )

    def filter_level_at_least(self, queryset, name, value):
        # The current level: the residual score once assessed, the inherent score until then.
        low, _high = band_range(value)
        return queryset.annotate(current_score=Coalesce("residual_score", "inherent_score")).filter(
            current_score__gte=low
        )

    def filter_residual(self, queryset, name, value):
        # As the residual heat map counts them: a risk not yet reassessed stays where it was.
        inherent = name.removeprefix("residual_")
        return queryset.alias(**{f"effective_{name}": Coalesce(F(name), F(inherent))}).filter(
            **{f"effective_{name}": value}
        )


class MeasureFilterSet(TenantFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    system = django_filters.ModelChoiceFilter(queryset=SYSTEMS, label=_("AI system"))
    kind = django_filters.ChoiceFilter(choices=MeasureKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices, label=_("Status"))
    risk = django_filters.ModelChoiceFilter(queryset=Risk.objects.none(), field_name="risks", label=_("Risk"))
    owner = django_filters.ModelChoiceFilter(queryset=Membership.objects.none(), label=_("Owner"))
    ordering = django_filters.OrderingFilter(
        fields=(("due_on", "due_on"), ("title", "title"), ("status", "status")), label=_("Sort by")
    )

    choice_labels = {"risk": (("system",), _risk_label)}

    class Meta:
        model = Measure
        fields = ["q", "system", "kind", "status", "risk", "owner"]


class ReviewFilterSet(TenantFilterSet):
    system = django_filters.ModelChoiceFilter(queryset=SYSTEMS, label=_("AI system"))
    status = django_filters.ChoiceFilter(
        choices=ReviewStatus.choices, method="filter_status", label=_("Status")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("due_on", "due_on"), ("completed_at", "completed")), label=_("Sort by")
    )

    class Meta:
        model = Review
        fields = ["system", "status"]

    def filter_status(self, queryset, name, value):
        today = almaty_today()
        if value == ReviewStatus.OVERDUE:
            return queryset.exclude(status=ReviewStatus.COMPLETED).filter(due_on__lt=today)
        if value == ReviewStatus.COMPLETED:
            return queryset.filter(status=value)
        return queryset.filter(status=value, due_on__gte=today)


class ReviewScheduleFilterSet(TenantFilterSet):
    system = django_filters.ModelChoiceFilter(queryset=SYSTEMS, label=_("AI system"))
    due_before = django_filters.DateFilter(
        field_name="next_due_on", lookup_expr="lte", label=_("Due on or before")
    )

    class Meta:
        model = ReviewSchedule
        fields = ["system", "due_before"]
