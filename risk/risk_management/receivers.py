"""Keeps review schedules in step with the register: a system entering or leaving operation gets
its review schedule (and RISK_REVIEW deadline) recomputed by a task after the change commits."""

from django.db import transaction
from django.dispatch import receiver

from registry.signals import system_facts_changed
from risk.risk_management.tasks import review_schedule_sync_task


@receiver(system_facts_changed, dispatch_uid="risk_register_review_schedule")
def _system_changed(sender, system, **kwargs):
    system_id = system.pk
    transaction.on_commit(lambda: review_schedule_sync_task.delay(system_id))
