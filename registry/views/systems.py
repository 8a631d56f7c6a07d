"""Pages of the AI-system register: the list, export, create/edit, and each system's tabs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from kzai.activity.selectors import activity_for_object, activity_with_labels
from kzai.core.filters import id_param
from kzai.core.roles import Action
from kzai.core.views import (
    ServiceDeleteView,
    ServiceFormView,
    TenantMixin,
    apply_validation_error,
    render_confirmation,
)
from kzai.core.widgets import OPTIONS_LIMIT
from registry import selectors, services
from registry.filtersets import AISystemFilterSet
from registry.forms import AISystemForm, ComponentForm, LibraryUseForm, PartyLinkForm
from registry.models import AISystem
from registry.tabs import system_next_steps
from registry.views.base import SystemTabMixin
from registry.views.columns import COLUMNS, chosen_columns

PAGE_SIZES = (25, 50, 100, 200)
# The few filters shown open; the rest sit under "More filters".
MAIN_FILTERS = ("search", "lifecycle_stage", "organization_role", "risk_level", "sector", "status")


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("page_size", 50))
    except ValueError:
        return 50
    return size if size in PAGE_SIZES else 50


class SystemListView(TenantMixin, TemplateView):
    """The register: search, a filter on every fact, sorting, chosen columns, pagination."""

    template_name = "registry/system_list.html"
    model = AISystem

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = AISystemFilterSet(
            self.request.GET, queryset=selectors.system_list(membership=self.membership), request=self.request
        )
        queryset = filterset.qs
        if not self.request.GET.get("ordering"):
            queryset = queryset.order_by("name", "id")
        page = Paginator(queryset, _page_size(self.request)).get_page(self.request.GET.get("page"))
        columns = chosen_columns(self.request)
        context.update(
            filter=filterset,
            main_fields=[filterset.form[name] for name in MAIN_FILTERS],
            more_fields=[f for f in filterset.form if f.name not in MAIN_FILTERS and f.name != "ordering"],
            page_obj=page,
            columns=columns,
            all_columns=COLUMNS,
            chosen_keys={c.key for c in columns},
            rows=[(system, [c.value(system) for c in columns]) for system in page],
            ordering=self.request.GET.get("ordering", ""),
            page_sizes=PAGE_SIZES,
            can_add=self.membership.allows(Action.ADD),
            can_import=self.membership.allows(Action.IMPORT),
            # Nothing registered at all (archived systems count): the first-run guide, not "no match".
            first_run=not page.object_list and not AISystem.objects.restrict(self.membership).exists(),
        )
        return context


OPTIONS_TERM_MAX = 100


class SystemOptionsView(TenantMixin, View):
    """GET `?q=<term>`: the systems a search-backed selector offers, as JSON (at most 20).

    `{"results": [{"id": "12", "text": "CRM-01 — Credit scoring"}]}`, read through restrict():
    another organization's systems are never found, an auditor finds only the systems granted.
    """

    def get(self, request):
        term = request.GET.get("q", "")
        if len(term) > OPTIONS_TERM_MAX:
            message = _("Search for at most %(count)d characters.") % {"count": OPTIONS_TERM_MAX}
            return JsonResponse({"error": message}, status=400)
        systems = selectors.system_options(membership=self.membership, term=term, limit=OPTIONS_LIMIT)
        return JsonResponse({"results": [{"id": str(s.pk), "text": _option_label(s)} for s in systems]})


def _option_label(system: AISystem) -> str:
    label = str(system)
    return _("%(system)s (archived)") % {"system": label} if system.is_archived else label


class SystemCreateView(ServiceFormView):
    form_class = AISystemForm
    template_name = "registry/system_form.html"
    title = gettext_lazy("Register an AI system")
    required_action = Action.ADD
    success_message = gettext_lazy("The AI system is registered.")

    def get_success_url(self):
        return reverse("registry:system_detail", args=[self.object.pk])


class SystemUpdateView(SystemTabMixin, ServiceFormView):
    form_class = AISystemForm
    template_name = "registry/system_form.html"
    title = gettext_lazy("Edit AI system")
    required_action = Action.CHANGE
    success_message = gettext_lazy("Changes saved.")

    def get_object(self):
        return self.system

    def get_success_url(self):
        return reverse("registry:system_detail", args=[self.system.pk])


class SystemDetailView(SystemTabMixin, TemplateView):
    """Overview tab: identification, facts, technology and components."""

    template_name = "registry/system_detail.html"
    active_tab = "overview"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["components"] = selectors.system_components(system=self.system)
        context["tags"] = self.system.tags.all()
        context["next_steps"] = system_next_steps(self.system, self.membership)
        return context


class SystemPartiesView(SystemTabMixin, TemplateView):
    template_name = "registry/system_parties.html"
    active_tab = "parties"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["links"] = selectors.system_party_links(system=self.system)
        context["today"] = timezone.localdate()
        return context


class SystemDataView(SystemTabMixin, TemplateView):
    template_name = "registry/system_data.html"
    active_tab = "data"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["uses"] = selectors.system_library_uses(system=self.system)
        if self.membership.allows(Action.CHANGE) and not self.system.is_archived:
            context["use_form"] = kwargs.get("use_form") or LibraryUseForm(membership=self.membership)
        return context

    def get_required_action(self):
        return Action.CHANGE if self.request.method == "POST" else Action.VIEW

    def post(self, request, pk):
        form = LibraryUseForm(request.POST, membership=self.membership)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.data_library_use_create(system=self.system, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The data library use is recorded."))
                return redirect("registry:system_data", pk=self.system.pk)
        return self.render_to_response(self.get_context_data(use_form=form))


class SystemHistoryView(SystemTabMixin, TemplateView):
    template_name = "registry/system_history.html"
    active_tab = "history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = activity_for_object(self.system, membership=self.membership).order_by("-timestamp", "-id")
        page = Paginator(records, 50).get_page(self.request.GET.get("page"))
        page.object_list = activity_with_labels(page.object_list, membership=self.membership)
        context["page_obj"] = page
        return context


class SystemArchiveView(SystemTabMixin, View):
    """GET: ask first; POST: archive (or, with `restore`, unarchive) a system. Archived systems keep
    their history."""

    required_action = Action.DELETE

    def get(self, request, pk):
        """Asks first: what archiving does, then the POST that archives."""
        if self.system.is_archived:
            return redirect("registry:system_detail", pk=self.system.pk)
        return render_confirmation(
            request,
            title=_("Archive the AI system"),
            question=_("Archive %(system)s?") % {"system": self.system.name},
            consequence=_(
                "It leaves the active register: its obligations stop applying and it is no longer "
                "counted. Its history and evidence are kept, and it can be restored."
            ),
            confirm_label=_("Archive"),
            cancel_url=reverse("registry:system_detail", args=[self.system.pk]),
        )

    def post(self, request, pk):
        with transaction.atomic():
            if request.POST.get("restore"):
                services.ai_system_unarchive(system=self.system)
                messages.success(request, _("The system is back in the active register."))
            else:
                services.ai_system_archive(system=self.system)
                messages.success(request, _("The system is archived; its history and evidence are kept."))
        return redirect("registry:system_detail", pk=self.system.pk)


# -- child objects of one system ---------------------------------------------------------------------
class _SystemChildFormView(SystemTabMixin, ServiceFormView):
    """Create or edit a link/component of one system (URL: system_pk, and pk for an edit)."""

    template_name = "registry/form.html"
    system_url_kwarg = "system_pk"
    child_queryset_attr = ""
    success_url_name = ""
    required_action = Action.CHANGE

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(getattr(self.system, self.child_queryset_attr).all(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["system"] = self.system
        return kwargs

    def get_success_url(self):
        return reverse(self.success_url_name, args=[self.system.pk])


class PartyLinkFormView(_SystemChildFormView):
    form_class = PartyLinkForm
    child_queryset_attr = "party_links"
    active_tab = "parties"
    success_url_name = "registry:system_parties"
    title = gettext_lazy("Party of the system")
    success_message = gettext_lazy("The party link is saved.")

    def get_initial(self):
        # Back from adding a party for this system (`?party=<id>`): that party is preselected. The
        # form's choices are the organization's parties only, so a foreign id preselects nothing.
        initial = super().get_initial()
        party = id_param(self.request.GET.get("party"))
        if party is not None and "pk" not in self.kwargs:
            initial["party"] = party
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "pk" not in self.kwargs and self.membership.allows(Action.ADD):
            context["add_party_url"] = (
                f"{reverse('registry:party_create')}?{urlencode({'system': self.system.pk})}"
            )
        return context


class ComponentFormView(_SystemChildFormView):
    form_class = ComponentForm
    child_queryset_attr = "components"
    active_tab = "overview"
    title = gettext_lazy("Model or component")
    success_url_name = "registry:system_detail"
    success_message = gettext_lazy("The component is saved.")


class _SystemChildDeleteView(SystemTabMixin, ServiceDeleteView):
    """POST: delete a link, component or library use (the deletion is recorded in the system's history)."""

    system_url_kwarg = "system_pk"
    # The same action the API asks for a DELETE of these objects (ServiceDeleteView's default):
    # contributors may not delete.
    child_queryset_attr = ""
    service = None
    service_arg = ""
    return_to = ""
    success_message = gettext_lazy("Removed: %(object)s.")

    def get_object(self):
        return get_object_or_404(getattr(self.system, self.child_queryset_attr).all(), pk=self.kwargs["pk"])

    def perform_delete(self, obj):
        type(self).service(**{self.service_arg: obj})

    def get_success_url(self, obj):
        return reverse(self.return_to, args=[self.system.pk])


class PartyLinkDeleteView(_SystemChildDeleteView):
    child_queryset_attr = "party_links"
    service = services.party_link_delete
    service_arg = "link"
    return_to = "registry:system_parties"


class ComponentDeleteView(_SystemChildDeleteView):
    child_queryset_attr = "components"
    service = services.component_delete
    service_arg = "component"
    return_to = "registry:system_detail"


class LibraryUseDeleteView(_SystemChildDeleteView):
    child_queryset_attr = "data_library_uses"
    service = services.data_library_use_delete
    service_arg = "use"
    return_to = "registry:system_data"
