from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from kzai.accounts.models import Organization, User
from kzai.activity.models import ActivityAction, ActivityRecord, is_labelled_relation
from kzai.core.models import TenantModel


def activity_for_object(obj, *, membership):
    """The history of one object and of everything recorded under it (its components, links…)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return (
        ActivityRecord.objects.restrict(membership)
        .filter(
            Q(content_type=content_type, object_id=str(obj.pk))
            | Q(parent_content_type=content_type, parent_object_id=str(obj.pk))
        )
        .select_related("content_type")
    )


def activity_with_labels(records, *, membership) -> list[ActivityRecord]:
    """The records, with every foreign key change shown as the related object's name.

    The ids are collected across the whole page and resolved with one query per related model
    (a page of fifty records costs the same as a page of one), always within the membership's own
    organization and what it may see: an id that is not found there is shown as an id, never as
    another organization's name.
    """
    records = list(records)
    wanted = defaultdict(set)
    for record in records:
        model = record.content_type.model_class()
        if model is None:
            continue
        for name, change in record.changes.items():
            if isinstance(change, dict):
                continue
            try:
                field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a field since removed: nothing to resolve
                continue
            if is_labelled_relation(field):
                wanted[field.related_model].update(str(v) for v in change if v not in (None, ""))
    labels = {model: _labels_for(model, ids, membership) for model, ids in wanted.items()}
    for record in records:
        record.related_labels = labels
    return records


def _visible(model, membership):
    """The rows of `model` the membership may name: its own organization's, restricted by role."""
    manager = model._default_manager
    if issubclass(model, TenantModel):
        return manager.restrict(membership).select_related()
    if model is Organization:
        return manager.filter(pk=membership.organization_id)
    if model is User:
        return manager.filter(memberships__organization_id=membership.organization_id).distinct()
    if any(f.name == "organization" for f in model._meta.concrete_fields):  # memberships, tokens…
        return manager.filter(organization_id=membership.organization_id).select_related()
    # No organization at all: shared reference data (content types, the law's requirement library).
    return manager.select_related()


def _labels_for(model, ids, membership) -> dict[str, str]:
    """`{str(pk): label}` for the given ids of one model, in one query (two when some are missing)."""
    pks = {}
    for raw in ids:
        try:
            pks[raw] = model._meta.pk.to_python(raw)
        except (ValidationError, TypeError, ValueError):
            continue  # not an id of this model (a since-changed field): shown as recorded
    found = {str(obj.pk): str(obj) for obj in _visible(model, membership).filter(pk__in=pks.values())}
    missing = [pk for raw, pk in pks.items() if raw not in found]
    hidden = set()
    if missing and any(f.name == "organization" for f in model._meta.concrete_fields):
        # Still in this organization but outside what the role may see (an auditor's ungranted
        # system): say so rather than calling it deleted. Names stay hidden.
        hidden = {
            str(pk)
            for pk in model._base_manager.filter(
                organization_id=membership.organization_id, pk__in=missing
            ).values_list("pk", flat=True)
        }
    for raw in pks:
        if raw not in found:
            if raw in hidden:
                found[raw] = _("#%(id)s (not visible to you)") % {"id": raw}
            else:
                found[raw] = _("#%(id)s (deleted)") % {"id": raw}
    return found


def activity_rows(records):
    """The records as spreadsheet rows, header first: time in the portal's zone (Asia/Almaty),
    who, the kind of entry and of object as labels, and what changed as "field: before → after"."""
    from django.utils import timezone

    yield [
        _("Time"),
        _("Who"),
        _("Kind of change"),
        _("Object type"),
        _("Object"),
        _("AI system"),
        _("Changes"),
        _("Request id"),
        _("Sequence"),
        _("Hash"),
    ]
    # Words that repeat on every row are translated once per export, not per row.
    actions = {key: str(label) for key, label in ActivityAction.choices}
    object_types = {}
    memo = {}
    for record in records.iterator(chunk_size=500):
        object_type = object_types.get(record.content_type_id)
        if object_type is None:
            model = record.content_type.model_class()
            object_type = str(model._meta.verbose_name) if model else record.content_type.model
            object_types[record.content_type_id] = object_type
        yield [
            timezone.localtime(record.timestamp).strftime("%d.%m.%Y %H:%M:%S"),
            record.actor_label,
            actions.get(record.action, record.action),
            object_type,
            record.object_repr,
            record.system_id or "",
            "; ".join(_change_text(row) for row in record.labelled_changes(memo)),
            record.request_id,
            record.sequence,
            record.record_hash,
        ]


def _change_text(row: dict) -> str:
    if "summary" in row:
        return f"{row['label']}: " + ", ".join(f"{k} {v}" for k, v in row["summary"].items())
    before = "—" if row["before"] in (None, "") else row["before"]
    after = "—" if row["after"] in (None, "") else row["after"]
    return f"{row['label']}: {before} → {after}"
