"""Create or update the beat schedule in the database (django-celery-beat). Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask


class Command(BaseCommand):
    help = (
        "Create or update the periodic tasks (daily reminder sweep, outbox flush) in the beat "
        "database schedule."
    )

    def handle(self, *args, **options):
        for name, spec in settings.KZAI_BEAT_SCHEDULE.items():
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=spec["minute"],
                hour=spec["hour"],
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            task, created = PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": spec["task"], "crontab": crontab, "enabled": True}
            )
            self.stdout.write(f"{'created' if created else 'updated'} {task.name}: {task.task} at {crontab}")
