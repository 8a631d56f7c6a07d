"""Search-backed selectors: a filter over thousands of objects renders only what is chosen.

A list filtering by AI system used to render every system of the organization as an option (10,000
options at a bank, most of the page's time and size). `AutocompleteSelectMultiple` renders

    <select multiple name="system" data-autocomplete="/registry/systems/options/">

with only the currently selected options; the browser script (static/js) fetches the others from
the URL as the user types (`?q=<term>` answering `{"results": [{"id": "…", "text": "…"}]}`).
Validation is unchanged: the field's queryset still accepts any id the membership may see.

Apps name the search endpoint of a model with `register_autocomplete("registry.AISystem",
"registry:system_options")` in their `AppConfig.ready()`; `TenantFilterSet` then gives every filter
over that model this widget (the platform imports no domain app).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse

from kzai.core.filters import is_id

# Model label ("app_label.ModelName") → URL name of its options endpoint.
_AUTOCOMPLETE_URLS: dict[str, str] = {}

# Options the endpoint answers with at most, whatever the term.
OPTIONS_LIMIT = 20


def register_autocomplete(model_label: str, url_name: str) -> None:
    _AUTOCOMPLETE_URLS[model_label.lower()] = url_name


def autocomplete_url_name(model) -> str | None:
    """The options endpoint registered for `model`, or None (a plain select then)."""
    return _AUTOCOMPLETE_URLS.get(model._meta.label_lower)


def _ids(values) -> list[int]:
    """The well-formed ids among submitted values (anything else is the field's to reject)."""
    return [int(text) for text in map(str, values) if is_id(text)]


class AutocompleteSelectMultiple(forms.SelectMultiple):
    """A multiple select that renders only the selected options and names its search endpoint."""

    def __init__(self, url_name: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "data-autocomplete": reverse(self.url_name)}
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        groups = []
        for index, (option_value, label) in enumerate(self._chosen(value)):
            option = self.create_option(name, option_value, label, True, index, attrs=attrs)
            groups.append((None, [option], index))
        return groups

    def _chosen(self, value) -> list[tuple]:
        """(value, label) of the selected options only: one query for a model field, none when empty."""
        ids = _ids(value or [])
        if not ids:
            return []
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:  # plain choices: keep the selected ones
            wanted = {str(i) for i in ids}
            return [(v, label) for v, label in choices if str(v) in wanted]
        label = choices.field.label_from_instance
        return [(obj.pk, label(obj)) for obj in queryset.filter(pk__in=ids)]
