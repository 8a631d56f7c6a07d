"""Pages of the documents app: the organization's documents, one document, a system's
documentation tab, the gaps across systems, and the permission-checked download."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from documents import selectors, services
from documents.filtersets import DocumentFilterSet
from documents.forms import DocumentForm, PassportForm, VersionForm
from documents.models import Document, DocumentVersion
from kzai.activity.selectors import activity_for_object, activity_with_labels
from kzai.core.roles import Action
from kzai.core.spreadsheets import mark_export
from kzai.core.views import ServiceFormMixin, TenantMixin, apply_validation_error
from registry.views.base import SystemTabMixin


class DocumentListView(TenantMixin, TemplateView):
    """Every document of the organization, filterable by system, item, state and expiry."""

    template_name = "documents/document_list.html"
    model = Document

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = DocumentFilterSet(
            self.request.GET, queryset=selectors.document_list(self.membership), request=self.request
        )
        context.update(
            filter=filterset,
            page_obj=Paginator(filterset.qs.order_by("title", "id"), 50).get_page(
                self.request.GET.get("page")
            ),
            can_add=self.membership.allows(Action.ADD),
        )
        return context


class DocumentCreateView(TenantMixin, ServiceFormMixin, FormView):
    template_name = "documents/document_form.html"
    form_class = DocumentForm
    required_action = Action.ADD
    success_message = gettext_lazy("The document is added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.membership
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("system"):
            initial["systems"] = [self.request.GET["system"]]
        if self.request.GET.get("item"):
            initial["items"] = [self.request.GET["item"]]
        return initial

    def perform_save(self, form):
        return services.document_create(membership=self.membership, **form.cleaned_data)

    def get_success_url(self):
        return reverse("documents:document_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New document"), **kwargs)


class DocumentMixin(TenantMixin):
    model = Document

    @cached_property
    def document(self) -> Document:
        return get_object_or_404(selectors.document_list(self.membership), pk=self.kwargs["pk"])


class DocumentUpdateView(DocumentMixin, ServiceFormMixin, FormView):
    template_name = "documents/document_form.html"
    form_class = DocumentForm
    required_action = Action.CHANGE
    success_message = gettext_lazy("Changes saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(membership=self.membership, with_file=False)
        return kwargs

    def get_initial(self):
        document = self.document
        return {
            "title": document.title,
            "description": document.description,
            "systems": list(document.systems.all()),
            "items": document.items,
            "expires_on": document.expires_on,
        }

    def perform_save(self, form):
        return services.document_update(
            document=self.document, membership=self.membership, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("documents:document_detail", args=[self.document.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit document"), document=self.document, **kwargs)


class DocumentDetailView(DocumentMixin, TemplateView):
    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs):
        from documents.catalogue.loader import catalogue
        from documents.evidence import evidence_choices

        context = super().get_context_data(**kwargs)
        document = self.document
        known = catalogue().items
        context.update(
            document=document,
            versions=selectors.document_versions(document),
            items=[known[key] for key in document.items if key in known],
            version_form=kwargs.get("version_form") or VersionForm(),
            can_add=self.membership.allows(Action.ADD),
            can_change=self.membership.allows(Action.CHANGE),
            can_approve=self.membership.allows(Action.APPROVE),
            evidence=selectors.evidence_targets(document),
            evidence_choices=evidence_choices(document=document, membership=self.membership)
            if self.membership.allows(Action.CHANGE)
            else [],
            activity=activity_with_labels(
                activity_for_object(document, membership=self.membership)[:20], membership=self.membership
            ),
        )
        return context


class VersionUploadView(DocumentMixin, View):
    """POST: add a version; the file is checked before anything is stored."""

    required_action = Action.ADD

    def post(self, request, pk):
        form = VersionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    version = services.document_version_add(
                        document=self.document, membership=self.membership, **form.cleaned_data
                    )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Version %(n)s uploaded.") % {"n": version.number})
                return HttpResponseRedirect(reverse("documents:document_detail", args=[pk]))
        view = DocumentDetailView(request=request, kwargs=self.kwargs)
        view.setup(request, pk=pk)
        context = view.get_context_data(version_form=form)
        response = view.render_to_response(context)
        response.status_code = 400
        return response


class EvidenceAddView(DocumentMixin, View):
    """POST: offer the document as evidence for an obligation, a measure or a review item."""

    required_action = Action.CHANGE

    def post(self, request, pk):
        from documents.evidence import evidence_target

        document = self.document  # another organization's document: 404 before anything else
        kind, _sep, target_pk = request.POST.get("target", "").partition(":")
        target = evidence_target(kind=kind, pk=target_pk, membership=self.membership)
        if target is None:
            messages.error(
                request,
                _("Choose an obligation, a risk measure or a review item of this document's systems."),
            )
        else:
            try:
                services.evidence_link_create(
                    document=document,
                    target=target,
                    membership=self.membership,
                    note=request.POST.get("note", "")[:300],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, _("The document is now evidence for “%(target)s”.") % {"target": target}
                )
        return HttpResponseRedirect(reverse("documents:document_detail", args=[pk]))


class _DocumentActionView(DocumentMixin, View):
    """POST: call one state-changing service, report its refusal as a message."""

    required_action = Action.APPROVE
    done_message = ""

    def act(self):
        raise NotImplementedError

    def post(self, request, pk):
        try:
            self.act()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(reverse("documents:document_detail", args=[pk]))


class DocumentApproveView(_DocumentActionView):
    def act(self):
        services.document_approve(document=self.document, membership=self.membership)
        self.done_message = _("Document approved.")


class DocumentSupersedeView(_DocumentActionView):
    def act(self):
        services.document_supersede(document=self.document, membership=self.membership)
        self.done_message = _("Document marked as superseded.")


class VersionDownloadView(TenantMixin, View):
    """The only way to a stored file: tenant and permission checked, the download recorded."""

    model = DocumentVersion

    def get(self, request, pk):
        version = get_object_or_404(selectors.version_list(self.membership), pk=pk)
        services.version_download_record(version=version, membership=self.membership)
        return FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=version.original_name,
            content_type=version.media_type,
        )


class SystemDocumentsView(SystemTabMixin, TemplateView):
    """The Documents tab of a system: its documentation list and the documents covering it."""

    template_name = "documents/system_documents.html"
    active_tab = "documents"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        documents = list(selectors.document_list(self.membership).filter(systems=self.system))
        rows = selectors.documentation_status(self.system, documents)
        context.update(
            rows=rows,
            documents=documents,
            required=[r for r in rows if r.required],
            optional=[r for r in rows if not r.required],
            gaps=sum(1 for r in rows if r.is_gap),
            can_add=self.membership.allows(Action.ADD),
            passport_versions=selectors.passport_versions(self.membership, self.system)[:5],
            passport_form=PassportForm(initial={"language": translation.get_language()}),
        )
        return context


class GapsView(TenantMixin, TemplateView):
    """Required documentation not yet approved, across every system, at a glance."""

    template_name = "documents/gaps.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        systems = selectors.organization_gaps(self.membership)
        context.update(
            systems=systems,
            total_gaps=sum(len(s.gaps) for s in systems),
            total_required=sum(s.required for s in systems),
        )
        return context


class PassportStartView(SystemTabMixin, View):
    """POST: start rendering the system's technical passport; the job page shows progress."""

    required_action = Action.ADD

    def post(self, request, pk):
        from documents.forms import PassportForm
        from documents.jobs import PASSPORT
        from kzai.jobs.services import job_start

        form = PassportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the passport's language."))
            return HttpResponseRedirect(reverse("documents:system_documents", args=[self.system.pk]))
        job = job_start(
            membership=self.membership,
            kind=PASSPORT,
            params={"system_id": self.system.pk, "language": form.cleaned_data["language"]},
        )
        return HttpResponseRedirect(reverse("jobs:job_detail", args=[job.pk]))


