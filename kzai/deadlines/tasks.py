"""Celery tasks of the deadline mechanism. The daily sweep is scheduled by django-celery-beat
(`manage.py setup_schedule`)."""

from celery import shared_task

from kzai.activity.context import acting_as
from kzai.deadlines.handlers import daily_handlers
from kzai.deadlines.reminders import notifications_send, reminder_sweep


@shared_task(name="deadlines.daily_sweep")
def daily_sweep() -> dict:
    """Daily: run the apps' registered handlers (e.g. refresh review schedules), then send reminders
    and digests. The result names each handler's outcome and the sweep's counts."""
    results = {}
    with acting_as(None, source="task"):
        for key, handler in daily_handlers().items():
            results[key] = handler()
    return {**results, **reminder_sweep().__dict__}


@shared_task(name="deadlines.reminder_sweep")
def reminder_sweep_task() -> dict:
    """Only the reminder sweep (what the worker test enqueues)."""
    return reminder_sweep().__dict__


@shared_task(name="deadlines.send_notifications")
def send_notifications_task() -> int:
    """Send whatever the outbox still holds (e.g. after a crashed sweep)."""
    return notifications_send()
