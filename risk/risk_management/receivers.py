"""Keeps review schedules in step with the register: a system entering or leaving operation (or
archived, restored) gets its review schedule and RISK_REVIEW deadline recomputed in the same
transaction as the change."""

from django.dispatch import receiver

from registry.fields import Drives, facts_driving
from registry.signals import system_facts_changed
from risk.risk_management.services import review_schedule_sync

REVIEW_FACTS = facts_driving(Drives.REVIEW_SCHEDULE)


@receiver(system_facts_changed, dispatch_uid="risk_register_review_schedule")
def _system_changed(sender, system, changed=(), **kwargs):
    if REVIEW_FACTS & set(changed):
        review_schedule_sync(system=system)
