import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from kzai.activity.models import ActivityAction, ActivityRecord
from kzai.core.filtersets import TenantFilterSet


class ActivityRecordFilterSet(TenantFilterSet):
    action = django_filters.ChoiceFilter(choices=ActivityAction.choices, label=_("Action"))
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
        fields = ["action", "object_type", "object_id", "actor", "since", "until", "request_id"]

    def filter_object_type(self, queryset, name, value):
        app_label, _sep, model = value.partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model.lower()).first()
        return queryset.filter(content_type=content_type) if content_type else queryset.none()
