"""List responses built from column values, for lists whose rows are many and their fields plain.

A ModelSerializer answering a page builds a model instance for every row and every related row
(for 25 systems with their members, parties and tags: about 330 instances) and walks ~40 field
objects per row. For a list whose fields are plain columns, the same JSON comes from
`QuerySet.values()`: `ColumnPlan` reads the serializer's own fields once per process and says, per
field, which column holds its value and how DRF would write it (dates and times in the reader's time
zone, related objects as their id). The serializer stays the contract: the schema, the detail view and
writes use it, and a field this module cannot express plainly is refused when the plan is made
(ImproperlyConfigured), so a new field cannot silently go missing from the lean list; tests compare
both outputs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import serializers

# Field types whose `to_representation` hands back a database value unchanged (a str for text and
# choices, a bool, an int, a list of choice strings).
_PLAIN = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.BooleanField,
    serializers.IntegerField,
    serializers.ListField,
    serializers.JSONField,
)


def datetime_text(value: datetime.datetime | None, zone) -> str | None:
    """A time as DRF's DateTimeField writes it (ISO 8601 in `zone`, 'Z' for UTC)."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def date_text(value: datetime.date | None) -> str | None:
    """A date as DRF's DateField writes it."""
    return value.isoformat() if value else None


class ColumnPlan:
    """Which column feeds each field of `serializer_class`, and how its value is written.

    `computed` names the fields the caller fills itself (nested lists, derived flags); every other
    field must be a plain column of the model, a date/time, or a related object written as its id.
    """

    DATETIME, DATE = "datetime", "date"

    def __init__(self, serializer_class: type[serializers.ModelSerializer], *, computed: Iterable[str] = ()):
        model = serializer_class.Meta.model
        computed = set(computed)
        self.fields: list[tuple[str, str | None, str | None]] = []  # (field, column, conversion)
        for name, field in serializer_class().fields.items():
            if name in computed:
                self.fields.append((name, None, None))
                continue
            if field.source == "*" or "." in field.source:
                raise ImproperlyConfigured(f"{serializer_class.__name__}.{name}: not a column; compute it")
            model_field = model._meta.get_field(field.source)
            if isinstance(field, serializers.PrimaryKeyRelatedField):
                self.fields.append((name, model_field.attname, None))
            elif isinstance(field, serializers.DateTimeField):
                self.fields.append((name, model_field.attname, self.DATETIME))
            elif isinstance(field, serializers.DateField):
                self.fields.append((name, model_field.attname, self.DATE))
            elif isinstance(field, _PLAIN) and not model_field.is_relation:
                self.fields.append((name, model_field.attname, None))
            else:
                raise ImproperlyConfigured(
                    f"{serializer_class.__name__}.{name}: {type(field).__name__} has no plain representation"
                )
        missing = computed - {name for name, _column, _conversion in self.fields}
        if missing:
            raise ImproperlyConfigured(f"{serializer_class.__name__} has no fields {sorted(missing)}")

    @property
    def columns(self) -> list[str]:
        """The columns to ask `values()` for."""
        return [column for _name, column, _conversion in self.fields if column is not None]

    def rows(self, values: Iterable[dict], computed: Callable[[dict], dict[str, Any]]) -> list[dict]:
        """The serializer's output for each row of `values()`; `computed(row)` gives the other fields."""
        zone = timezone.get_current_timezone()
        plan = self.fields
        out = []
        for row in values:
            extra = computed(row)
            item = {}
            for name, column, conversion in plan:
                if column is None:
                    item[name] = extra[name]
                elif conversion is None:
                    item[name] = row[column]
                elif conversion == self.DATETIME:
                    item[name] = datetime_text(row[column], zone)
                else:
                    item[name] = date_text(row[column])
            out.append(item)
        return out
