"""Starting, running and finishing background jobs.

`job_start` records a queued job and enqueues its run once the transaction commits (the worker
must find the row). `job_run` (called by the Celery task with the job's id) claims the job, re-reads
the creator's membership so the rights at run time apply, and runs the registered kind as that user
(the activity log attributes the work to them, with the request id of the request that started
it), in the language they used. Progress goes to the cache as it happens and to the row when it
is safe (outside a transaction) and at the end.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kzai.accounts.models import Membership
from kzai.activity.context import acting_as
from kzai.activity.context import current as current_activity
from kzai.jobs import kinds
from kzai.jobs.choices import JobStatus
from kzai.jobs.kinds import JobError
from kzai.jobs.models import Job, progress_cache_key

logger = logging.getLogger(__name__)

PROGRESS_TTL = 24 * 3600


class ProgressReporter:
    """`progress(done, total)`: report how far a job is; cheap to call for every row.

    Reports are throttled to one per `interval` seconds (the last one always gets through).
    """

    def __init__(self, job: Job, interval: float = 0.5):
        self.job = job
        self.interval = interval
        self.done = 0
        self.total = 0
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        self.done = min(done, self.total) if self.total else done
        now = time.monotonic()
        if now - self._last < self.interval and self.done < self.total:
            return
        self._last = now
        cache.set(progress_cache_key(self.job.pk), (self.done, self.total), PROGRESS_TTL)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(progress_done=self.done, progress_total=self.total)


@transaction.atomic
def job_start(
    *,
    membership: Membership,
    kind: str,
    params: dict | None = None,
    input_file: File | None = None,
    input_name: str = "",
    input_from: Job | None = None,
) -> Job:
    """Queue a job of a registered kind for `membership`; it runs after the transaction commits.

    `input_file` is stored privately under the organization's folder; `input_from` reuses the
    stored input of an earlier job of the same organization (e.g. a commit after a dry run).
    """
    job_kind = kinds.get(kind)
    if job_kind is None:
        raise ValueError(f"Unknown job kind: {kind}")  # a programming error: kinds are registered
    if not membership.allows(job_kind.action):
        raise PermissionDenied(_("Your role in this organization does not allow this action."))
    job = Job(
        organization_id=membership.organization_id,
        kind=kind,
        params=params or {},
        created_by_id=membership.user_id,
        input_name=input_name,
        request_id=current_activity().request_id,
        language=translation.get_language() or "",
    )
    if input_from is not None:
        if input_from.organization_id != membership.organization_id:
            raise ValueError("A job's input must come from the same organization.")
        job.input_file.name = input_from.input_file.name
        job.input_name = input_name or input_from.input_name
    elif input_file is not None:
        job.input_file.save(input_name or getattr(input_file, "name", "") or "input", input_file, save=False)
        job.input_name = input_name or getattr(input_file, "name", "")
    job.full_clean()
    job.save()
    job_id = job.pk

    def enqueue():
        from kzai.jobs.tasks import run_job_task

        run_job_task.delay(job_id)

    transaction.on_commit(enqueue)
    return job


def _finish(job: Job, status: str, *, result: dict | None = None, error: str = "") -> Job:
    job.status = status
    job.result = result or {}
    job.error = error
    job.finished_at = timezone.now()
    if status == JobStatus.SUCCEEDED and job.progress_total:
        job.progress_done = job.progress_total
    job.save(
        update_fields=[
            "status",
            "result",
            "error",
            "finished_at",
            "progress_done",
            "progress_total",
            "updated_at",
        ]
    )
    cache.delete(progress_cache_key(job.pk))
    return job


def job_run(*, job_id: int) -> Job | None:
    """Run a queued job to its end (succeeded or failed); a job already claimed is left alone."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not claimed:
        return job  # unknown, or delivered twice: the first delivery runs it
    with translation.override(job.language or None):
        job_kind = kinds.get(job.kind)
        if job_kind is None:
            return _finish(job, JobStatus.FAILED, error=_("This kind of job is no longer available."))
        membership = (
            Membership.objects.active()
            .select_related("organization", "user")
            .filter(user_id=job.created_by_id, organization_id=job.organization_id)
            .first()
        )
        if membership is None or not membership.allows(job_kind.action):
            return _finish(
                job,
                JobStatus.FAILED,
                error=_("You no longer have the right to do this in this organization."),
            )
        progress = ProgressReporter(job)
        try:
            with acting_as(membership.user, source="task", request_id=job.request_id or None):
                result = job_kind.run(job=job, membership=membership, progress=progress)
        except JobError as error:
            return _finish(job, JobStatus.FAILED, result=error.result, error=error.message)
        except Exception:  # noqa: BLE001 - any failure must end the job, and is logged in full
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            return _finish(
                job,
                JobStatus.FAILED,
                error=_(
                    "The job stopped on an unexpected error. Try again, and if it fails again, tell "
                    "your administrator (reference %(reference)s)."
                )
                % {"reference": f"job {job.pk}"},
            )
        job.progress_done, job.progress_total = progress.done, progress.total
        return _finish(job, JobStatus.SUCCEEDED, result=result)


def job_input_delete(*, job: Job) -> None:
    """Delete a job's stored input file (once it is no longer needed, e.g. after a commit)."""
    if job.input_file.name:
        job.input_file.storage.delete(job.input_file.name)


def stale_jobs_fail(*, now=None) -> int:
    """Mark failed the jobs still "running" `KZAI_JOB_STALE_MINUTES` after they started: their worker
    died (restarted, killed for memory) without finishing them, and nothing else ever would. The
    reason is written in the language of the person who started the job. Returns how many."""
    from datetime import timedelta

    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.KZAI_JOB_STALE_MINUTES)
    failed = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff).only("pk", "language"):
        with translation.override(job.language or None):
            reason = _(
                "The job stopped without finishing: the server running it was restarted or ran out "
                "of memory. Start it again."
            )
        # Only if still running: a worker that finishes it meanwhile wins.
        failed += Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=reason, finished_at=now, updated_at=now
        )
        cache.delete(progress_cache_key(job.pk))
    return failed
