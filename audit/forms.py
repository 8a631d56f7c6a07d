"""Forms of the audit pages. They collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.choices import (
    Conclusion,
    CriterionResult,
    EngagementStatus,
    FilingStatus,
    FindingSeverity,
    RemediationStatus,
)
from audit.models import Engagement, TrustedListFiling
from kzai.accounts.models import Membership
from registry.models import AISystem, Party


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} ({obj.get_role_display()})"


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} ({obj.get_role_display()})"


def _members(organization):
    return (
        Membership.objects.active()
        .filter(organization=organization)
        .select_related("user")
        .order_by("user__email")
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EngagementForm(forms.ModelForm):
    systems = forms.ModelMultipleChoiceField(queryset=AISystem.objects.none(), label=_("AI systems in scope"))
    lead_auditor = MemberChoiceField(queryset=Membership.objects.none(), label=_("Lead auditor"))
    team = MembersChoiceField(queryset=Membership.objects.none(), label=_("Audit team"), required=False)
    audit_firm = forms.ModelChoiceField(queryset=Party.objects.none(), label=_("Audit firm"), required=False)

    class Meta:
        model = Engagement
        fields = [
            "title",
            "engagement_type",
            "systems",
            "audit_firm",
            "lead_auditor",
            "team",
            "scope",
            "planned_start",
            "planned_end",
            "access_until",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "planned_start": DATE,
            "planned_end": DATE,
            "access_until": DATE,
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = AISystem.objects.restrict(membership).order_by("code")
        self.fields["audit_firm"].queryset = Party.objects.restrict(membership).order_by("name")
        self.fields["lead_auditor"].queryset = _members(membership.organization)
        self.fields["team"].queryset = _members(membership.organization)

    def _post_clean(self):
        # The service validates the model (with the organization it stamps), not the form.
        pass


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=EngagementStatus.choices)


class CriterionResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=CriterionResult.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CustomCriterionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    severity = forms.ChoiceField(label=_("Severity"), choices=FindingSeverity.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendation = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=None, required=False)

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = engagement.criteria.all()


class RemediationForm(forms.Form):
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = MemberChoiceField(queryset=Membership.objects.none(), label=_("Owner"))
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _members(membership.organization).exclude(role="auditor")


class RemediationProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(k, v) for k, v in RemediationStatus.choices if k != RemediationStatus.VERIFIED],
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    """Accept or return (an evidence response, a remediation action) with a reason."""

    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Return"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceRequestForm(forms.Form):
    request = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Answer by"), required=False, widget=DATE)


class VersionsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.document.title} v{obj.number} ({obj.original_name})"


class RespondForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 3}))
    versions = VersionsChoiceField(
        label=_("Documents given"),
        queryset=None,
        required=False,
        help_text=_("Versions of documents of the systems in scope; the auditor sees them and their hashes."),
    )

    def __init__(self, *args, engagement, membership, **kwargs):
        from audit.services import evidence_versions_in_scope

        super().__init__(*args, **kwargs)
        self.fields["versions"].queryset = evidence_versions_in_scope(engagement, membership)


class CommentForm(forms.Form):
    """A comment on one record of the engagement (which one is a hidden field of the form)."""

    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))
    criterion = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    evidence_request = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    finding = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = engagement.criteria.all()
        self.fields["evidence_request"].queryset = engagement.evidence_requests.all()
        self.fields["finding"].queryset = engagement.audit_findings.all()


class ReportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))],
    )


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    conclusion_text = forms.CharField(label=_("Conclusion text"), widget=forms.Textarea(attrs={"rows": 4}))


class EngagementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        closed = obj.actual_end.strftime("%d.%m.%Y") if obj.actual_end else ""
        return f"{obj.title} — {obj.get_conclusion_display()} ({closed})"


class FilingForm(forms.ModelForm):
    """The checklist of a trusted-list application: the application, the copyright certificate or
    agreement, and a closed audit of the system with a positive conclusion."""

    audit_engagement = EngagementChoiceField(
        queryset=Engagement.objects.none(),
        required=False,
        label=_("Audit with a positive report"),
        help_text=_("A closed audit of this system with a positive conclusion."),
    )

    class Meta:
        model = TrustedListFiling
        fields = ["sector_body", "application_ready", "copyright_document", "audit_engagement"]

    def __init__(self, *args, membership, system, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audit_engagement"].queryset = (
            Engagement.objects.restrict(membership)
            .filter(
                systems=system,
                status=EngagementStatus.CLOSED,
                conclusion__in=(Conclusion.POSITIVE, Conclusion.QUALIFIED),
            )
            .order_by("-actual_end", "-id")
        )

    def _post_clean(self):
        # The service validates the model (with the organization it stamps), not the form.
        pass


class FilingSubmitForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)


class FilingOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What the sector body did"),
        choices=[
            (s.value, s.label) for s in (FilingStatus.COMPLETE, FilingStatus.REFUSED, FilingStatus.PUBLISHED)
        ],
    )
    on = forms.DateField(label=_("On"), widget=DATE)
