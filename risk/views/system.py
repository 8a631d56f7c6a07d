"""Per-system pages under the Risk tab: the tab's front page (classification, screen, obligations,
score, and a summary of the risk register and the annual review), a classification, a screening."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kzai.core.roles import Action
from risk import selectors
from risk.fines.selectors import system_exposure
from risk.forms import ApproveForm, ContradictionExplainForm
from risk.models import Classification, Contradiction, Screening
from risk.models.library import practice_citation, translated
from risk.risk_management import selectors as register_selectors
from risk.services.classification import classification_approve, classification_would_derive
from risk.services.contradictions import EXPLAIN_ACTION, contradiction_explain
from risk.services.screening import prohibition_reasons
from risk.views.tabs import ObjectRiskTabMixin, RiskTabMixin


class SystemRiskView(RiskTabMixin, TemplateView):
    """The Risk tab of a system: current classification (with any justification), the banned-practice
    screen, the obligations and the score, a summary of the risk register and the next review, and the
    history of classifications and screenings."""

    template_name = "risk/classification_system_risk.html"
    risk_section = "classification"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.system
        risk = selectors.system_risk(self.membership, system)
        context.update(
            risk=risk,
            reasons=prohibition_reasons(risk.screening) if risk.screening and risk.screening.findings else [],
            can_classify=self.membership.allows(Action.ADD),
            register=register_selectors.system_register_summary(self.membership, system),
            exposure=system_exposure(self.membership, system),
            can_explain=self.membership.allows(EXPLAIN_ACTION),
        )
        return context


class ClassificationDetailView(ObjectRiskTabMixin, TemplateView):
    template_name = "risk/classification_detail.html"
    model = Classification

    def get_tab_object(self):
        return self.classification

    @property
    def classification(self):
        if not hasattr(self, "_classification"):
            self._classification = get_object_or_404(
                selectors.classifications_for(self.membership), pk=self.kwargs["pk"]
            )
        return self._classification

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        classification = self.classification
        contradictions = list(
            selectors.contradictions_for(self.membership).filter(classification=classification, is_open=True)
        )
        context.update(
            classification=classification,
            would_derive=classification_would_derive(classification),
            can_approve=self.membership.allows(Action.APPROVE) and classification.status == "draft",
            contradictions=contradictions,
            needs_explanation=any(not c.is_explained for c in contradictions),
            can_explain=self.membership.allows(EXPLAIN_ACTION),
            approve_form=kwargs.get("approve_form") or ApproveForm(),
        )
        return context


class ScreeningDetailView(ObjectRiskTabMixin, TemplateView):
    template_name = "risk/screening_detail.html"
    model = Screening

    def get_tab_object(self):
        if not hasattr(self, "_screening"):
            self._screening = get_object_or_404(
                selectors.screenings_for(self.membership), pk=self.kwargs["pk"]
            )
        return self._screening

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        screening = self.get_tab_object()
        rows = []
        for practice in screening.library_version.prohibited_practices:
            answer = screening.answers.get(practice["code"], {})
            exception = next((e for e in practice["exceptions"] if e["id"] == answer.get("exception")), None)
            rows.append(
                {
                    "code": practice["code"],
                    "question": translated(practice["question"]),
                    "citation": practice_citation(practice),
                    "present": answer.get("present"),
                    "exception": translated(exception["label"]) if exception else "",
                    "basis": answer.get("basis", ""),
                    "finding": practice["code"] in screening.findings,
                }
            )
        context.update(
            screening=screening,
            rows=rows,
            contradictions=list(
                selectors.contradictions_for(self.membership).filter(screening=screening, is_open=True)
            ),
            can_explain=self.membership.allows(EXPLAIN_ACTION),
        )
        return context


class ClassificationApproveView(ObjectRiskTabMixin, TemplateView):
    """POST: approve a draft classification (officers and administrators)."""

    model = Classification
    required_action = Action.APPROVE
    http_method_names = ["post"]

    def get_tab_object(self):
        return get_object_or_404(selectors.classifications_for(self.membership), pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        classification = self.get_tab_object()
        form = ApproveForm(request.POST)
        form.is_valid()  # the explanation is optional; the service says when it is needed
        try:
            with transaction.atomic():
                classification_approve(
                    classification=classification,
                    membership=self.membership,
                    explanation=form.cleaned_data.get("explanation", ""),
                )
            messages.success(request, _("Classification approved; obligations updated."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("risk:classification_detail", pk=classification.pk)


class ContradictionExplainView(ObjectRiskTabMixin, TemplateView):
    """POST: record why a register fact and an answer of the screen or classification differ."""

    model = Contradiction
    required_action = EXPLAIN_ACTION
    http_method_names = ["post"]

    def get_tab_object(self):
        return get_object_or_404(selectors.contradictions_for(self.membership), pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        contradiction = self.get_tab_object()
        form = ContradictionExplainForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the register and the answer differ."))
            return redirect("risk:system_risk", pk=contradiction.system_id)
        try:
            with transaction.atomic():
                contradiction_explain(
                    contradiction=contradiction,
                    membership=self.membership,
                    explanation=form.cleaned_data["explanation"],
                )
            messages.success(request, _("Explanation recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("risk:system_risk", pk=contradiction.system_id)
