"""Keeps review schedules in step with the register: a system entering or leaving operation gets
its review schedule (and RISK_REVIEW deadline) recomputed by a task after the change commits.
Connected to `registry.signals.system_facts_changed` in `RiskConfig.ready()`."""

from django.db import transaction

from risk.risk_management.tasks import review_schedule_sync_task


def on_system_facts_changed(sender, system, **kwargs):
    system_id = system.pk
    transaction.on_commit(lambda: review_schedule_sync_task.delay(system_id))
