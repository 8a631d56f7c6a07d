"""The activity log: one row per create, update or delete of tracked data.

Rows are written only by `kzai.activity.signals` (one mechanism for every model, plus
`kzai.activity.services` for events that are not a save) and are never updated or deleted. Each
organization's rows form a hash chain (`kzai.activity.chain`): every row carries its sequence number in
the organization, the hash of the row before it and its own hash over its content, so a deleted,
inserted or altered row breaks the chain where it happened. On PostgreSQL a trigger refuses UPDATE
and DELETE on the table.
"""

import datetime
import functools

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kzai.core.grants import granted_ids
from kzai.core.models import RestrictedQuerySet


class ActivityAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    SIGN_IN = "sign_in", _("Signed in")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")
    PERMISSION = "permission", _("Permissions changed")


# Labels of what events (sign-ins, exports, downloads) record besides field changes.
EVENT_DETAIL_LABELS = {
    "address": _("Network address"),
    "format": _("Format"),
    "rows": _("Rows"),
    "what": _("What"),
    "file": _("File"),
    "sha256": _("SHA-256"),
    "sign_in_lockout": _("sign-in locked out (address of the failed attempts)"),
    "member": _("Member"),
    "role": _("Role"),
    "access": _("Access"),
    "token": _("API token"),
    "page": _("Page"),
}


# Where a change came from, as the log's reader says it.
SOURCE_LABELS = {
    "web": _("portal"),
    "api": _("API"),
    "task": _("scheduled task"),
    "import": _("import"),
    "system": _("system"),
    "command": _("command line"),
    "public": _("public page"),
}

M2M_VERBS = {"added": _("added"), "removed": _("removed")}


