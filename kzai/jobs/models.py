"""Background jobs: long work (imports, renders, large exports) run by a Celery worker.

A job belongs to one organization and to the member who started it. It is platform bookkeeping,
not compliance data: the work a job does is recorded in the activity log by the services it calls,
so the job itself is not a `TrackedModel` and its progress may be written with `update()`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet, TimeStampedModel
from kzai.core.roles import Action
from kzai.jobs import kinds
from kzai.jobs.choices import FINISHED_STATUSES, JobStatus


def job_input_path(job: Job, filename: str) -> str:
    """Input files live under the organization's folder, named by a random token (never guessable).

    The default storage is private: nothing under MEDIA_ROOT is served by the portal's URLs.
    """
    extension = ""
    if "." in filename:
        extension = "." + filename.rsplit(".", 1)[1].lower()[:8]
    return f"jobs/{job.organization_id}/{uuid.uuid4().hex}{extension}"


class JobQuerySet(RestrictedQuerySet):
    def restrict(self, membership, action: str = Action.VIEW) -> JobQuerySet:
        """A member sees only the jobs they started, in this organization, of kinds their role may run.

        A job's result holds what its creator could reach (an auditor's export holds only the
        systems granted to them), so nobody else reads it, and a member whose role no longer allows
        a kind no longer sees its jobs.
        """
        if membership is None or not membership.allows(action):
            return self.none()
        return self.filter(
            organization_id=membership.organization_id,
            created_by_id=membership.user_id,
            kind__in=kinds.allowed_kinds(membership),
        )


def progress_cache_key(job_id: int) -> str:
    return f"kzai:jobs:{job_id}:progress"


class Job(TimeStampedModel):
    """One run of a registered job kind, with its status, progress and JSON result."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    kind = models.CharField(_("kind"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to=job_input_path, max_length=300, blank=True)
    input_name = models.CharField(_("input file name"), max_length=255, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("started by")
    )
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    # Not tied to an AI system: every member, auditors included, sees the jobs they started.
    system_path = None
    visible_to_object_scoped_roles = True

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "created_by", "-created_at"])]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return f"{self.kind_label} #{self.pk}"

    @property
    def kind_label(self) -> str:
        kind = kinds.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    def live_progress(self) -> tuple[int, int]:
        """(done, total): while running, the worker's latest report (kept in the cache, since the
        work may run inside one long transaction whose writes nobody else can read yet)."""
        if self.status == JobStatus.RUNNING:
            cached = cache.get(progress_cache_key(self.pk))
            if cached:
                return int(cached[0]), int(cached[1])
        return self.progress_done, self.progress_total

    @property
    def percent(self) -> int:
        done, total = self.live_progress()
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(done * 100 / total) if total else 0

    def result_url(self) -> str:
        kind = kinds.get(self.kind)
        if kind is None or kind.result_url is None or not self.is_finished:
            return ""
        return kind.result_url(self)
