"""Filters shared by every FilterSet (UI lists and API lists use the same FilterSets).

`IdFilter` is THE filter for "objects of the record with this id": a whole number from 1 to the
largest id the database can hold. A plain `NumberFilter` parses decimals, so `?system=1e308` or
`?system=-1.5` reached the database as a huge or fractional number (a 500 on SQLite instead of a
clear 400 saying what is wrong).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1  # BigAutoField


def is_id(text: str) -> bool:
    """Whether a submitted value is an id: a whole number from 1 to the largest id."""
    return text.isdigit() and 0 < int(text) <= MAX_ID


class IdField(forms.IntegerField):
    default_error_messages = {"invalid": _("Enter the id as a whole number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdsModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Objects chosen by id (`?system=1&system=2`): each value must be an id before the database is
    asked, so text, a fraction or a number past the largest id is a 400 with a message, not a
    500 (SQLite overflows on a huge integer)."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        id_field = IdField()
        for raw in values:
            if raw not in self.empty_values:
                id_field.clean(raw)
        return super().clean(value)


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number between 1 and the largest id (400 with a message otherwise)."""

    field_class = IdField


def id_param(value: str | None) -> int | None:
    """An optional query parameter naming an object by id (`?system=12`).

    None when absent or empty; Http404 when it is not an id (text, a fraction, out of range), as an
    unknown id would answer.
    """
    from django.http import Http404

    if value in (None, ""):
        return None
    if not is_id(value):
        raise Http404
    return int(value)
