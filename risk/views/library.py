"""Library pages: versions, one version's requirements, the preview and the adoption."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kzai.core.views import TenantMixin
from risk import selectors
from risk.forms import LibraryApplyForm
from risk.models import LibraryAdoption, RequirementLibraryVersion
from risk.services.adoption import library_apply
from risk.services.library import LIBRARY_ACTION, library_version_for


class LibraryListView(TenantMixin, TemplateView):
    template_name = "risk/library_list.html"
    model = RequirementLibraryVersion

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            versions=selectors.library_versions_for(self.membership)
            .annotate(requirement_total=Count("requirements"))
            .order_by("-loaded_at", "-id"),
            adopted=library_version_for(self.organization),
            adoptions=LibraryAdoption.objects.restrict(self.membership).select_related(
                "library_version", "adopted_by__user"
            )[:20],
        )
        return context


class LibraryDetailView(TenantMixin, TemplateView):
    """One version: its requirements and prohibited practices; for administrators, the preview of
    what adopting it would change and the form to apply it."""

    template_name = "risk/library_detail.html"
    model = RequirementLibraryVersion

    def get_version(self):
        return get_object_or_404(selectors.library_versions_for(self.membership), pk=self.kwargs["pk"])

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        adopted = library_version_for(self.organization)
        can_apply = self.membership.allows(LIBRARY_ACTION) and version.pk != adopted.pk
        preview = (
            selectors.library_upgrade_preview(
                organization=self.organization, version=version, membership=self.membership
            )
            if can_apply
            else None
        )
        context.update(
            version=version,
            requirements=version.requirements.all(),
            adopted=adopted,
            can_apply=can_apply,
            changes=preview.changed_systems if preview else [],
            diff=preview.requirements if preview else [],
            unchanged=preview.unchanged if preview else 0,
            form=form or LibraryApplyForm(),
        )
        return context


class LibraryApplyView(LibraryDetailView):
    required_action = LIBRARY_ACTION
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        form = LibraryApplyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        with transaction.atomic():
            adoption = library_apply(
                organization=self.organization, version=version, membership=self.membership
            )
        messages.success(
            request,
            _(
                "Library %(version)s applied: %(gained)s obligations gained, "
                "%(lost)s no longer applicable (kept)."
            )
            % {"version": version.version, "gained": adoption.gained, "lost": adoption.lost},
        )
        return redirect("risk:library_detail", pk=version.pk)
