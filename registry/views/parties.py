"""Pages of the party register and of the data libraries."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from kzai.core.filters import id_param
from kzai.core.roles import Action
from kzai.core.views import ServiceFormView, TenantMixin, render_confirmation
from registry import selectors, services
from registry.filtersets import DataLibraryFilterSet, PartyFilterSet
from registry.forms import DataLibraryForm, PartyForm
from registry.models import AISystem, DataLibrary, Party, SystemPartyLink


class _FilteredListView(TenantMixin, TemplateView):
    filterset_class = None
    default_ordering = ("name", "id")

    def base_queryset(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define base_queryset().")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset_class(
            self.request.GET, queryset=self.base_queryset(), request=self.request
        )
        queryset = filterset.qs
        if not self.request.GET.get("ordering"):
            queryset = queryset.order_by(*self.default_ordering)
        context.update(
            filter=filterset,
            page_obj=Paginator(queryset, 50).get_page(self.request.GET.get("page")),
            can_add=self.membership.allows(Action.ADD),
        )
        return context


class PartyListView(_FilteredListView):
    template_name = "registry/party_list.html"
    model = Party
    filterset_class = PartyFilterSet

    def base_queryset(self):
        return selectors.party_list(membership=self.membership)


class PartyDetailView(TenantMixin, TemplateView):
    template_name = "registry/party_detail.html"
    model = Party

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        party = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        context.update(
            party=party,
            # Through the scoped path: an auditor sees only the links of systems granted to them.
            links=SystemPartyLink.objects.restrict(self.membership, Action.VIEW)
            .filter(party=party)
            .select_related("system")
            .order_by("system__name"),
            libraries=selectors.party_libraries(membership=self.membership, party=party),
            can_change=self.membership.allows(Action.CHANGE),
            can_archive=self.membership.allows(Action.DELETE),
        )
        return context


class PartyCreateView(ServiceFormView):
    """Add a party. Opened from a system (`?system=<id>`), it goes back to that system afterwards,
    to link the new party there (the party is preselected)."""

    form_class = PartyForm
    template_name = "registry/form.html"
    required_action = Action.ADD
    title = gettext_lazy("Add a party")
    success_message = gettext_lazy("The party is added to the register.")

    @cached_property
    def from_system(self):
        """The system the page was opened from (read through restrict: another tenant's is a 404)."""
        pk = id_param(self.request.GET.get("system"))
        if pk is None:
            return None
        return get_object_or_404(AISystem.objects.restrict(self.membership).active(), pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["system"] = self.from_system
        return context

    def get_success_url(self):
        if self.from_system is not None:
            link = reverse("registry:link_create", args=[self.from_system.pk])
            return f"{link}?{urlencode({'party': self.object.pk})}"
        return reverse("registry:party_detail", args=[self.object.pk])


class PartyUpdateView(ServiceFormView):
    form_class = PartyForm
    template_name = "registry/form.html"
    model = Party
    required_action = Action.CHANGE
    title = gettext_lazy("Edit party")
    success_message = gettext_lazy("Changes saved.")

    def get_success_url(self):
        return reverse("registry:party_detail", args=[self.kwargs["pk"]])


class PartyArchiveView(TenantMixin, View):
    """GET: ask first; POST: archive a party (or restore it with `restore`)."""

    model = Party
    required_action = Action.DELETE

    def get(self, request, pk):
        party = get_object_or_404(self.get_queryset(), pk=pk)
        if party.archived_at:
            return redirect("registry:party_detail", pk=party.pk)
        return render_confirmation(
            request,
            title=_("Archive the party"),
            question=_("Archive %(party)s?") % {"party": party.name},
            consequence=_("It can no longer be linked to systems; existing links that name it are kept."),
            confirm_label=_("Archive"),
            cancel_url=reverse("registry:party_detail", args=[party.pk]),
        )

    def post(self, request, pk):
        party = get_object_or_404(self.get_queryset(), pk=pk)
        with transaction.atomic():
            if request.POST.get("restore"):
                services.party_unarchive(party=party)
                messages.success(request, _("The party is back in the active register."))
            else:
                services.party_archive(party=party)
                messages.success(request, _("The party is archived; links that name it are kept."))
        return redirect("registry:party_detail", pk=party.pk)


class DataLibraryListView(_FilteredListView):
    template_name = "registry/library_list.html"
    model = DataLibrary
    filterset_class = DataLibraryFilterSet

    def base_queryset(self):
        return selectors.data_library_list(membership=self.membership)


class DataLibraryDetailView(TenantMixin, TemplateView):
    template_name = "registry/library_detail.html"
    model = DataLibrary

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        library = get_object_or_404(self.get_queryset().select_related("producer"), pk=self.kwargs["pk"])
        context.update(
            library=library,
            uses=library.uses.filter(system__in=AISystem.objects.restrict(self.membership, Action.VIEW))
            .select_related("system")
            .order_by("system__name"),
            can_change=self.membership.allows(Action.CHANGE),
            can_archive=self.membership.allows(Action.DELETE),
        )
        return context


class DataLibraryCreateView(ServiceFormView):
    form_class = DataLibraryForm
    template_name = "registry/form.html"
    required_action = Action.ADD
    title = gettext_lazy("Add a data library")
    success_message = gettext_lazy("The data library is added to the register.")

    def get_success_url(self):
        return reverse("registry:library_detail", args=[self.object.pk])


class DataLibraryUpdateView(ServiceFormView):
    form_class = DataLibraryForm
    template_name = "registry/form.html"
    model = DataLibrary
    required_action = Action.CHANGE
    title = gettext_lazy("Edit data library")
    success_message = gettext_lazy("Changes saved.")

    def get_success_url(self):
        return reverse("registry:library_detail", args=[self.kwargs["pk"]])


class DataLibraryArchiveView(TenantMixin, View):
    """GET: ask first; POST: archive a data library (or restore it with `restore`)."""

    model = DataLibrary
    required_action = Action.DELETE

    def get(self, request, pk):
        library = get_object_or_404(self.get_queryset(), pk=pk)
        if library.archived_at:
            return redirect("registry:library_detail", pk=library.pk)
        return render_confirmation(
            request,
            title=_("Archive the data library"),
            question=_("Archive %(library)s?") % {"library": library.name},
            consequence=_("It can no longer be added to systems; its recorded uses are kept."),
            confirm_label=_("Archive"),
            cancel_url=reverse("registry:library_detail", args=[library.pk]),
        )

    def post(self, request, pk):
        library = get_object_or_404(self.get_queryset(), pk=pk)
        with transaction.atomic():
            if request.POST.get("restore"):
                services.data_library_unarchive(library=library)
                messages.success(request, _("The data library is back in the active register."))
            else:
                services.data_library_archive(library=library)
                messages.success(request, _("The data library is archived; its uses are kept."))
        return redirect("registry:library_detail", pk=library.pk)
