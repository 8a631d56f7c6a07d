"""Celery tasks of the deadline mechanism. The daily sweep is scheduled by django-celery-beat
(`manage.py setup_schedule`)."""

import smtplib

from celery import shared_task

from kzai.activity.context import acting_as
from kzai.deadlines.handlers import daily_handlers
from kzai.deadlines.reminders import notifications_send, reminder_sweep

# Tasks that send e-mail: a mail server that refuses, drops the connection or times out raises one
# of these; the task is retried after 1, 2, 4 … minutes (at most an hour apart). The work is
# idempotent (see Notification), so a retry never sends a message twice that was stamped sent.
# Time limits stop a hung SMTP conversation: the soft one raises inside the task (the open batch
# rolls back, unsent), the hard one kills the worker process (prefork pool) a minute later.
SENDS_MAIL = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 60 * 60,
    "retry_jitter": False,
    "max_retries": 8,
}


@shared_task(name="deadlines.daily_sweep", soft_time_limit=30 * 60, time_limit=31 * 60, **SENDS_MAIL)
def daily_sweep() -> dict:
    """Daily: run the apps' registered handlers (e.g. refresh review schedules), then send reminders
    and digests. The result names each handler's outcome and the sweep's counts."""
    results = {}
    with acting_as(None, source="task"):
        for key, handler in daily_handlers().items():
            results[key] = handler()
    return {**results, **reminder_sweep().__dict__}


@shared_task(name="deadlines.send_notifications", soft_time_limit=4 * 60, time_limit=5 * 60, **SENDS_MAIL)
def send_notifications_task() -> int:
    """Send whatever the outbox holds: queued by an invitation, scheduled by beat every few minutes
    (whatever a crashed sweep or a mail server outage left)."""
    return notifications_send()
