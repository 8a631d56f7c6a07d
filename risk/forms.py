"""Forms of the wizard, obligation editing, evidence and library adoption (thin: services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import Membership
from kzai.core.forms import member_label
from registry.choices import AutonomyLevel, RiskLevel
from risk.choices import AffectedDomain, AutonomyAnswer, DisruptionImpact, ObligationStatus
from risk.models.library import practice_citation, translated

YES_NO = [("no", _("No")), ("yes", _("Yes"))]


def explanation_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Why the answers differ from the register"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed only where an answer contradicts a register fact (e.g. the register says the system "
            "recognises emotions). Kept with your name and shown with the contradiction."
        ),
    )


class ImpactForm(forms.Form):
    disruption_impact = forms.ChoiceField(
        label=_("What would the system's disruption or termination of operation do?"),
        choices=DisruptionImpact.choices,
        widget=forms.RadioSelect,
        help_text=_("Art. 17(1) [P]: the level is judged by the consequences of disruption or termination."),
    )
    affected_domains = forms.MultipleChoiceField(
        label=_("Where could it have significant negative consequences?"),
        choices=AffectedDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Tick none if there are no significant negative consequences. Any tick suggests high risk."
        ),
    )
    critical_ict_infrastructure = forms.BooleanField(
        label=_("The system is a critically important object of ICT infrastructure"), required=False
    )
    state_information_resource = forms.BooleanField(
        label=_("The system forms state electronic information resources"), required=False
    )


class AutonomyForm(forms.Form):
    autonomy = forms.ChoiceField(
        label=_("Who has the final word on the system's output?"),
        choices=AutonomyAnswer.choices,
        widget=forms.RadioSelect,
        help_text=_("Art. 17(2) [P]."),
    )
    answer_notes = forms.CharField(
        label=_("Notes on the answers"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclareForm(forms.Form):
    declared_risk_level = forms.ChoiceField(label=_("Declared risk level"), choices=RiskLevel.choices)
    declared_autonomy_level = forms.ChoiceField(
        label=_("Declared autonomy level"), choices=AutonomyLevel.choices
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when you declare a level lower than the suggested one; "
            "printed wherever the level is shown."
        ),
    )
    explanation = explanation_field()


class ScreeningForm(forms.Form):
    """One yes/no question per prohibited practice, with the exceptions the law allows."""

    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    explanation = explanation_field()

    def __init__(self, *args, practices, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.practices = practices
        self.groups = []
        for practice in practices:
            code = practice["code"]
            present = f"{code}__present"
            self.fields[present] = forms.ChoiceField(
                label=f"{code} · {translated(practice['question'])}",
                choices=YES_NO,
                widget=forms.RadioSelect,
                help_text=(f"{translated(practice['guidance'])} ({practice_citation(practice)})"),
            )
            names = [present]
            if system is not None and code == "KZ-AI-PROH-06" and system.recognises_emotions:
                self.initial.setdefault(present, "yes")
            if practice["exceptions"]:
                exception = f"{code}__exception"
                self.fields[exception] = forms.ChoiceField(
                    label=_("Exception the law allows"),
                    choices=[("", _("None claimed"))]
                    + [(e["id"], translated(e["label"])) for e in practice["exceptions"]],
                    required=False,
                )
                basis = f"{code}__basis"
                self.fields[basis] = forms.CharField(
                    label=_("How the exception is met (consent obtained, or the legal act)"), required=False
                )
                names += [exception, basis]
            self.groups.append({"code": code, "fields": [self[n] for n in names]})

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            p["code"]: {
                "present": data[f"{p['code']}__present"] == "yes",
                "exception": data.get(f"{p['code']}__exception", "") or "",
                "basis": data.get(f"{p['code']}__basis", "") or "",
            }
            for p in self.practices
        }


class ObligationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ObligationStatus.choices)
    not_applicable_reason = forms.CharField(
        label=_("Reason it does not apply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible member"), queryset=Membership.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Membership.objects.active_in(organization)
        self.fields["responsible"].label_from_instance = member_label


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    reference = forms.CharField(label=_("Reference"), required=False, max_length=300)


class LibraryApplyForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I reviewed the preview: apply this version to every system of the organization"),
        required=True,
    )


class ApproveForm(forms.Form):
    """Approving a classification: an explanation where its answers contradict the register."""

    explanation = explanation_field()


class ContradictionExplainForm(forms.Form):
    explanation = explanation_field(required=True)
