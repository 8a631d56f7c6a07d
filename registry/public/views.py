"""Pages of the public side: the anonymous public pages under `/p/` and the officer's pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from kzai.core.roles import Action
from kzai.core.views import ServiceFormView, TenantMixin, apply_validation_error
from registry.public import selectors, services
from registry.public.forms import (
    AgreementVersionForm,
    ObjectionAnswerForm,
    ObjectionFilterForm,
    ObjectionForm,
    PublicPageFilterForm,
    PublicPageForm,
    ReportForm,
    TicketFilterForm,
    TicketForm,
    TicketReplyForm,
)
from registry.public.labels import selectors as label_selectors
from registry.public.models import PUBLIC_LANGUAGES, PUBLIC_TEXTS, PublicPage
from registry.public.throttle import over_budget
from registry.views.base import SystemTabMixin


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
        context["label_issuance"] = label_selectors.issuance_summary(self.membership, self.system)
        return context


class PublicPageUpdateView(SystemTabMixin, ServiceFormView):
    form_class = PublicPageForm
    template_name = "registry/form.html"
    active_tab = "public"
    required_action = Action.CHANGE
    title = gettext_lazy("Public page")
    success_message = gettext_lazy("The public page is saved.")

    def get_object(self):
        return None  # the URL names the system; the page (if any) is found below

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
    template_name = "registry/form.html"
    active_tab = "public"
    required_action = Action.CHANGE
    title = gettext_lazy("New version of the user agreement")
    success_message = gettext_lazy("The new version of the user agreement is added.")

    def get_object(self):
        return None  # a new version: the URL names the system it belongs to

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


# -- user reports ---------------------------------------------------------------------------------------
REPORTS_PER_ADDRESS = 5
REPORT_WINDOW_SECONDS = 3600


class _PublicFormView(_PublicPageMixin, FormView):
    """A form anyone may send from a public page, rate-limited per address (reports and objections
    share the budget), with the anti-bot checks of `_PublicForm`."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["page"] = self.page
        return kwargs

    def post(self, request, *args, **kwargs):
        if over_budget(
            request, scope="public-report", limit=REPORTS_PER_ADDRESS, window_seconds=REPORT_WINDOW_SECONDS
        ):
            context = self.get_context_data(form=self.get_form(), rate_limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    # What a sent form becomes: the context name of the created object and the thanks page.
    created_name = ""
    thanks_template_name = ""

    def file(self, form):
        """File the form through the service; returns what it created."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            created = self.file(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        context = self.get_context_data(form=None, **{self.created_name: created})
        return TemplateResponse(self.request, self.thanks_template_name, context)


class PublicReportView(_PublicFormView):
    """The report form of a public page: errors, incorrect output, harm, complaints; an optional
    e-mail for the answer. A report becomes a ticket of the organization."""

    template_name = "public/report.html"
    form_class = ReportForm
    created_name = "ticket"
    thanks_template_name = "public/report_thanks.html"

    def file(self, form):
        return services.ticket_report(
            page=self.page,
            kind=form.cleaned_data["kind"],
            message=form.cleaned_data["message"],
            contact_email=form.cleaned_data["contact_email"],
            language=get_language() or "",
        )


class TicketListView(TenantMixin, ListView):
    """User reports of the organization's systems, filterable by status, kind and severity."""

    template_name = "public/ticket_list.html"
    paginate_by = 25

    def get_queryset(self):
        queryset = selectors.ticket_list(self.membership)
        self.filter_form = TicketFilterForm(self.request.GET or None)
        if self.filter_form.is_valid():
            for name in ("status", "kind", "severity"):
                if self.filter_form.cleaned_data.get(name):
                    queryset = queryset.filter(**{name: self.filter_form.cleaned_data[name]})
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class TicketDetailView(TenantMixin, TemplateView):
    """One user report: triage (status, severity, assignee, risk) and the reply to the reporter."""

    template_name = "public/ticket_detail.html"

    def get_required_action(self):
        return Action.CHANGE if self.request.method == "POST" else Action.VIEW

    def get_ticket(self):
        return get_object_or_404(selectors.ticket_list(self.membership), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ticket = kwargs.get("ticket") or self.get_ticket()
        context["ticket"] = ticket
        context["can_change"] = self.membership.allows(Action.CHANGE)
        context.setdefault("form", TicketForm(instance=ticket, membership=self.membership))
        context.setdefault("reply_form", TicketReplyForm())
        return context

    def post(self, request, pk):
        ticket = self.get_ticket()
        if "reply" in request.POST:
            form = TicketReplyForm(request.POST)
            if form.is_valid():
                try:
                    services.ticket_reply(ticket=ticket, reply=form.cleaned_data["reply"])
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, _("The reply is sent and recorded."))
                    return redirect("registry:ticket_detail", pk=ticket.pk)
            return self.render_to_response(self.get_context_data(ticket=ticket, reply_form=form))
        form = TicketForm(request.POST, instance=ticket, membership=self.membership)
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.save_through_service()
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The report is updated."))
                return redirect("registry:ticket_detail", pk=ticket.pk)
        ticket.refresh_from_db()
        return self.render_to_response(self.get_context_data(ticket=ticket, form=form))


# -- objections to automated processing ------------------------------------------------------------------
class PublicObjectionView(_PublicFormView):
    """The objection form of a public page (Personal Data Law Art. 19-1): answered within 3 working days."""

    template_name = "public/objection.html"
    form_class = ObjectionForm
    created_name = "objection"
    thanks_template_name = "public/objection_thanks.html"

    def file(self, form):
        return services.objection_file(
            page=self.page,
            message=form.cleaned_data["message"],
            contact_email=form.cleaned_data["contact_email"],
            language=get_language() or "",
        )


class ObjectionListView(TenantMixin, ListView):
    """Objections to automated processing, filterable by status, with their answer clocks."""

    template_name = "public/objection_list.html"
    paginate_by = 25

    def get_queryset(self):
        queryset = selectors.objection_list(self.membership)
        self.filter_form = ObjectionFilterForm(self.request.GET or None)
        if self.filter_form.is_valid() and self.filter_form.cleaned_data.get("status"):
            queryset = queryset.filter(status=self.filter_form.cleaned_data["status"])
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class ObjectionDetailView(TenantMixin, TemplateView):
    """One objection, its clock, and the answer (sent by e-mail and recorded)."""

    template_name = "public/objection_detail.html"

    def get_required_action(self):
        return Action.CHANGE if self.request.method == "POST" else Action.VIEW

    def get_objection(self):
        return get_object_or_404(selectors.objection_list(self.membership), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["objection"] = kwargs.get("objection") or self.get_objection()
        context["can_change"] = self.membership.allows(Action.CHANGE)
        context.setdefault("form", ObjectionAnswerForm())
        return context

    def post(self, request, pk):
        objection = self.get_objection()
        form = ObjectionAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.objection_answer(
                    objection=objection, answer=form.cleaned_data["answer"], membership=self.membership
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The answer is sent and recorded."))
                return redirect("registry:objection_detail", pk=objection.pk)
        objection.refresh_from_db()
        return self.render_to_response(self.get_context_data(objection=objection, form=form))
