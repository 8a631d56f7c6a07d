"""The register's background jobs: the AI-system import (its dry run and its commit).

Registered with the platform's job kinds in `RegistryConfig.ready()`. The uploaded file is kept in
private storage under the organization's folder (`kzai.jobs`) from the dry run to the commit, and
deleted once the commit has imported it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kzai.core.roles import Action
from kzai.jobs import kinds
from kzai.jobs.kinds import JobError
from kzai.jobs.models import Job
from kzai.jobs.services import job_input_delete
from registry import transfer

IMPORT_SYSTEMS = "registry.import_systems"


def _result(result: transfer.ImportResult) -> dict:
    shown = [h for h in result.headers if h in transfer.COLUMN_BY_HEADER]
    data = result.as_dict()
    data["headers"] = shown
    for row, out in zip(result.rows, data["rows"], strict=True):
        out["values"] = {h: row.values.get(h, "") for h in shown}
    return data


def run_import(*, job, membership, progress) -> dict:
    """Check (`dry_run`) or import the job's file as `membership`, in its organization."""
    dry_run = bool(job.params.get("dry_run"))
    try:
        with job.input_file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        raise JobError(_("This import is no longer available: upload the file again."))
    try:
        result = transfer.import_systems(
            organization=membership.organization,
            filename=job.input_name,
            content=content,
            dry_run=dry_run,
            progress=progress,
        )
    except transfer.ImportFileError as error:
        raise JobError(" ".join(error.messages), result={"file_errors": error.messages})
    data = _result(result)
    if dry_run:
        return data
    if not result.ok:
        # The register changed since the dry run (e.g. a code taken meanwhile): nothing was saved.
        raise JobError(
            _("Nothing was imported: %(count)s rows have errors.") % {"count": len(result.error_rows)},
            result=data,
        )
    job_input_delete(job=job)
    return data


def stale_import_uploads_delete(*, now=None) -> int:
    """Delete the files of imports checked but never imported, once they are older than
    `KZAI_IMPORT_UPLOAD_HOURS`: an upload must not stay in storage because nobody committed it.
    A commit started later answers that the file is no longer available."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.KZAI_IMPORT_UPLOAD_HOURS)
    stale = Job.objects.filter(kind=IMPORT_SYSTEMS, created_at__lt=cutoff).exclude(input_file="")
    deleted = 0
    for job in stale.iterator():
        if job.input_file.storage.exists(job.input_file.name):
            job_input_delete(job=job)
            deleted += 1
    return deleted


def import_result_url(job) -> str:
    return f"{reverse('registry:system_import')}?job={job.pk}"


def register_job_kinds() -> None:
    kinds.register(
        IMPORT_SYSTEMS,
        action=Action.IMPORT,
        label=gettext_lazy("Import of AI systems"),
        run=run_import,
        result_url=import_result_url,
    )
