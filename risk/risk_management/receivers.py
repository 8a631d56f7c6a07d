"""Keeps review schedules in step with the register: a system entering or leaving operation (or
archived, restored) gets its review schedule and RISK_REVIEW deadline recomputed in the same
transaction as the change. Connected to `registry.signals.system_facts_changed` in `RiskConfig.ready()`."""

from registry.fields import Drives, facts_driving
from risk.risk_management.services import review_schedule_sync, review_schedules_sync_many

REVIEW_FACTS = facts_driving(Drives.REVIEW_SCHEDULE)


def on_system_facts_changed(sender, system, changed=(), **kwargs):
    if REVIEW_FACTS & set(changed):
        review_schedule_sync(system=system)


def on_many_systems_facts_changed(sender, systems, changed=(), **kwargs):
    if REVIEW_FACTS & set(changed):
        review_schedules_sync_many(systems=systems)
