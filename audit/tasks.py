"""Celery tasks of the audit app. The daily access sweep is scheduled by django-celery-beat
(`KZAI_BEAT_SCHEDULE` in settings, written by `manage.py setup_schedule`)."""

from celery import shared_task


@shared_task(name="audit.access_sweep")
def access_sweep() -> int:
    """End auditors' access of engagements whose access period is over."""
    from audit.services import engagement_access_sweep

    return engagement_access_sweep()