class PackStartView(SystemTabMixin, View):
    """POST: start building the system's inspection pack."""

    required_action = Action.VIEW

    def post(self, request, pk):
        from documents.jobs import PACK
        from kzai.jobs.services import job_start

        job = job_start(membership=self.membership, kind=PACK, params={"system_id": self.system.pk})
        return HttpResponseRedirect(reverse("jobs:job_detail", args=[job.pk]))


class PackMixin(TenantMixin):
    """An inspection pack is a finished job of the member (only they may read it)."""

    @cached_property
    def job(self):
        from documents.jobs import PACK
        from kzai.jobs.choices import JobStatus
        from kzai.jobs.models import Job

        queryset = Job.objects.restrict(self.membership, Action.VIEW).filter(
            kind=PACK, status=JobStatus.SUCCEEDED
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


class PackDetailView(PackMixin, TemplateView):
    template_name = "documents/pack_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(job=self.job, pack=self.job.result, **kwargs)


class PackDownloadView(PackMixin, View):
    """The ZIP itself; every document version in it is recorded as downloaded."""

    def get(self, request, pk):
        from django.core.files.storage import default_storage

        result = self.job.result
        for version in selectors.version_list(self.membership).filter(pk__in=result.get("version_ids", [])):
            services.version_download_record(version=version, membership=self.membership)
        response = FileResponse(
            default_storage.open(result["path"], "rb"),
            as_attachment=True,
            filename=result["filename"],
            content_type="application/zip",
        )
        return mark_export(response, fmt="zip", filename=result["filename"])
