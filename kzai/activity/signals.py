"""The single recorder of the activity log.

Every `TrackedModel` subclass is recorded on save and delete, and many-to-many changes are recorded
on the owning object, so no capability can change compliance data without a trace. Bulk queryset
operations (`update()`, `bulk_create()`) bypass signals: services must not use them on tracked models,
except with `kzai.activity.services.activity_record_bulk` recording the same changes (or, for rows
written without model instances by `kzai.core.bulk`, `activity_rows_write` with `record_values`'
columns).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from kzai.accounts.models import User
from kzai.activity import context as activity_context
from kzai.activity.chain import chain_append
from kzai.activity.models import ActivityAction, ActivityRecord
from kzai.core.models import TrackedModel, json_safe


def _parent(instance):
    parent = getattr(instance, "activity_parent", None)
    parent = parent() if callable(parent) else parent
    if parent is None:
        return None, ""
    return ContentType.objects.get_for_model(parent), str(parent.pk)


def _system_id(instance):
    """The id of the AI system `instance` belongs to, following its model's `system_path`, or None
    (an object of the whole organization, or one shared by several systems)."""
    path = getattr(type(instance), "system_path", None)
    if path is None:
        return None
    if path == "":
        return instance.pk
    *hops, last = path.split("__")
    target = instance
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None or hasattr(target, "all"):
            return None  # through a many-to-many: no single system
    return getattr(target, f"{last}_id", None)


def _actor_label(ctx) -> str:
    """The acting user's e-mail, read once per activity context."""
    if not ctx.user_id:
        return ""
    if ctx.actor_label is None:
        ctx.actor_label = User.objects.filter(pk=ctx.user_id).values_list("email", flat=True).first() or ""
    return ctx.actor_label


def context_values(*, actor=None) -> dict:
    """Who is acting and from where, as a record stores it: `actor` or else the current activity
    context (the request's or the task's user)."""
    ctx = activity_context.current()
    return {
        "actor_id": actor.pk if actor is not None else ctx.user_id,
        "actor_label": actor.email if actor is not None else _actor_label(ctx),
        "source": ctx.source,
        "request_id": ctx.request_id,
    }


def record_values(instance, action: str, changes: dict, *, context: dict) -> dict:
    """The values of a record of `action` on `instance` (the columns of `ActivityRecord` by attribute
    name, `chain.ROW_FIELDS`), with `context` from `context_values`."""
    parent_ct, parent_id = _parent(instance)
    return {
        "organization_id": instance.organization_id,
        **context,
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(type(instance)).pk,
        "object_id": str(instance.pk),
        "object_repr": str(instance)[:300],
        "parent_content_type_id": parent_ct.pk if parent_ct is not None else None,
        "parent_object_id": parent_id,
        "changes": changes,
        "system_id": _system_id(instance),
    }


def _record(instance, action: str, changes: dict, *, actor=None) -> ActivityRecord:
    """An unsaved record of `action` on `instance`, attributed to `actor` or else to the current
    activity context (the request's or the task's user)."""
    return ActivityRecord(**record_values(instance, action, changes, context=context_values(actor=actor)))


def created_changes(snapshot: dict) -> dict:
    """What the record of a creation holds: each field set, as {field: [None, value]}."""
    # A truthy value is set; of the others, False and 0 are values too.
    return {
        name: [None, value]
        for name, value in snapshot.items()
        if value or not (value is None or value == "" or value == [] or value == {})
    }


def _write(instance, action: str, changes: dict, *, actor=None) -> ActivityRecord:
    """Append one record about `instance` to its organization's chain."""
    return chain_append(_record(instance, action, changes, actor=actor))


@receiver(post_save, dispatch_uid="kzai_activity_post_save")
def record_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, TrackedModel):
        return
    after = instance.activity_snapshot()
    if created:
        _write(instance, ActivityAction.CREATE, created_changes(after))
    else:
        before = getattr(instance, "_activity_snapshot", None) or {}
        changes = {
            name: [before.get(name), value] for name, value in after.items() if before.get(name) != value
        }
        if not changes:
            return  # a save that changed nothing is not a change
        _write(instance, ActivityAction.UPDATE, changes)
    instance._activity_snapshot = after


@receiver(post_delete, dispatch_uid="kzai_activity_post_delete")
def record_delete(sender, instance, **kwargs):
    if not isinstance(instance, TrackedModel):
        return
    before = getattr(instance, "_activity_snapshot", None) or instance.activity_snapshot()
    _write(instance, ActivityAction.DELETE, {name: [value, None] for name, value in before.items()})


@receiver(m2m_changed, dispatch_uid="kzai_activity_m2m")
def record_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if (
        reverse
        or not isinstance(instance, TrackedModel)
        or action not in ("post_add", "post_remove", "post_clear")
    ):
        return
    field_name = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), "related"
    )
    labels = sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set or []))
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    _write(instance, ActivityAction.UPDATE, {field_name: {verb: json_safe(labels)}})
