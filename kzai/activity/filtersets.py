import django_filters
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from kzai.accounts.models import Membership
from kzai.activity.models import ActivityAction, ActivityRecord
from kzai.core.filtersets import TenantFilterSet


class ActivityRecordFilterSet(TenantFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    # The AI system model is named by a setting, so the platform does not import the register.
    system = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=apps.get_model(settings.KZAI_SYSTEM_MODEL).objects.none(),
            method="filter_system",
            label=_("AI system"),
        )
    )
    person = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=Membership.objects.none(), method="filter_person", label=_("Person")
        )
    )
    action = django_filters.ChoiceFilter(choices=ActivityAction.choices, label=_("Kind of change"))
    object_type = django_filters.CharFilter(method="filter_object_type", label=_("Object type (app.model)"))
    object_id = django_filters.CharFilter(label=_("Object id"))
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label=_("Who"))
    since = django_filters.DateFilter(
        field_name="timestamp",
        lookup_expr="date__gte",
        label=_("From"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="timestamp",
        lookup_expr="date__lte",
        label=_("To"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    request_id = django_filters.CharFilter(label=_("Request id"))

    class Meta:
        model = ActivityRecord
        fields = [
            "q",
            "system",
            "person",
            "action",
            "since",
            "until",
            "object_type",
            "object_id",
            "actor",
            "request_id",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(object_repr__icontains=value) | Q(actor_label__icontains=value))

    def filter_system(self, queryset, name, value):
        # The chosen systems (the filter is a searchable multiple choice: kzai.core.widgets); none
        # chosen is an empty queryset, which django-filter passes to a method as it is.
        chosen = [system.pk for system in value]
        return queryset.filter(system_id__in=chosen) if chosen else queryset

    def filter_person(self, queryset, name, value):
        return queryset.filter(actor_id=value.user_id)

    def filter_object_type(self, queryset, name, value):
        app_label, _sep, model = value.partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model.lower()).first()
        return queryset.filter(content_type=content_type) if content_type else queryset.none()
