"""Import pages: upload → dry run with per-row, per-column errors → all-or-nothing commit; template."""

import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kzai.core import spreadsheets
from kzai.core.roles import Action
from kzai.core.views import TenantMixin
from registry import transfer
from registry.forms import ImportForm
from registry.models import AISystem

# Uploads waiting for their commit, keyed by token in the session; the file stays in private storage
# under the organization's folder and is deleted once committed.
PENDING_KEY = "registry_pending_imports"


def _pending_path(organization_id: int, token: str, filename: str) -> str:
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{organization_id}/{token}{extension}"


class SystemImportView(TenantMixin, View):
    """GET: the upload form. POST: a dry run of the uploaded file, showing every row's errors."""

    model = AISystem
    required_action = Action.IMPORT
    template_name = "registry/system_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm(), "columns": transfer.COLUMNS})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        context = {"form": form, "columns": transfer.COLUMNS}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            result = transfer.import_systems(
                organization=self.organization, filename=upload.name, content=content, dry_run=True
            )
        except transfer.ImportFileError as error:
            for message in error.messages:
                form.add_error("file", message)
            return render(request, self.template_name, context, status=400)
        context["result"] = result
        context["shown_headers"] = [h for h in result.headers if h in transfer.COLUMN_BY_HEADER]
        if result.ok:
            token = uuid.uuid4().hex
            path = default_storage.save(
                _pending_path(self.organization.pk, token, upload.name), ContentFile(content)
            )
            pending = request.session.get(PENDING_KEY, {})
            pending[token] = {"path": path, "name": upload.name, "organization": self.organization.pk}
            request.session[PENDING_KEY] = pending
            context["token"] = token
        return render(request, self.template_name, context)


class SystemImportCommitView(TenantMixin, View):
    """POST: import the checked file for real, in one transaction (any error: nothing is saved)."""

    model = AISystem
    required_action = Action.IMPORT

    def post(self, request):
        token = request.POST.get("token", "")
        pending = request.session.get(PENDING_KEY, {})
        entry = pending.get(token)
        if entry is None or entry["organization"] != self.organization.pk:
            messages.error(request, _("This import is no longer available: upload the file again."))
            return redirect("registry:system_import")
        with default_storage.open(entry["path"], "rb") as handle:
            content = handle.read()
        try:
            result = transfer.import_systems(
                organization=self.organization, filename=entry["name"], content=content, dry_run=False
            )
        except transfer.ImportFileError as error:
            result = None
            messages.error(request, " ".join(error.messages))
        if result is not None and not result.ok:
            # The register changed since the dry run (e.g. a code taken meanwhile): nothing was saved.
            return render(
                request,
                "registry/system_import.html",
                {
                    "form": ImportForm(),
                    "columns": transfer.COLUMNS,
                    "result": result,
                    "shown_headers": [h for h in result.headers if h in transfer.COLUMN_BY_HEADER],
                },
                status=400,
            )
        default_storage.delete(entry["path"])
        pending.pop(token, None)
        request.session[PENDING_KEY] = pending
        if result is not None:
            messages.success(request, _("%(count)s AI systems were imported.") % {"count": len(result.rows)})
        return redirect("registry:system_list")


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
