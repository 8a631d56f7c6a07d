"""Celery tasks of the deadline mechanism. The daily sweep is scheduled by django-celery-beat
(`manage.py setup_schedule`)."""

from celery import shared_task

from kzai.activity.context import acting_as


@shared_task(name="deadlines.daily_sweep")
def daily_sweep() -> dict:
    """Daily: refresh review schedules (new first classifications), then send reminders and digests."""
    from kzai.deadlines.reminders import reminder_sweep
    from risk.risk_management.services import review_schedules_refresh

    with acting_as(None, source="task"):
        refreshed = review_schedules_refresh()
    result = reminder_sweep()
    return {"schedules": refreshed, **result.__dict__}


@shared_task(name="deadlines.reminder_sweep")
def reminder_sweep_task() -> dict:
    """Only the reminder sweep (what the worker test enqueues)."""
    from kzai.deadlines.reminders import reminder_sweep

    return reminder_sweep().__dict__


@shared_task(name="deadlines.send_notifications")
def send_notifications_task() -> int:
    """Send whatever the outbox still holds (e.g. after a crashed sweep)."""
    from kzai.deadlines.reminders import notifications_send

    return notifications_send()
