"""The register's background jobs: the AI-system import (its dry run and its commit), and the XLSX
export of a filtered register too large to build while the person waits.

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
EXPORT_SYSTEMS = "registry.export_systems"


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
        name = job.input_file.name
        if job.input_file.storage.exists(name):
            job_input_delete(job=job)
            deleted += 1
        # Forgotten once gone (by every job that named it: a dry run and its commit share the
        # file), so that the next day's sweep does not look for it again: the jobs to check stay
        # the few of the last day, not every import ever made.
        Job.objects.filter(input_file=name).update(input_file="")
    return deleted


def import_result_url(job) -> str:
    return f"{reverse('registry:system_import')}?job={job.pk}"


def run_export(*, job, membership, progress) -> dict:
    """Write the register, filtered as `params["query"]` (the list's query string), as an XLSX file
    in private storage, reading only what `membership` may see at run time."""
    import tempfile
    import uuid
    from types import SimpleNamespace

    from django.core.files import File
    from django.core.files.storage import default_storage
    from django.http import QueryDict

    from kzai.core import spreadsheets
    from registry import selectors
    from registry.filtersets import AISystemFilterSet

    query = QueryDict(job.params.get("query", ""))
    filterset = AISystemFilterSet(
        query,
        queryset=selectors.system_list(membership=membership),
        request=SimpleNamespace(membership=membership, GET=query),
    )
    if not filterset.is_valid():
        raise JobError(_("The filters of this export are no longer valid: export the list again."))
    queryset = filterset.qs
    if not query.get("ordering"):
        queryset = queryset.order_by("name", "id")
    total = queryset.count()
    progress(0, total)
    with tempfile.TemporaryFile() as spool:
        sheet = spreadsheets.Sheet("AI systems", transfer.export_rows(queryset))
        # The header row is counted too: the rows written less one are systems.
        spreadsheets.xlsx_write([sheet], spool, progress=lambda rows: progress(max(rows - 1, 0), total))
        size = spool.tell()
        spool.seek(0)
        name = f"exports/{job.organization_id}/{uuid.uuid4().hex}.xlsx"
        stored = default_storage.save(name, File(spool, name=name))
    progress(total, total)
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return {"path": stored, "filename": f"ai-systems-{stamp}.xlsx", "rows": total, "size": size}


def export_result_url(job) -> str:
    return reverse("registry:system_export_detail", args=[job.pk])


def stale_export_files_delete(*, now=None) -> int:
    """Delete the files of exports finished more than `KZAI_EXPORT_FILE_HOURS` ago (their page then
    says the file is gone); a download is meant to be fetched, not stored in the portal."""
    from django.core.files.storage import default_storage

    cutoff = (now or timezone.now()) - timedelta(hours=settings.KZAI_EXPORT_FILE_HOURS)
    deleted = 0
    for job in Job.objects.filter(kind=EXPORT_SYSTEMS, finished_at__lt=cutoff, result__has_key="path"):
        default_storage.delete(job.result["path"])
        job.result = {**{k: v for k, v in job.result.items() if k != "path"}, "deleted": True}
        job.save(update_fields=["result", "updated_at"])
        deleted += 1
    return deleted


def register_job_kinds() -> None:
    kinds.register(
        IMPORT_SYSTEMS,
        action=Action.IMPORT,
        label=gettext_lazy("Import of AI systems"),
        run=run_import,
        result_url=import_result_url,
    )
    kinds.register(
        EXPORT_SYSTEMS,
        action=Action.VIEW,
        label=gettext_lazy("Export of AI systems (XLSX)"),
        run=run_export,
        result_url=export_result_url,
    )
