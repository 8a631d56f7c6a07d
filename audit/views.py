"""Pages of the audit app: engagements (list, detail, forms), the auditor's landing page across
clients, and the Audits tab of a system. Every write is a POST to a thin view calling a service.

Edit controls are shown only to who may use them: the organization's controls (plan, start,
cancel, remediation, responses) to roles that may change data and are not auditors; the auditors'
controls (results, findings, requests, conclusion, sign-off) to the engagement's own auditors.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from audit import forms, selectors, services
from audit.choices import ENGAGEMENT_TRANSITIONS, EngagementStatus, FilingStatus
from audit.filtersets import EngagementFilterSet
from audit.report import may_request_report, report_request
from kzai.core.roles import Action, Role
from kzai.core.views import ServiceFormMixin, TenantMixin
from registry.views.base import SystemTabMixin


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _choices_read_once(form, name):
    """`form` with the choices of its field `name` read from the database now, once."""
    field = form.fields[name]
    field.widget.choices = list(field.choices)
    return form


def _organization_may(membership, action=Action.CHANGE) -> bool:
    return membership.role != Role.AUDITOR and membership.allows(action)


class EngagementListView(TenantMixin, TemplateView):
    """The organization's engagements, filtered and paginated."""

    template_name = "audit/engagement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = EngagementFilterSet(self.request.GET, queryset=selectors.engagement_list(self.membership))
        context["filter"] = filterset
        context["page_obj"] = Paginator(filterset.qs, 50).get_page(self.request.GET.get("page"))
        context["can_add"] = _organization_may(self.membership, Action.ADD)
        return context


class MyEngagementsView(TenantMixin, TemplateView):
    """An auditor's landing page: their engagements in every client organization."""

    template_name = "audit/my_engagements.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.auditor_engagements(self.request.user)
        return context


class EngagementFormView(ServiceFormMixin, TenantMixin, FormView):
    template_name = "audit/engagement_form.html"
    form_class = forms.EngagementForm
    success_message = gettext_lazy("The audit engagement is saved.")

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and request.membership is not None
            and request.membership.role == Role.AUDITOR
        ):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Your role in this organization does not allow this action."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.membership
        return kwargs

    def get_success_url(self):
        return reverse("audit:engagement_detail", args=[self.object.pk])


class EngagementCreateView(EngagementFormView):
    required_action = Action.ADD

    def perform_save(self, form):
        data = dict(form.cleaned_data)
        return services.engagement_create(
            organization=self.organization,
            membership=self.membership,
            systems=data.pop("systems"),
            team=data.pop("team"),
            **data,
        )


class EngagementUpdateView(EngagementFormView):
    required_action = Action.CHANGE

    def get_engagement(self):
        if not hasattr(self, "_engagement"):
            self._engagement = get_object_or_404(
                selectors.engagement_list(self.membership), pk=self.kwargs["pk"]
            )
        return self._engagement

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        engagement = self.get_engagement()
        kwargs["instance"] = engagement
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(engagement=self.get_engagement(), **kwargs)

    def perform_save(self, form):
        data = dict(form.cleaned_data)
        engagement = self.get_engagement()
        engagement.refresh_from_db()
        return services.engagement_update(
            engagement=engagement,
            membership=self.membership,
            systems=data.pop("systems"),
            team=data.pop("team"),
            **data,
        )


class EngagementDetailView(TenantMixin, TemplateView):
    template_name = "audit/engagement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        engagement = selectors.engagement_detail(self.membership, self.kwargs["pk"])
        if engagement is None:
            raise Http404
        is_auditor = services.is_engagement_auditor(engagement, self.membership) and not engagement.is_locked
        is_organization = _organization_may(self.membership) and not engagement.is_locked
        transitions = [
            (status, EngagementStatus(status).label)
            for status in ENGAGEMENT_TRANSITIONS[engagement.status]
            if (is_organization and (status == EngagementStatus.CANCELLED or engagement.status == "planned"))
            or (is_auditor and status != EngagementStatus.CANCELLED and engagement.status != "planned")
        ]
        respond_form = remediation_form = None
        if is_organization:
            # These forms are drawn on every row (each open request, each finding): their choices
            # are read once here, not once per row.
            respond_form = _choices_read_once(
                forms.RespondForm(auto_id=False, engagement=engagement, membership=self.membership),
                "versions",
            )
            remediation_form = _choices_read_once(
                forms.RemediationForm(membership=self.membership, auto_id=False), "owner"
            )
        context.update(
            engagement=engagement,
            is_auditor=is_auditor,
            is_lead=is_auditor and engagement.lead_auditor_id == self.membership.pk,
            is_organization=is_organization,
            transitions=transitions,
            result_form=forms.CriterionResultForm(auto_id="result_%s"),
            custom_form=forms.CustomCriterionForm(auto_id="criterion_%s"),
            finding_form=forms.FindingForm(engagement=engagement, auto_id="finding_%s"),
            remediation_form=remediation_form,
            progress_form=forms.RemediationProgressForm(auto_id=False),
            review_form=forms.ReviewForm(auto_id=False),
            request_form=forms.EvidenceRequestForm(auto_id="request_%s"),
            respond_form=respond_form,
            may_comment=services.may_comment(engagement, self.membership) and not engagement.is_locked,
            may_report=engagement.status == EngagementStatus.CLOSED
            and may_request_report(engagement, self.membership),
            report_form=forms.ReportForm(
                initial={"language": translation.get_language()}, auto_id="report_%s"
            ),
            conclusion_form=forms.ConclusionForm(
                auto_id="conclusion_%s",
                initial={"conclusion": engagement.conclusion, "conclusion_text": engagement.conclusion_text},
            ),
        )
        return context


