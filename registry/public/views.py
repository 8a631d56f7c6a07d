"""Pages of the public side: the anonymous public pages under `/p/` and the officer's pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from kzai.core.roles import Action
from kzai.core.views import TenantMixin
from registry.public import selectors, services
from registry.public.forms import AgreementVersionForm, PublicPageFilterForm, PublicPageForm
from registry.public.models import PUBLIC_LANGUAGES, PUBLIC_TEXTS, PublicPage
from registry.views.base import ServiceFormView, SystemTabMixin


# -- the public, anonymous pages ---------------------------------------------------------------------
class _PublicPageMixin:
    """Loads the published page of the URL (404 when unpublished, archived or unknown)."""

    def dispatch(self, request, *args, **kwargs):
        self.page = selectors.published_page(kwargs["org_slug"], kwargs["public_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.page
        context["page"] = page
        context["organization_name"] = page.organization.name
        context["texts"] = {prefix: page.text(prefix) for prefix, _label in PUBLIC_TEXTS}
        return context


class PublicSystemView(_PublicPageMixin, TemplateView):
    """What the system is and does, its limits, the notice on automated processing, support, and
    the user agreement currently in effect (with links to older versions)."""

    template_name = "public/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(selectors.effective_versions(self.page))
        context["current_agreement"] = versions[0] if versions else None
        context["older_agreements"] = versions[1:]
        return context


class PublicAgreementView(_PublicPageMixin, TemplateView):
    """One version of the user agreement at its own stable address."""

    template_name = "public/agreement.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = selectors.effective_versions(self.page)
        version = versions.filter(number=self.kwargs["number"]).first()
        if version is None:
            raise Http404
        context["agreement"] = version
        context["is_current"] = version == versions.first()
        return context


# -- the officer's pages -------------------------------------------------------------------------------
class PublicPageListView(TenantMixin, ListView):
    """The organization's public pages, filterable by status."""

    template_name = "public/page_list.html"
    paginate_by = 25

    def get_queryset(self):
        queryset = selectors.public_page_list(self.membership)
        self.filter_form = PublicPageFilterForm(self.request.GET or None)
        if self.filter_form.is_valid():
            published = self.filter_form.cleaned_data.get("published")
            if published:
                queryset = queryset.filter(is_published=published == "yes")
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class SystemPublicView(SystemTabMixin, TemplateView):
    """The system's public side: status and address of its public page, agreement versions with the
    number of end users who accepted each."""

    template_name = "public/system_public.html"
    active_tab = "public"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = PublicPage.objects.restrict(self.membership, Action.VIEW).filter(system=self.system).first()
        context["page"] = page
        context["languages"] = PUBLIC_LANGUAGES
        context["versions"] = selectors.agreement_versions_with_counts(self.membership, self.system)
        return context


class PublicPageUpdateView(SystemTabMixin, ServiceFormView):
    form_class = PublicPageForm
    active_tab = "public"
    required_action = Action.CHANGE
    title = gettext_lazy("Public page")
    success_message = gettext_lazy("The public page is saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["system"] = self.system
        page = PublicPage.objects.restrict(self.membership, Action.CHANGE).filter(system=self.system).first()
        if page is not None:
            kwargs["instance"] = page
        return kwargs

    def get_success_url(self):
        return reverse("registry:system_public", args=[self.system.pk])


class AgreementVersionCreateView(SystemTabMixin, ServiceFormView):
    form_class = AgreementVersionForm
    active_tab = "public"
    required_action = Action.CHANGE
    title = gettext_lazy("New version of the user agreement")
    success_message = gettext_lazy("The new version of the user agreement is added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["system"] = self.system
        return kwargs

    def get_success_url(self):
        return reverse("registry:system_public", args=[self.system.pk])


class PublicPagePublishView(SystemTabMixin, View):
    """POST: publish the page (or, with `unpublish`, take it down)."""

    required_action = Action.CHANGE

    def post(self, request, pk):
        page = get_object_or_404(
            PublicPage.objects.restrict(self.membership, Action.CHANGE), system=self.system
        )
        try:
            with transaction.atomic():
                if request.POST.get("unpublish"):
                    services.public_page_unpublish(page=page)
                    messages.success(request, _("The public page is taken down."))
                else:
                    services.public_page_publish(page=page)
                    messages.success(request, _("The public page is published."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("registry:system_public", pk=self.system.pk)
