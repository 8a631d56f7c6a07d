"""Writes to the deadline table. Apps call these; they never write `Deadline` rows themselves."""

from __future__ import annotations

import datetime

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


def deadlines_create_new(*, entries: list[dict]) -> list[Deadline]:
    """Create the deadlines of sources that were just created (and so owe none yet), in one insert.

    Each entry holds `deadline_sync`'s arguments; entries without a due date are skipped. The
    organization, responsible member and system are the new source's own, so their foreign-key
    lookups are skipped; the creations are recorded in the activity log like single saves.
    """
    from kzai.activity.models import ActivityAction
    from kzai.activity.services import activity_record_bulk

    deadlines = []
    for entry in entries:
        if entry.get("due_on") is None:
            continue
        source = entry["source"]
        deadline = Deadline(
            organization_id=source.organization_id,
            content_type=ContentType.objects.get_for_model(type(source)),
            object_id=str(source.pk),
            kind=entry["kind"],
            title=entry["title"][:300],
            due_on=entry["due_on"],
            responsible=entry.get("responsible"),
            system=entry.get("system"),
            url=entry.get("url", ""),
            completed_at=timezone.now() if entry.get("completed") else None,
        )
        deadline.full_clean(exclude=["content_type", "organization", "responsible", "system"])
        deadlines.append(deadline)
    Deadline.objects.bulk_create(deadlines)
    activity_record_bulk([(d, ActivityAction.CREATE, None) for d in deadlines])
    return deadlines


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
