"""Writes to the deadline table. Apps call these; they never write `Deadline` rows themselves."""

from __future__ import annotations

import datetime
import operator
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from kzai.deadlines.models import Deadline, Notification


@transaction.atomic
def deadline_sync(
    *,
    source,
    kind: str,
    due_on: datetime.date | None,
    title: str,
    responsible=None,
    system=None,
    url: str = "",
    completed: bool = False,
) -> Deadline | None:
    """Keep the one deadline of `kind` owed by `source` in step with it.

    A `due_on` of None removes the deadline (the source no longer owes one). Changing the due date
    re-opens reminders for the new date: the reminder log is keyed by deadline and due date. A
    withdrawn deadline stays withdrawn (`deadlines_restore` brings it back).
    """
    content_type = ContentType.objects.get_for_model(type(source))
    existing = Deadline.objects.filter(content_type=content_type, object_id=str(source.pk), kind=kind).first()
    if due_on is None:
        if existing is not None:
            existing.delete()
        return None
    if existing is not None and _unchanged(existing, title, due_on, responsible, system, url, completed):
        return existing  # nothing to write (nor to record)
    deadline = existing or Deadline(
        organization_id=source.organization_id, content_type=content_type, object_id=str(source.pk), kind=kind
    )
    if deadline.pk is None and getattr(system, "archived_at", None) is not None:
        # A new deadline of a system out of the active register starts withdrawn, like its others.
        deadline.withdrawn_at = timezone.now()
    deadline.title = title[:300]
    deadline.due_on = due_on
    deadline.responsible = responsible
    deadline.system = system
    deadline.url = url
    if completed and deadline.completed_at is None:
        deadline.completed_at = timezone.now()
    elif not completed:
        deadline.completed_at = None
    deadline.full_clean(exclude=["content_type"])
    deadline.save()
    return deadline


def _unchanged(deadline: Deadline, title, due_on, responsible, system, url, completed) -> bool:
    return (
        deadline.title == title[:300]
        and deadline.due_on == due_on
        and deadline.responsible_id == getattr(responsible, "pk", None)
        and deadline.system_id == getattr(system, "pk", None)
        and deadline.url == url
        and (deadline.completed_at is not None) == bool(completed)
    )


@transaction.atomic
def deadlines_withdraw(*, system) -> int:
    """Withdraw every open deadline `system` owes, whatever its source (the system was archived).

    The rows keep their due dates and reminder history; the sweep and the open lists skip them.
    Returns how many were withdrawn.
    """
    now = timezone.now()
    deadlines = list(Deadline.objects.filter(system=system, withdrawn_at__isnull=True))
    for deadline in deadlines:  # saved one by one, so the activity log records each
        deadline.withdrawn_at = now
        deadline.save()
    return len(deadlines)


@transaction.atomic
def deadlines_restore(*, system) -> int:
    """Bring back the deadlines withdrawn by `deadlines_withdraw`, with the due dates they had."""
    deadlines = list(Deadline.objects.filter(system=system, withdrawn_at__isnull=False))
    for deadline in deadlines:
        deadline.withdrawn_at = None
        deadline.save()
    return len(deadlines)


# The columns of a new deadline's row, and the defaults of those left unset (read from the model).
_DEADLINE_FIELDS = tuple(f.attname for f in Deadline._meta.concrete_fields if not f.primary_key)
_deadline_row = operator.itemgetter(*_DEADLINE_FIELDS)
_DEADLINE_DEFAULTS = {f.attname: f.get_default() for f in Deadline._meta.concrete_fields if not f.primary_key}


class _NewDeadline(SimpleNamespace):
    """A new deadline as plain values by attribute name, written as a row (`kzai.core.bulk`)."""

    __str__ = Deadline.__str__


def deadlines_create_new(*, source_model, entries: list[dict]) -> int:
    """Create the deadlines of sources of `source_model` that were just created (and so owe none
    yet) as plain rows in one bulk write, and record each creation as a single save records it.

    Each entry holds `deadline_sync`'s arguments; entries without a due date are skipped. Nothing
    is cleaned per row: the sources were validated, and their organization, responsible member and
    system are the source's own. Returns how many deadlines were created.
    """
    from kzai.activity.models import ActivityAction
    from kzai.activity.services import activity_rows_write
    from kzai.activity.signals import context_values, created_changes
    from kzai.core.bulk import bulk_insert

    content_type = ContentType.objects.get_for_model(source_model).pk
    now = timezone.now()
    deadlines = []
    for entry in entries:
        if entry.get("due_on") is None:
            continue
        source, responsible, system = entry["source"], entry.get("responsible"), entry.get("system")
        deadlines.append(
            _NewDeadline(
                **{
                    **_DEADLINE_DEFAULTS,
                    "created_at": now,
                    "updated_at": now,
                    "organization_id": source.organization_id,
                    "content_type_id": content_type,
                    "object_id": str(source.pk),
                    "kind": entry["kind"],
                    "title": entry["title"][:300],
                    "due_on": entry["due_on"],
                    "responsible_id": responsible.pk if responsible is not None else None,
                    "system_id": system.pk if system is not None else None,
                    "url": entry.get("url", ""),
                    "completed_at": now if entry.get("completed") else None,
                }
            )
        )
    if not deadlines:
        return 0
    ids = bulk_insert(
        Deadline,
        _DEADLINE_FIELDS,
        [_deadline_row(d.__dict__) for d in deadlines],
        return_ids=True,
    )
    context = context_values()
    deadline_type = ContentType.objects.get_for_model(Deadline).pk
    snapshot_of = Deadline.activity_snapshot_of
    activity_rows_write(
        (
            {
                "organization_id": d.organization_id,
                **context,
                "action": ActivityAction.CREATE,
                "content_type_id": deadline_type,
                "object_id": str(pk),
                "object_repr": str(d)[:300],
                "parent_content_type_id": None,  # a deadline has no activity parent
                "parent_object_id": "",
                "changes": created_changes(snapshot_of(d.__dict__)),
                "system_id": d.system_id,  # Deadline.system_path
            }
            for d, pk in zip(deadlines, ids, strict=True)
        ),
        organizations={d.organization_id for d in deadlines},
    )
    return len(deadlines)


def deadline_remove(*, source, kind: str) -> None:
    content_type = ContentType.objects.get_for_model(type(source))
    for deadline in Deadline.objects.filter(content_type=content_type, object_id=str(source.pk), kind=kind):
        deadline.delete()


def notification_mark_read(*, notification, read: bool = True):
    """Mark one of the member's own notifications read (or unread again)."""
    notification.read_at = timezone.now() if read else None
    notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, membership) -> int:
    """Mark every unread notification of the member read; returns how many."""
    # Notifications are messages, not compliance data: a queryset update is fine here.
    return Notification.objects.for_recipient(membership).unread().update(read_at=timezone.now())
