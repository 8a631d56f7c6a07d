"""Forms of the risk register and reviews. They collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import Membership
from kzai.core.forms import TenantModelForm, member_label
from risk.models import Measure, ReviewItem, ReviewSchedule, Risk
from risk.risk_management.catalogue.loader import catalogue
from risk.risk_management.choices import Likelihood, ReviewItemOutcome, Severity, scale_choices

SCALES = {
    "likelihood": Likelihood,
    "severity": Severity,
    "residual_likelihood": Likelihood,
    "residual_severity": Severity,
}


class RiskForm(TenantModelForm):
    class Meta:
        model = Risk
        fields = [
            "system",
            "title",
            "description",
            "category",
            "origin",
            "likelihood",
            "severity",
            "residual_likelihood",
            "residual_severity",
            "owner",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["system"]
        # The scale in words beside its number: "4 — likely", "5 — critical".
        for name, scale in SCALES.items():
            field = self.fields[name]
            blank = [("", "—")] if not field.required else []
            field.choices = [*blank, *scale_choices(scale)]


class MeasureForm(TenantModelForm):
    evidence_url = forms.URLField(label=_("evidence link"), required=False, assume_scheme="https")

    class Meta:
        model = Measure
        fields = [
            "system",
            "title",
            "description",
            "kind",
            "risks",
            "owner",
            "due_on",
            "status",
            "evidence",
            "evidence_url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "risks": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        system = system or (self.instance.system if self.instance.pk else None)
        risks = (
            Risk.objects.restrict(self.membership).select_related("system").order_by("system__name", "title")
        )
        if system is not None:
            risks = risks.filter(system=system)
        self.fields["risks"].queryset = risks
        if self.instance.pk:
            del self.fields["system"]


class CatalogueForm(forms.Form):
    risk_keys = forms.MultipleChoiceField(
        label=_("Risks to add"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        error_messages={"required": _("Choose one or more risks from the catalogue.")},
    )
    owner = forms.ModelChoiceField(queryset=Membership.objects.none(), required=False, label=_("Owner"))

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        entries = catalogue()
        self.fields["risk_keys"].choices = [
            (key, entry.text("title")) for key, entry in entries.risks.items()
        ]
        self.fields["owner"].queryset = Membership.objects.active_in(membership.organization_id)
        self.fields["owner"].label_from_instance = member_label


class ReviewScheduleForm(TenantModelForm):
    class Meta:
        model = ReviewSchedule
        fields = ["interval_months", "first_due_on", "reviewer"]
        widgets = {"first_due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Let the service give the law-based message instead of the generic "≤ 12" validator text.
        self.fields["interval_months"].validators = []
        self.fields["interval_months"].widget.attrs.pop("max", None)


class ReviewItemForm(forms.ModelForm):
    """One item's outcome and note. On the review's table form (`in_table=True`) a row may stay
    blank: only the rows a person filled in are recorded."""

    class Meta:
        model = ReviewItem
        fields = ["outcome", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, in_table: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.in_table = in_table
        outcome = self.fields["outcome"]
        # "Not yet reviewed" is not something to record; a blank choice stands for it, so a
        # pending row is never shown (and sent back) as the first real outcome.
        outcome.choices = [("", "—")] + [
            c for c in ReviewItemOutcome.choices if c[0] != ReviewItemOutcome.PENDING
        ]
        outcome.required = not in_table
        if self.instance.outcome == ReviewItemOutcome.PENDING:
            self.initial["outcome"] = ""

    def clean(self):
        cleaned = super().clean()
        if self.in_table and not cleaned.get("outcome") and (cleaned.get("note") or "").strip():
            self.add_error("outcome", _("Choose an outcome for this item, or clear its note."))
        return cleaned

    @property
    def to_record(self) -> bool:
        """On the table form: the person chose an outcome or changed the note of this row."""
        return bool(self.cleaned_data.get("outcome")) and self.has_changed()


def review_item_forms(items, data=None) -> list[ReviewItemForm]:
    """The review page's table form: one row form per item, prefixed by the item's id so that a
    row can also be recorded on its own (the per-item view reads the same names)."""
    return [ReviewItemForm(data, instance=item, prefix=f"item-{item.pk}", in_table=True) for item in items]


class SignOffForm(forms.Form):
    summary = forms.CharField(label=_("Summary of the review"), widget=forms.Textarea(attrs={"rows": 3}))
