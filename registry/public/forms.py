"""Forms of the officer's public-side pages; each saves through a service."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import Membership
from kzai.core.roles import Action
from registry.public import services
from registry.public.models import (
    MAX_REPORT_TEXT,
    AgreementVersion,
    ObjectionStatus,
    PublicPage,
    ReportKind,
    Ticket,
    TicketSeverity,
    TicketStatus,
)
from risk.models import Risk


class PublicPageForm(forms.ModelForm):
    """The public address and the texts per language (kk, ru, en) of a system's public page."""

    class Meta:
        model = PublicPage
        fields = services.PUBLIC_PAGE_FIELDS

    def __init__(self, *args, membership=None, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.system = system

    def _post_clean(self):
        pass  # the service validates the model (it knows whether the page is published)

    def save_through_service(self):
        return services.public_page_save(
            system=self.system, **{name: self.cleaned_data[name] for name in services.PUBLIC_PAGE_FIELDS}
        )


class AgreementVersionForm(forms.ModelForm):
    """A new version of the user agreement: its text per language and the day it takes effect."""

    class Meta:
        model = AgreementVersion
        fields = ("effective_on", *services.AGREEMENT_TEXT_FIELDS)
        widgets = {"effective_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"effective_on": _("The day from which this version applies (Asia/Almaty).")}

    def __init__(self, *args, membership=None, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.system = system

    def _post_clean(self):
        pass  # number and organization are set by the service, which validates the whole model

    def save_through_service(self):
        return services.agreement_version_add(
            system=self.system,
            effective_on=self.cleaned_data["effective_on"],
            **{name: self.cleaned_data[name] for name in services.AGREEMENT_TEXT_FIELDS},
        )


class PublicPageFilterForm(forms.Form):
    published = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", _("Published")), ("no", _("Not published"))],
    )


# -- the public report form ---------------------------------------------------------------------------
REPORT_TOKEN_SALT = "kzai.public.report"
# A person needs a few seconds to read the page and write; a bot posting at once is refused.
REPORT_MIN_SECONDS = 3
REPORT_MAX_AGE_SECONDS = 24 * 3600


def report_token(page) -> str:
    """A signed timestamp for the report form of `page` (refused when used too fast or too late)."""
    return signing.TimestampSigner(salt=REPORT_TOKEN_SALT).sign(str(page.pk))


class _PublicForm(forms.Form):
    """A form anyone may send: `website` is a honeypot a person never sees or fills, `token` a
    signed timestamp of when the form was shown (refused when sent too fast, too late or for
    another page)."""

    website = forms.CharField(required=False, label=_("Leave this field empty"))
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["token"] = report_token(page)

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean_token(self):
        signer = signing.TimestampSigner(salt=REPORT_TOKEN_SALT)
        token = self.cleaned_data["token"]
        try:
            value = signer.unsign(token, max_age=REPORT_MAX_AGE_SECONDS)
        except signing.BadSignature:
            raise forms.ValidationError(_("The form has expired; reload the page and try again.")) from None
        if value != str(self.page.pk):
            raise forms.ValidationError(_("The form has expired; reload the page and try again."))
        try:
            signer.unsign(token, max_age=REPORT_MIN_SECONDS)
        except signing.SignatureExpired:
            return token  # older than the minimum: a person had time to read and write
        raise forms.ValidationError(_("That was too fast. Please check your report and send it again."))
        return token


class ReportForm(_PublicForm):
    """A user's report, without an account."""

    kind = forms.ChoiceField(label=_("What do you want to report?"), choices=ReportKind.choices)
    message = forms.CharField(
        label=_("What happened"),
        max_length=MAX_REPORT_TEXT,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_REPORT_TEXT}),
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        help_text=_("Only if you want an answer; it is used for nothing else."),
    )
    field_order = ["kind", "message", "contact_email", "website", "token"]


class ObjectionForm(_PublicForm):
    """A person's objection to automated processing of their personal data."""

    message = forms.CharField(
        label=_("Your objection"),
        max_length=MAX_REPORT_TEXT,
        min_length=10,
        help_text=_("Which decision or processing you object to, and anything that helps us find it."),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_REPORT_TEXT}),
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail"), help_text=_("The answer is sent here within 3 working days.")
    )
    field_order = ["message", "contact_email", "website", "token"]


class ObjectionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=MAX_REPORT_TEXT, widget=forms.Textarea)


class ObjectionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ObjectionStatus.choices]
    )


class TicketForm(forms.ModelForm):
    """Triage of a ticket by the organization."""

    class Meta:
        model = Ticket
        fields = services.TICKET_FIELDS

    def __init__(self, *args, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        ticket = self.instance
        self.fields["assignee"].queryset = (
            Membership.objects.active()
            .filter(organization_id=membership.organization_id)
            .select_related("user")
        )
        self.fields["risk"].queryset = Risk.objects.restrict(membership, Action.VIEW).filter(
            system_id=ticket.system_id
        )

    def _post_clean(self):
        pass  # the service validates

    def save_through_service(self):
        return services.ticket_update(
            ticket=self.instance, **{n: self.cleaned_data[n] for n in services.TICKET_FIELDS}
        )


class TicketReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the reporter"), max_length=MAX_REPORT_TEXT, widget=forms.Textarea
    )


class TicketFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *TicketStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind of report"), required=False, choices=[("", _("All")), *ReportKind.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("All")), *TicketSeverity.choices]
    )
