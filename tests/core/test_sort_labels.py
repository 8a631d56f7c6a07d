"""Sort options are named like the fields they sort by, in the reader's language, "descending"
included, even after something (the API schema) built the filter's form field once."""

import pytest
from django.urls import reverse
from django.utils import translation

from registry.filtersets import AISystemFilterSet

pytestmark = pytest.mark.django_db


def test_sort_labels_are_worded_per_request_in_the_readers_language():
    AISystemFilterSet.base_filters["ordering"].field  # noqa: B018 - built once, as the schema does
    with translation.override("ru"):
        labels = [
            str(label) for _value, label in AISystemFilterSet(request=None).form.fields["ordering"].choices
        ]
    assert "Внутренний код (по убыванию)" in labels
    assert not any("descending" in label for label in labels)
    with translation.override("en"):
        labels = [
            str(label) for _value, label in AISystemFilterSet(request=None).form.fields["ordering"].choices
        ]
    assert "Risk level (descending)" in labels


def test_api_schema_lists_the_sort_options_and_pages_never_show_english_ones(officer, web_for):
    # The list pages sort by their column headers; whatever sort select remains speaks the language.
    with translation.override("kk"):
        html = (
            web_for(officer).get(reverse("registry:party_list"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
        )
    assert "(descending)" not in html
