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
    re-opens reminders for the new date: the reminder log is keyed by deadline and due date.
    """
    content_type = ContentType.objects.get_for_model(type(source))
    existing = Deadline.objects.filter(content_type=content_type, object_id=str(source.pk), kind=kind).first()
    if due_on is None:
        if existing is not None:
            existing.delete()
        return None
    deadline = existing or Deadline(
        organization_id=source.organization_id, content_type=content_type, object_id=str(source.pk), kind=kind
    )
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
