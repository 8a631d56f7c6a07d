"""Base classes every tenant-owned model inherits.

`TenantModel` carries the organization (non-null, no default) and a `RestrictedQuerySet` whose
`restrict(membership, action)` is the one way a request reads tenant data: it filters by the
membership's organization, returns nothing when the role may not perform the action, and narrows
object-scoped roles (auditors) to the AI systems granted to them through django-guardian.

`TrackedModel` remembers the values it was loaded with, so the activity log can record the
before/after of every change without an extra query (see `kzai.activity.signals`). The values are
kept as loaded and turned into JSON only when a save or delete asks for them: a list of 50 rows
that nobody changes must not pay for 50 snapshots.
"""

from __future__ import annotations

import copy
import datetime
import json
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kzai.core.grants import granted_ids
from kzai.core.roles import OBJECT_SCOPED_ROLES, Action

if TYPE_CHECKING:
    from kzai.accounts.models import Membership


# The plausible range of any date in the portal (see `TenantModel.clean_fields`).
EARLIEST_DATE = datetime.date(1950, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


# Values that are already plain JSON and cannot be changed in place (bool is an int).
_JSON_SCALARS = (str, int, bool, float, type(None))


def json_safe(value):
    """Turn a field value into plain JSON (dates and decimals as strings, UUIDs as text)."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    # Without the round trip, as DjangoJSONEncoder writes them: a date, a choice (a str enum),
    # an empty container.
    if kind is datetime.date:
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if not value and kind in (dict, list):
        return kind()
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what one membership may see."""

    def restrict(self, membership: Membership | None, action: str = Action.VIEW) -> RestrictedQuerySet:
        if membership is None or not membership.allows(action):
            return self.none()
        queryset = self.filter(organization_id=membership.organization_id)
        if membership.role in OBJECT_SCOPED_ROLES:
            queryset = queryset._restrict_to_granted_systems(membership)
        return queryset

    def _restrict_to_granted_systems(self, membership: Membership) -> RestrictedQuerySet:
        path = getattr(self.model, "system_path", None)
        if path is None:
            # Objects not tied to an AI system are visible to object-scoped roles only when the
            # model says so (e.g. the organization's party register an auditor must read).
            return self if getattr(self.model, "visible_to_object_scoped_roles", False) else self.none()
        if not path:
            return self.filter(pk__in=granted_ids(membership))
        # A subquery, so paths through many-to-many relations never duplicate rows.
        reachable = self.model._base_manager.filter(**{f"{path}__in": granted_ids(membership)})
        return self.filter(pk__in=reachable.values("pk"))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


# Per choice field and language: stored value → label. A field's choices are fixed when its model
# is defined, so each label is translated once per process and language.
_CHOICE_LABELS: dict[tuple[models.Field, str | None], dict] = {}


def _choice_labels(field: models.Field) -> dict:
    key = (field, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = {
            make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices
        }
        _CHOICE_LABELS[key] = labels
    return labels


class ChoiceLabelsModel(models.Model):
    """A model whose `get_<field>_display()` looks its label up in a table made once per language.

    Django's own builds a dict of every choice on each call, hashing each lazy label (which
    translates it): ~5 translations per call, and a list page calls it hundreds of times (the
    matrix: 1,200 times, a quarter of its time). The labels read exactly the same.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        if isinstance(field.choices, list | tuple):  # not a callable whose choices may change
            try:
                return _choice_labels(field)[getattr(self, field.attname)]
            except (KeyError, TypeError):  # a value outside the choices (or unhashable): Django's way
                pass
        return super()._get_FIELD_display(field)


class TrackedModel(ChoiceLabelsModel):
    """A model whose every create, update and delete is written to the activity log.

    Subclasses must have an `organization` (the activity log is per organization). Fields listed
    in `activity_exclude` are left out of the recorded changes (derived or noisy fields).
    """

    activity_exclude: tuple[str, ...] = ("created_at", "updated_at")

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The loaded values as they came from the database, by attribute name. Containers (JSON
        # fields) are copied, so a change made in place before a save still shows as a change.
        mutable = _mutable_attnames(cls)
        instance.__dict__["_activity_loaded"] = (
            field_names,
            [copy.deepcopy(v) if name in mutable else v for name, v in zip(field_names, values, strict=True)]
            if mutable
            else values,
        )
        return instance

    @property
    def _activity_snapshot(self) -> dict | None:
        """The tracked values as loaded from the database, as plain JSON (None for a new object).

        Computed on first use from the loaded values, then kept; the activity recorder replaces it
        with the saved values after each save.
        """
        snapshot = self.__dict__.get("_activity_snapshot_json")
        if snapshot is None:
            loaded = self.__dict__.get("_activity_loaded")
            if loaded is None:
                return None
            snapshot = self.activity_snapshot_of(dict(zip(*loaded, strict=True)))
            self.__dict__["_activity_snapshot_json"] = snapshot
        return snapshot

    @_activity_snapshot.setter
    def _activity_snapshot(self, value: dict | None) -> None:
        self.__dict__["_activity_snapshot_json"] = value

    def activity_snapshot(self) -> dict:
        """The tracked field values as plain JSON, keyed by field name."""
        return self.activity_snapshot_of(self.__dict__)

    @classmethod
    def activity_snapshot_of(cls, values: dict) -> dict:
        """The snapshot of an object with these attribute values (a row written without an
        instance, by `kzai.core.bulk`, is recorded like a saved instance)."""
        tracked = cls.__dict__.get("_activity_tracked")
        if tracked is None:
            tracked = cls._activity_tracked = tuple(
                (field.name, field.attname)
                for field in cls._meta.concrete_fields
                if not field.primary_key and field.name not in cls.activity_exclude
            )
        data = {}
        for name, attname in tracked:
            if attname in values:
                value = values[attname]
                if type(value) in _JSON_SCALARS:
                    data[name] = value
                elif value is not models.DEFERRED:
                    data[name] = json_safe(value)
        return data


def _mutable_attnames(model) -> frozenset:
    """Attribute names of `model`'s fields whose values can change in place (JSON containers)."""
    names = model.__dict__.get("_activity_mutable_attnames")
    if names is None:
        names = frozenset(f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField))
        model._activity_mutable_attnames = names
    return names


class TenantModel(TrackedModel, TimeStampedModel):
    """Compliance data owned by one organization.

    `system_path` names the lookup from this model to the `registry.AISystem` it belongs to
    ("" for the system itself, None when it is not tied to one); object-scoped roles see a row
    only when they were granted that system.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )

    system_path: str | None = None
    visible_to_object_scoped_roles = False
    # Dates of things that already happened (data obtained, contract signed): never in the future.
    past_date_fields: tuple[str, ...] = ()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Field validation plus the portal's date sanity rules, for every form, API and import.

        Every date must lie between EARLIEST_DATE and LATEST_DATE (a year typed as 0202 or 20266
        is a typo, not a due date), and the fields named in `past_date_fields` cannot be later than
        tomorrow (a day of slack for time zones).
        """
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude = set(exclude or ())
        latest_past = datetime.date.today() + datetime.timedelta(days=1)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.DateField) or isinstance(field, models.DateTimeField):
                continue
            value = getattr(self, field.attname)
            if field.name in exclude or field.name in errors or not isinstance(value, datetime.date):
                continue
            if not EARLIEST_DATE <= value <= LATEST_DATE:
                errors[field.name] = [
                    _("Enter a date between %(earliest)s and %(latest)s.")
                    % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
                ]
            elif field.name in self.past_date_fields and value > latest_past:
                errors[field.name] = [_("This date cannot be in the future.")]
        if errors:
            raise ValidationError(errors)
