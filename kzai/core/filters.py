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


class IdField(forms.IntegerField):
    default_error_messages = {"invalid": _("Enter the id as a whole number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number between 1 and the largest id (400 with a message otherwise)."""

    field_class = IdField
