"""The guided classification wizard: facts check → impact → autonomy → banned-practice screen →
review & declare → obligations.

Answers to the first steps live in the session until the autonomy step creates the draft
classification; from then on every step writes through the services, so leaving the wizard halfway
keeps a draft (and a screening) on record.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from kzai.core.roles import Action
from kzai.core.views import apply_validation_error
from registry.choices import SyntheticMedium
from registry.models.systems import CLASSIFICATION_FACTS
from risk import forms as risk_forms
from risk import selectors
from risk.choices import ClassificationStatus
from risk.services.classification import (
    classification_approve,
    classification_create,
    classification_update,
    classification_would_derive,
)
from risk.services.library import library_version_for
from risk.services.screening import latest_screening, screening_record
from risk.suggestion import prefill
from risk.views.tabs import RiskTabMixin

STEPS = [
    ("facts", gettext_lazy("Facts check")),
    ("impact", gettext_lazy("Impact and domains")),
    ("autonomy", gettext_lazy("Autonomy")),
    ("screen", gettext_lazy("Banned-practice screen")),
    ("review", gettext_lazy("Review and declare")),
    ("obligations", gettext_lazy("Obligations")),
]
STEP_NAMES = [name for name, _label in STEPS]


def _fact_value(system, name):
    """A register fact as the officer reads it: choice labels, and lists (synthetic media) joined."""
    if hasattr(system, f"get_{name}_display"):
        return getattr(system, f"get_{name}_display")()
    value = getattr(system, name)
    if isinstance(value, list):
        labels = dict(SyntheticMedium.choices) if name == "synthetic_media" else {}
        return ", ".join(str(labels.get(item, item)) for item in value) or None
    return value


class WizardView(RiskTabMixin, TemplateView):
    template_name = "risk/classification_wizard.html"
    required_action = Action.ADD

    # -- state ------------------------------------------------------------------------------------
    @property
    def step(self):
        step = self.request.GET.get("step", "facts")
        return step if step in STEP_NAMES else "facts"

    @property
    def session_key(self):
        return f"risk_wizard_{self.get_system().pk}"

    def draft(self):
        return (
            self.get_system()
            .classifications.filter(status=ClassificationStatus.DRAFT)
            .order_by("-created_at")
            .first()
        )

    def stored_answers(self) -> dict:
        answers = dict(prefill(self.get_system()))
        draft = self.draft()
        if draft is not None:
            answers.update(
                disruption_impact=draft.disruption_impact,
                affected_domains=draft.affected_domains,
                critical_ict_infrastructure=draft.critical_ict_infrastructure,
                state_information_resource=draft.state_information_resource,
                autonomy=draft.autonomy,
                answer_notes=draft.answer_notes,
            )
        answers.update(self.request.session.get(self.session_key, {}))
        return answers

    def go(self, step):
        return redirect(f"{reverse('risk:wizard', args=[self.get_system().pk])}?step={step}")

    # -- forms ------------------------------------------------------------------------------------
    def make_form(self, data=None):
        system = self.get_system()
        answers = self.stored_answers()
        if self.step == "impact":
            return risk_forms.ImpactForm(data, initial=answers)
        if self.step == "autonomy":
            return risk_forms.AutonomyForm(data, initial=answers)
        if self.step == "screen":
            version = library_version_for(system.organization)
            initial = {}
            previous = latest_screening(system)
            if previous is not None:
                for code, answer in previous.answers.items():
                    initial[f"{code}__present"] = "yes" if answer.get("present") else "no"
                    initial[f"{code}__exception"] = answer.get("exception", "")
                    initial[f"{code}__basis"] = answer.get("basis", "")
            return risk_forms.ScreeningForm(
                data, practices=version.prohibited_practices, system=system, initial=initial
            )
        if self.step == "review":
            draft = self.draft()
            initial = {}
            if draft is not None:
                initial = {
                    "declared_risk_level": draft.declared_risk_level,
                    "declared_autonomy_level": draft.declared_autonomy_level,
                    "justification": draft.justification,
                }
            return risk_forms.DeclareForm(data, initial=initial)
        return None

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.get_system()
        index = STEP_NAMES.index(self.step)
        draft = self.draft()
        context.update(
            system=system,
            step=self.step,
            steps=[
                {"name": n, "label": label, "number": i + 1, "done": i < index}
                for i, (n, label) in enumerate(STEPS)
            ],
            step_number=index + 1,
            step_total=len(STEPS),
            form=form if form is not None else self.make_form(),
            draft=draft,
            can_approve=self.membership.allows(Action.APPROVE),
        )
        if self.step == "facts":
            context["fact_rows"] = [
                (system._meta.get_field(name).verbose_name, _fact_value(system, name))
                for name in CLASSIFICATION_FACTS
            ]
        if self.step == "obligations":
            current = selectors.system_risk(self.membership, system)
            context["risk"] = current
            context["would_derive"] = classification_would_derive(draft) if draft is not None else []
        if self.step == "screen":
            context["latest_screening"] = latest_screening(system)
        if self.step in ("screen", "review"):
            context["contradictions"] = selectors.system_risk(self.membership, system).contradictions
        return context

    # -- steps ------------------------------------------------------------------------------------
    def post(self, request, *args, **kwargs):
        system = self.get_system()
        if self.step == "facts":
            return self.go("impact")
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            with transaction.atomic():
                return self.save_step(system, form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.render_to_response(self.get_context_data(form=form))

    def save_step(self, system, form):
        data = form.cleaned_data
        if self.step == "impact":
            stored = self.request.session.get(self.session_key, {})
            stored.update(
                {
                    key: data[key]
                    for key in (
                        "disruption_impact",
                        "affected_domains",
                        "critical_ict_infrastructure",
                        "state_information_resource",
                    )
                }
            )
            self.request.session[self.session_key] = stored
            draft = self.draft()
            if draft is not None:
                classification_update(
                    classification=draft,
                    membership=self.membership,
                    **{k: stored[k] for k in stored if k != "autonomy"},
                )
            return self.go("autonomy")
        if self.step == "autonomy":
            answers = self.stored_answers()
            if "disruption_impact" not in answers:
                messages.warning(self.request, _("Answer the impact questions first."))
                return self.go("impact")
            fields = {
                "disruption_impact": answers["disruption_impact"],
                "affected_domains": answers.get("affected_domains", []),
                "critical_ict_infrastructure": answers.get("critical_ict_infrastructure", False),
                "state_information_resource": answers.get("state_information_resource", False),
                "autonomy": data["autonomy"],
                "answer_notes": data["answer_notes"],
            }
            draft = self.draft()
            if draft is None:
                classification_create(system=system, membership=self.membership, **fields)
            else:
                classification_update(classification=draft, membership=self.membership, **fields)
            self.request.session.pop(self.session_key, None)
            return self.go("screen")
        if self.step == "screen":
            screening = screening_record(
                system=system,
                membership=self.membership,
                answers=form.answers(),
                notes=data["notes"],
                explanation=data["explanation"],
            )
            if screening.findings:
                messages.error(
                    self.request, _("Prohibited capability found: the system cannot be put into operation.")
                )
            return self.go("review")
        if self.step == "review":
            draft = self.draft()
            if draft is None:
                messages.warning(self.request, _("Answer the questionnaire first."))
                return self.go("impact")
            explanation = data.pop("explanation", "")
            classification_update(classification=draft, membership=self.membership, **data)
            if "approve" in self.request.POST:
                if not self.membership.allows(Action.APPROVE):
                    raise ValidationError(_("Your role may prepare a classification but not approve it."))
                classification_approve(
                    classification=draft, membership=self.membership, explanation=explanation
                )
                messages.success(self.request, _("Classification approved; obligations updated."))
            else:
                messages.success(self.request, _("Draft saved; an officer can approve it."))
            return self.go("obligations")
        return self.go("facts")
