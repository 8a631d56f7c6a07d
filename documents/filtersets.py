"""Filters of the document list, shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.catalogue.loader import catalogue
from documents.choices import DocumentState
from documents.models import Document
from kzai.core.filtersets import TenantFilterSet
from registry.models import AISystem


def _item_choices():
    return catalogue().choices()


class DocumentFilterSet(TenantFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    system = django_filters.ModelChoiceFilter(
        field_name="systems", queryset=AISystem.objects.none(), label=_("AI system")
    )
    item = django_filters.ChoiceFilter(
        choices=_item_choices, method="covers_item", label=_("Documentation item")
    )
    state = django_filters.ChoiceFilter(choices=DocumentState.choices, label=_("State"))
    expires_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lte", label=_("Expires on or before")
    )

    class Meta:
        model = Document
        fields = ["q", "system", "item", "state", "expires_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def covers_item(self, queryset, name, value: str):
        # Keys are plain slugs; the quoted form matches one whole list element of the JSON text.
        return queryset.filter(items__icontains=f'"{value}"')
