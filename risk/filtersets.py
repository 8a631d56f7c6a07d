"""Filters shared by the UI lists and the API (one FilterSet per list)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import Membership
from kzai.core.filtersets import TenantFilterSet
from registry.choices import LifecycleStage, RiskLevel, Sector
from registry.models import AISystem
from risk.choices import ClassificationStatus, ContradictionSource, ObligationStatus, ScreeningResult
from risk.models import Classification, Contradiction, Obligation, Screening

STATE_CHOICES = [("in_force", _("Applies")), ("withdrawn", _("No longer applicable")), ("all", _("All"))]


class ObligationFilterSet(TenantFilterSet):
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES,
        method="filter_state",
        label=_("Applicability"),
        empty_label=_("Applies (default)"),
    )
    status = django_filters.ChoiceFilter(choices=ObligationStatus.choices, label=_("Status"))
    system = django_filters.ModelChoiceFilter(queryset=AISystem.objects.none(), label=_("AI system"))
    code = django_filters.CharFilter(lookup_expr="istartswith", label=_("Requirement id starts with"))
    risk_level = django_filters.ChoiceFilter(
        field_name="system__risk_level", choices=RiskLevel.choices, label=_("Risk level")
    )
    sector = django_filters.ChoiceFilter(
        field_name="system__sector", choices=Sector.choices, label=_("Sector")
    )
    responsible = django_filters.ModelChoiceFilter(queryset=Membership.objects.none(), label=_("Responsible"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    urgent = django_filters.BooleanFilter(label=_("Urgent"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    ordering = django_filters.OrderingFilter(
        fields=(("due_on", "due_on"), ("status", "status"), ("code", "code"), ("system__name", "system")),
        label=_("Sort by"),
    )

    class Meta:
        model = Obligation
        fields = [
            "state",
            "status",
            "system",
            "code",
            "risk_level",
            "sector",
            "responsible",
            "overdue",
            "urgent",
        ]

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(in_force=True)
        return queryset

    def filter_state(self, queryset, name, value):
        if value == "in_force":
            return queryset.filter(in_force=True)
        if value == "withdrawn":
            return queryset.filter(in_force=False)
        return queryset

    def filter_overdue(self, queryset, name, value):
        overdue = Q(due_on__lt=timezone.localdate(), in_force=True) & ~Q(
            status__in=[ObligationStatus.MET, ObligationStatus.NOT_APPLICABLE]
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(system__name__icontains=value) | Q(system__code__icontains=value)
        )


class MatrixFilterSet(TenantFilterSet):
    """Which systems (rows) the obligation matrix shows."""

    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Risk level"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    lifecycle_stage = django_filters.ChoiceFilter(choices=LifecycleStage.choices, label=_("Lifecycle stage"))
    classification_stale = django_filters.BooleanFilter(label=_("Classification out of date"))
    is_prohibited = django_filters.BooleanFilter(label=_("Prohibited capability"))
    contradictions = django_filters.BooleanFilter(
        field_name="has_contradictions", label=_("Contradicts its screen or classification")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = AISystem
        fields = [
            "risk_level",
            "sector",
            "lifecycle_stage",
            "classification_stale",
            "is_prohibited",
            "contradictions",
        ]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class ClassificationFilterSet(TenantFilterSet):
    system = django_filters.ModelChoiceFilter(queryset=AISystem.objects.none(), label=_("AI system"))
    status = django_filters.ChoiceFilter(choices=ClassificationStatus.choices, label=_("Status"))
    declared_risk_level = django_filters.ChoiceFilter(
        choices=RiskLevel.choices, label=_("Declared risk level")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("created_at", "created_at"), ("approved_at", "approved_at"))
    )

    class Meta:
        model = Classification
        fields = ["system", "status", "declared_risk_level"]


class ScreeningFilterSet(TenantFilterSet):
    system = django_filters.ModelChoiceFilter(queryset=AISystem.objects.none(), label=_("AI system"))
    result = django_filters.ChoiceFilter(choices=ScreeningResult.choices, label=_("Result"))
    ordering = django_filters.OrderingFilter(fields=(("created_at", "created_at"),))

    class Meta:
        model = Screening
        fields = ["system", "result"]


class ContradictionFilterSet(TenantFilterSet):
    system = django_filters.ModelChoiceFilter(queryset=AISystem.objects.none(), label=_("AI system"))
    source = django_filters.ChoiceFilter(choices=ContradictionSource.choices, label=_("Contradicted by"))
    is_open = django_filters.BooleanFilter(label=_("Still contradicts"))
    explained = django_filters.BooleanFilter(
        field_name="explained_at", lookup_expr="isnull", exclude=True, label=_("Explained")
    )
    ordering = django_filters.OrderingFilter(fields=(("created_at", "created_at"),))

    class Meta:
        model = Contradiction
        fields = ["system", "source", "is_open", "explained"]
