"""Celery task of the job platform: takes a job's id and calls the service."""

from celery import shared_task

from kzai.jobs import services


@shared_task(name="jobs.run", acks_late=True, soft_time_limit=30 * 60, time_limit=31 * 60)
def run_job_task(job_id: int) -> str:
    """Run one queued job (see `kzai.jobs.services.job_run`); returns its final status."""
    job = services.job_run(job_id=job_id)
    return job.status if job is not None else "missing"
