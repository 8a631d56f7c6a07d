"""Filters of the deadline and notification lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import Membership
from kzai.core.filtersets import TenantFilterSet
from kzai.deadlines.models import Deadline, DeadlineKind, Notification, NotificationKind
from kzai.deadlines.reminders import sweep_today


class DeadlineFilterSet(TenantFilterSet):
    STATE_CHOICES = (
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("completed", _("Completed")),
        ("withdrawn", _("Withdrawn")),
    )

    kind = django_filters.ChoiceFilter(choices=DeadlineKind.choices, label=_("Kind"))
    state = django_filters.ChoiceFilter(choices=STATE_CHOICES, method="filter_state", label=_("State"))
    due_before = django_filters.DateFilter(
        field_name="due_on",
        lookup_expr="lte",
        label=_("Due on or before"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    # The registry is imported lazily by the models; here the model is needed for the choices.
    system = django_filters.ModelChoiceFilter(queryset=None, label=_("AI system"))
    responsible = django_filters.ModelChoiceFilter(queryset=Membership.objects.none(), label=_("Responsible"))
    ordering = django_filters.OrderingFilter(
        fields=(("due_on", "due_on"), ("title", "title")), label=_("Sort by")
    )

    class Meta:
        model = Deadline
        fields = ["kind", "state", "due_before", "system", "responsible"]

    def filter_state(self, queryset, name, value):
        if value == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        if value == "completed":
            return queryset.filter(completed_at__isnull=False)
        queryset = queryset.filter(completed_at__isnull=True, withdrawn_at__isnull=True)
        if value == "overdue":
            return queryset.filter(due_on__lt=sweep_today())
        return queryset


class NotificationFilterSet(TenantFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("Unread only"))
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