class _PostView(TenantMixin, View):
    """A POST-only step on an engagement's page: validate a form, call a service, go back."""

    required_action = Action.VIEW  # the service decides who may (403 for anyone else)
    form_class = None

    def get_target(self, pk):
        raise NotImplementedError

    def engagement_pk(self, target):
        return target.pk

    def perform(self, target, data):
        raise NotImplementedError

    def get_form(self, target):
        return self.form_class(self.request.POST)

    def post(self, request, pk):
        target = self.get_target(pk)
        form = self.get_form(target)
        if not form.is_valid():
            messages.error(
                request,
                " ".join(
                    f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                    for f, e in form.errors.items()
                ),
            )
        else:
            try:
                self.perform(target, form.cleaned_data)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Saved."))
        return HttpResponseRedirect(self.redirect_url(target))

    def redirect_url(self, target) -> str:
        """Where the person goes back to: the engagement's page."""
        return reverse("audit:engagement_detail", args=[self.engagement_pk(target)])


class _EngagementPost(_PostView):
    def get_target(self, pk):
        return get_object_or_404(selectors.engagement_list(self.membership), pk=pk)


class EngagementTransitionView(_EngagementPost):
    form_class = forms.TransitionForm

    def perform(self, engagement, data):
        services.engagement_transition(
            engagement=engagement, membership=self.membership, status=data["status"]
        )


class CriteriaGenerateView(_EngagementPost):
    def get_form(self, target):
        from django import forms as django_forms

        return django_forms.Form(self.request.POST)

    def perform(self, engagement, data):
        services.criteria_generate(engagement=engagement, membership=self.membership)


class CriterionAddView(_EngagementPost):
    form_class = forms.CustomCriterionForm

    def perform(self, engagement, data):
        services.criterion_add(engagement=engagement, membership=self.membership, **data)


class FindingCreateView(_EngagementPost):
    form_class = None

    def get_form(self, target):
        return forms.FindingForm(self.request.POST, engagement=target)

    def perform(self, engagement, data):
        services.finding_create(engagement=engagement, membership=self.membership, **data)


class EvidenceRequestCreateView(_EngagementPost):
    form_class = forms.EvidenceRequestForm

    def perform(self, engagement, data):
        services.evidence_request_create(engagement=engagement, membership=self.membership, **data)


class ConclusionView(_EngagementPost):
    form_class = forms.ConclusionForm

    def perform(self, engagement, data):
        services.engagement_conclude(engagement=engagement, membership=self.membership, **data)


class CommentAddView(_EngagementPost):
    """A comment on a criterion, an evidence request or a finding (the service decides who may)."""

    def get_form(self, target):
        return forms.CommentForm(self.request.POST, engagement=target)

    def perform(self, engagement, data):
        services.comment_add(membership=self.membership, **data)


