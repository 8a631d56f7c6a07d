"""Import pages: upload → dry run (a background job) with per-row, per-column errors → all-or-nothing
commit (another job); the import template.

The work runs in `registry.jobs` through the platform's jobs: the upload and the commit start a job
and send the browser to its progress page, which comes back here (`?job=<id>`) with the result.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kzai.core import spreadsheets
from kzai.core.roles import Action
from kzai.core.views import TenantMixin
from kzai.jobs.choices import JobStatus
from kzai.jobs.models import Job
from kzai.jobs.services import job_start
from registry import transfer
from registry.forms import ImportForm
from registry.jobs import IMPORT_SYSTEMS
from registry.models import AISystem


def _import_jobs(membership):
    return Job.objects.restrict(membership, Action.VIEW).filter(kind=IMPORT_SYSTEMS)


class SystemImportView(TenantMixin, View):
    """GET: the upload form, or (`?job=`) a finished check or import. POST: start the dry run."""

    model = AISystem
    required_action = Action.IMPORT
    template_name = "registry/system_import.html"

    def _context(self, form):
        return {"form": form, "columns": transfer.COLUMNS}

    def get(self, request):
        job_id = request.GET.get("job", "")
        if not job_id:
            return render(request, self.template_name, self._context(ImportForm()))
        job = _import_jobs(self.membership).filter(pk=job_id).first() if job_id.isdigit() else None
        if job is None:
            raise Http404
        if not job.is_finished:
            return redirect("jobs:job_detail", job.pk)
        form = ImportForm()
        context = self._context(form)
        result = job.result or {}
        context.update(job=job, result=result, dry_run=bool(job.params.get("dry_run")))
        if job.status == JobStatus.FAILED:
            if result.get("rows"):
                context["commit_failed"] = job.error
            else:
                context["file_errors"] = result.get("file_errors") or [job.error]
        context["error_rows"] = sum(1 for row in result.get("rows", []) if row["errors"])
        context["can_commit"] = (
            context["dry_run"]
            and job.status == JobStatus.SUCCEEDED
            and result.get("error_count") == 0
            and not _import_jobs(self.membership).filter(params__checked=job.pk).exists()
        )
        return render(request, self.template_name, context)

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self._context(form), status=400)
        upload = form.cleaned_data["file"]
        try:  # the file as a whole (format, encoding, limits, columns) is checked before any job
            transfer.check_file(upload)
        except transfer.ImportFileError as error:
            for message in error.messages:
                form.add_error("file", message)
            return render(request, self.template_name, self._context(form), status=400)
        job = job_start(
            membership=self.membership,
            kind=IMPORT_SYSTEMS,
            params={"dry_run": True},
            input_file=upload,
            input_name=upload.name,
        )
        return redirect("jobs:job_detail", job.pk)


class SystemImportCommitView(TenantMixin, View):
    """POST: import the checked file for real (a job; one transaction, any error: nothing is saved)."""

    model = AISystem
    required_action = Action.IMPORT

    def post(self, request):
        job_id = request.POST.get("job", "")
        checked = (
            _import_jobs(self.membership)
            .filter(pk=job_id, status=JobStatus.SUCCEEDED, params__dry_run=True)
            .first()
            if job_id.isdigit()
            else None
        )
        if (
            checked is None
            or checked.result.get("error_count") != 0
            or _import_jobs(self.membership).filter(params__checked=checked.pk).exists()
        ):
            messages.error(request, _("This import is no longer available: upload the file again."))
            return redirect("registry:system_import")
        job = job_start(
            membership=self.membership,
            kind=IMPORT_SYSTEMS,
            params={"dry_run": False, "checked": checked.pk},
            input_from=checked,
        )
        return redirect("jobs:job_detail", job.pk)


class SystemImportTemplateView(TenantMixin, View):
    """The import template: the columns and one example row, as CSV or (`?format=xlsx`) XLSX."""

    model = AISystem
    required_action = Action.VIEW

    def get(self, request):
        return spreadsheets.export_response(
            request.GET.get("format", "csv"),
            filename="ai-systems-template",
            sheets=[spreadsheets.Sheet("Import", transfer.template_rows())],
        )