def display_value(field, value):
    """A recorded value as a person reads it: the choice's label, yes/no, a date or time in the
    reader's language and Asia/Almaty; None (shown as "—") for nothing. Unknown values as recorded."""
    if value is None or value == "" or value == []:
        return None
    if field is None:
        return value
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)
    ):
        # A structured record (questionnaire answers, a rationale): kept whole in the log and its
        # export, shown on its own page, not as code here.
        return _("recorded in detail")
    if isinstance(value, list):
        return ", ".join(str(display_value(field, item)) for item in value)
    choices = getattr(field, "flatchoices", None)
    if choices:
        labels = {str(key): label for key, label in choices}
        return labels.get(str(value), value)
    base = getattr(field, "base_field", None)  # a list of choices (ArrayField-like)
    if base is not None and getattr(base, "flatchoices", None):
        return display_value(base, value)
    if isinstance(field, models.BooleanField):
        return _("yes") if value in (True, "true", "True", 1) else _("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value[:10])
        if day is not None:
            return formats.date_format(day, "DATE_FORMAT")
    return value


def _change_wording(model, *, memo: bool = False):
    """`wording(name)` → (field or None, label, hidden, word) for a recorded change of `model`,
    where `word(value)` is a recorded value as `display_value` (or the model's own wording) says it.

    With `memo` (one export, in one language), each name is looked up once, its label kept as
    text, and each value of a field of choices or yes/no worded once and kept as text: those
    values are few and translated; others are worded as they come, so what is kept stays as small
    as the choices whatever the length of the log.
    """
    # The parts of a generic relation (content type, object id) are plumbing, not something a
    # person changed: the record's object already says what it concerns.
    hidden = {
        part
        for generic in (model._meta.private_fields if model else ())
        for part in (getattr(generic, "ct_field", None), getattr(generic, "fk_field", None))
        if part
    }
    own_words = hasattr(model, "activity_value_label")

    def wording(name):
        try:
            field = model._meta.get_field(name) if model else None
        except Exception:  # noqa: BLE001 - a field since removed keeps its recorded name
            field = None
        if field is not None and hasattr(field, "verbose_name"):
            label = field.verbose_name
        else:
            label = EVENT_DETAIL_LABELS.get(name, name)

        def word(value):
            if field is not None and own_words:
                # A model may word values that are names of other things (a fact's field name).
                return model.activity_value_label(field.name, value) or display_value(field, value)
            return display_value(field, value)

        if memo:
            label = str(label)
            if field is not None and (
                getattr(field, "flatchoices", None) or isinstance(field, models.BooleanField)
            ):
                word = _remembered(word)
        return field, label, field is not None and field.name in hidden, word

    return functools.lru_cache(maxsize=None)(wording) if memo else wording


def _remembered(word):
    """`word`, remembering as text what it says of each plain value."""
    said = {}

    def remembered(value):
        if value.__class__ not in _PLAIN:  # lists and structures: worded each time
            return word(value)
        key = (value.__class__, value)  # the type too: 1 and True are equal keys
        if key not in said:
            wording = word(value)
            said[key] = str(wording) if isinstance(wording, Promise) else wording
        return said[key]

    return remembered


_PLAIN = (str, int, float, bool, type(None))


class ActivityRecordQuerySet(RestrictedQuerySet):
    def _restrict_to_granted_systems(self, membership):
        # An auditor reads the whole history of the systems granted to them, and nothing else: the
        # records of a system and of everything recorded under it carry its id in `system_id`.
        return self.filter(system_id__in=granted_ids(membership))


class ActivityChainHead(models.Model):
    """The end of one organization's hash chain: writers lock this row, so records are chained one
    after another even when written concurrently."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"{self.organization_id}: {self.last_sequence}"


# Recorded events that are not a model field (written through `services.activity_record_change`).
class ActivityRecord(models.Model):
    """Who changed what, when, in which organization, with the before and after of each field."""

    # Indexes: an import appends hundreds of thousands of records, and each index costs on every
    # row. Every read is of one organization's records (by time, object, parent, request or
    # sequence): the composite indexes below serve them, and the organization's protection, so
    # the organization, the time, the request and the two content types have none of their own.
    # (Deleting a content type, which never happens while its model exists, scans the table.)
    # Nor do its references have foreign-key constraints in the database: the one writer takes them
    # from live objects, the log is append-only and outlives what it describes (as `system_id`
    # does), the hash chain is its check, and the ORM still protects them (`on_delete` is Django's).
    # A constraint would check each of the hundreds of thousands of records an import appends,
    # four lookups a record: more than writing the records themselves.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
        db_index=False,
        db_constraint=False,
    )
    # Set by the writer before hashing (not auto_now_add, which would overwrite it on save).
    timestamp = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        db_constraint=False,
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    source = models.CharField(_("source"), max_length=20)
    request_id = models.CharField(_("request id"), max_length=64)
    action = models.CharField(_("action"), max_length=10, choices=ActivityAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    # Related objects (e.g. the AI system a party link belongs to), so a detail page can show
    # the history of everything around it with one indexed query.
    parent_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    parent_object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict)  # {field: [before, after]}
    # The AI system the record concerns (the object itself or the system it belongs to), kept as a
    # plain id: the log outlives what it describes and the platform does not depend on the register.
    system_id = models.BigIntegerField(_("AI system"), null=True, blank=True, db_index=True)
    sequence = models.BigIntegerField(_("sequence"), null=True, editable=False)
    previous_hash = models.CharField(
        _("hash of the previous record"), max_length=64, blank=True, editable=False
    )
    record_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = ActivityRecordQuerySet.as_manager()
    system_path = None

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["organization", "content_type", "object_id"]),
            models.Index(fields=["organization", "parent_content_type", "parent_object_id"]),
            models.Index(fields=["organization", "-timestamp"]),
            # The log's filter by request (every change of one request or job).
            models.Index(fields=["organization", "request_id"], name="activity_org_request"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "sequence"], name="activity_unique_sequence"),
        ]
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")

    def __str__(self):
        return (
            f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk:
            raise RuntimeError("Activity records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Activity records are append-only.")

    def labelled_changes(self, memo: dict | None = None) -> list[dict]:
        """The changes with each field's translated label, for display.

        A foreign key's before/after is the related object's id as recorded; when the record went
        through `selectors.activity_with_labels` (one query per related model for a whole page),
        the id is shown as that object's name instead.

        `memo`, one dict kept across the records of an export, remembers each field's label and
        the wording of each choice and yes/no as text (`_change_wording`): an export of 20,000
        records then translates each once, instead of several labels per change of every record.
        """
        model = self.content_type.model_class()
        related_labels = self.__dict__.get("related_labels")
        if memo is None:
            wording = _change_wording(model)
        else:
            wording = memo.get(model) or memo.setdefault(model, _change_wording(model, memo=True))
        rows = []
        for name, change in self.changes.items():
            field, label, hidden, word = wording(name)
            if hidden:
                continue
            if isinstance(change, dict):  # many-to-many: {"added": [...]} / {"removed": [...]}
                summary = {str(M2M_VERBS.get(verb, verb)): items for verb, items in change.items()}
                rows.append({"label": label, "summary": summary})
                continue
            before, after = (list(change) + [None, None])[:2]
            if related_labels is not None and is_labelled_relation(field):
                labels = related_labels.get(field.related_model, {})
                before, after = (None if v is None else labels.get(str(v), v) for v in (before, after))
            else:
                before, after = word(before), word(after)
            rows.append({"label": label, "before": before, "after": after})
        return rows

    def get_source_display(self) -> str:
        return str(SOURCE_LABELS.get(self.source, self.source))


def is_labelled_relation(field) -> bool:
    """A recorded field whose value is the id of another object (a foreign key or one-to-one)."""
    return field is not None and field.concrete and bool(field.many_to_one or field.one_to_one)
