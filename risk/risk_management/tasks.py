"""Celery tasks of risk management. Tasks take ids and call services; callers enqueue them with
`transaction.on_commit`, so a worker never reads data that was not committed. Celery's autodiscovery
looks only at `risk/tasks.py`: these register when `receivers` imports them in `RiskConfig.ready`."""

from celery import shared_task

from kzai.activity.context import acting_as
from registry.models import AISystem
from risk.risk_management.services import review_schedule_sync, review_schedules_refresh


@shared_task(name="risk.review_schedule_sync")
def review_schedule_sync_task(system_id: int) -> bool:
    """Recompute one system's review schedule and its deadline (after its facts changed)."""
    system = AISystem.objects.filter(pk=system_id).first()
    if system is None:
        return False
    with acting_as(None, source="task"):
        review_schedule_sync(system=system)
    return True


@shared_task(name="risk.review_schedules_refresh")
def review_schedules_refresh_task() -> int:
    """Daily: recompute every schedule, which picks up first classifications approved since."""
    with acting_as(None, source="task"):
        return review_schedules_refresh()