class ReportStartView(_EngagementPost):
    """POST: render the final report of a signed-off engagement; the job page shows progress."""

    form_class = forms.ReportForm

    def post(self, request, pk):
        engagement = self.get_target(pk)
        form = forms.ReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the report's language."))
        else:
            try:
                job = report_request(
                    engagement=engagement, membership=self.membership, language=form.cleaned_data["language"]
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                return HttpResponseRedirect(reverse("jobs:job_detail", args=[job.pk]))
        return HttpResponseRedirect(reverse("audit:engagement_detail", args=[engagement.pk]))


class SignOffView(_EngagementPost):
    def get_form(self, target):
        from django import forms as django_forms

        return django_forms.Form(self.request.POST)

    def perform(self, engagement, data):
        services.engagement_sign_off(engagement=engagement, membership=self.membership)


class CriterionRecordView(_PostView):
    form_class = forms.CriterionResultForm

    def get_target(self, pk):
        return get_object_or_404(selectors.criterion_list(self.membership), pk=pk)

    def engagement_pk(self, target):
        return target.engagement_id

    def perform(self, criterion, data):
        services.criterion_record(criterion=criterion, membership=self.membership, **data)


class _FindingPost(_PostView):
    def get_target(self, pk):
        return get_object_or_404(selectors.finding_list(self.membership), pk=pk)

    def engagement_pk(self, target):
        return target.engagement_id


class RemediationCreateView(_FindingPost):
    required_action = Action.CHANGE

    def get_form(self, target):
        return forms.RemediationForm(self.request.POST, membership=self.membership)

    def perform(self, finding, data):
        services.remediation_create(finding=finding, membership=self.membership, **data)


class _RemediationPost(_PostView):
    def get_target(self, pk):
        return get_object_or_404(selectors.remediation_list(self.membership), pk=pk)

    def engagement_pk(self, target):
        return target.finding.engagement_id


class RemediationProgressView(_RemediationPost):
    required_action = Action.CHANGE
    form_class = forms.RemediationProgressForm

    def perform(self, item, data):
        services.remediation_update(action=item, membership=self.membership, **data)


class RemediationVerifyView(_RemediationPost):
    form_class = forms.ReviewForm

    def perform(self, item, data):
        services.remediation_verify(action=item, membership=self.membership, **data)


class _RequestPost(_PostView):
    def get_target(self, pk):
        return get_object_or_404(selectors.evidence_request_list(self.membership), pk=pk)

    def engagement_pk(self, target):
        return target.engagement_id


class EvidenceRespondView(_RequestPost):
    required_action = Action.CHANGE

    def get_form(self, target):
        return forms.RespondForm(self.request.POST, engagement=target.engagement, membership=self.membership)

    def perform(self, item, data):
        services.evidence_request_respond(item=item, membership=self.membership, **data)


class EvidenceReviewView(_RequestPost):
    form_class = forms.ReviewForm

    def perform(self, item, data):
        services.evidence_request_review(item=item, membership=self.membership, **data)


class SystemAuditsView(SystemTabMixin, TemplateView):
    """The Audits tab of a system: its engagements and trusted-list filings."""

    template_name = "audit/system_audits.html"
    active_tab = "audits"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["engagements"] = selectors.system_engagements(self.membership, self.system)
        filings = list(selectors.system_filings(self.membership, self.system))
        context["filings"] = [(filing, services.filing_missing(filing)) for filing in filings]
        context["can_add"] = _organization_may(self.membership, Action.ADD)
        return context


# -- trusted-list filings ---------------------------------------------------------------------------
class FilingCreateView(ServiceFormMixin, SystemTabMixin, FormView):
    """Start a trusted-list application for a system: its checklist."""

    template_name = "audit/filing_form.html"
    form_class = forms.FilingForm
    active_tab = "audits"
    required_action = Action.ADD

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership, "system": self.system}

    def perform_save(self, form):
        return services.filing_create(system=self.system, membership=self.membership, **form.cleaned_data)

    def get_success_url(self):
        return reverse("audit:filing_detail", args=[self.object.pk])


class _FilingMixin(TenantMixin):
    def get_filing(self):
        if not hasattr(self, "_filing"):
            self._filing = get_object_or_404(selectors.filing_list(self.membership), pk=self.kwargs["pk"])
        return self._filing


class FilingUpdateView(ServiceFormMixin, _FilingMixin, FormView):
    """Tick the checklist of an application still in preparation."""

    template_name = "audit/filing_form.html"
    form_class = forms.FilingForm
    required_action = Action.CHANGE

    def get_form_kwargs(self):
        filing = self.get_filing()
        return {
            **super().get_form_kwargs(),
            "membership": self.membership,
            "system": filing.system,
            "instance": filing,
        }

    def get_context_data(self, **kwargs):
        filing = self.get_filing()
        return super().get_context_data(filing=filing, system=filing.system, **kwargs)

    def perform_save(self, form):
        filing = self.get_filing()
        filing.refresh_from_db()
        return services.filing_update(filing=filing, membership=self.membership, **form.cleaned_data)

    def get_success_url(self):
        return reverse("audit:filing_detail", args=[self.object.pk])


class FilingDetailView(_FilingMixin, TemplateView):
    """The checklist, the status and the sector body's clock in working days."""

    template_name = "audit/filing_detail.html"

    def get_context_data(self, **kwargs):
        filing = self.get_filing()
        organization_side = _organization_may(self.membership)
        preparing = filing.status == FilingStatus.PREPARING
        return super().get_context_data(
            filing=filing,
            system=filing.system,
            missing=services.filing_missing(filing),
            clock=selectors.filing_clock(filing),
            can_edit=organization_side and preparing,
            can_submit=_organization_may(self.membership, Action.APPROVE) and preparing,
            can_record=organization_side and filing.status in (FilingStatus.FILED, FilingStatus.COMPLETE),
            submit_form=forms.FilingSubmitForm(
                initial={"filed_on": timezone.localdate()}, auto_id="submit_%s"
            ),
            outcome_form=forms.FilingOutcomeForm(initial={"on": timezone.localdate()}, auto_id="outcome_%s"),
            **kwargs,
        )


class _FilingPost(_PostView):
    def get_target(self, pk):
        return get_object_or_404(selectors.filing_list(self.membership), pk=pk)

    def redirect_url(self, filing) -> str:
        return reverse("audit:filing_detail", args=[filing.pk])


class FilingSubmitView(_FilingPost):
    required_action = Action.APPROVE
    form_class = forms.FilingSubmitForm

    def perform(self, filing, data):
        services.filing_submit(filing=filing, membership=self.membership, **data)


class FilingOutcomeView(_FilingPost):
    required_action = Action.CHANGE
    form_class = forms.FilingOutcomeForm

    def perform(self, filing, data):
        services.filing_record_outcome(filing=filing, membership=self.membership, **data)
