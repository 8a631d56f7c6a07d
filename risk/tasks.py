"""Celery tasks of the risk register. Tasks take ids and call services; callers enqueue them with
`transaction.on_commit`, so a worker never reads data that was not committed."""

from celery import shared_task

from kzai.activity.context import acting_as


@shared_task(name="risk.review_schedule_sync")
def review_schedule_sync_task(system_id: int) -> bool:
    """Recompute one system's review schedule and its deadline (after its facts changed)."""
    from registry.models import AISystem
    from risk.register_services import review_schedule_sync

    system = AISystem.objects.filter(pk=system_id).first()
    if system is None:
        return False
    with acting_as(None, source="task"):
        review_schedule_sync(system=system)
    return True
