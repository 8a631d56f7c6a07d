"""Per-system pages: the Risk tab, a classification, a screening."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from kzai.activity.selectors import activity_for_object
from kzai.core.roles import Action
from kzai.core.views import TenantMixin
from registry.models import AISystem
from risk import selectors
from risk.models import Classification, Screening
from risk.services.screening import prohibition_reasons


class SystemMixin(TenantMixin):
    """A page about one system (URL kwarg `pk`), reachable only through `restrict`."""

    model = AISystem
    system_kwarg = "pk"

    def get_system(self):
        if not hasattr(self, "_system"):
            self._system = get_object_or_404(
                AISystem.objects.restrict(self.membership, Action.VIEW), pk=self.kwargs[self.system_kwarg]
            )
        return self._system


class SystemRiskView(SystemMixin, TemplateView):
    """The Risk tab of a system: current classification (with any justification), the banned-practice
    screen, the obligations and the score, and the history of both."""

    template_name = "risk/classification_system_risk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.get_system()
        risk = selectors.system_risk(self.membership, system)
        context.update(
            system=system,
            risk=risk,
            reasons=prohibition_reasons(risk.screening) if risk.screening and risk.screening.findings else [],
            can_classify=self.membership.allows(Action.ADD),
            activity=activity_for_object(system, membership=self.membership)[:10],
        )
        return context


class ClassificationDetailView(TenantMixin, TemplateView):
    template_name = "risk/classification_detail.html"
    model = Classification

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        classification = get_object_or_404(
            selectors.classifications_for(self.membership), pk=self.kwargs["pk"]
        )
        from risk.services.classification import classification_would_derive

        context.update(
            classification=classification,
            system=classification.system,
            would_derive=classification_would_derive(classification),
            can_approve=self.membership.allows(Action.APPROVE) and classification.status == "draft",
        )
        return context


class ScreeningDetailView(TenantMixin, TemplateView):
    template_name = "risk/screening_detail.html"
    model = Screening

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        screening = get_object_or_404(selectors.screenings_for(self.membership), pk=self.kwargs["pk"])
        from risk.models.library import translated

        rows = []
        for practice in screening.library_version.prohibited_practices:
            answer = screening.answers.get(practice["code"], {})
            exception = next((e for e in practice["exceptions"] if e["id"] == answer.get("exception")), None)
            rows.append(
                {
                    "code": practice["code"],
                    "question": translated(practice["question"]),
                    "citation": f"{practice['article']} [{practice['reference_level']}]",
                    "present": answer.get("present"),
                    "exception": translated(exception["label"]) if exception else "",
                    "basis": answer.get("basis", ""),
                    "finding": practice["code"] in screening.findings,
                }
            )
        context.update(screening=screening, system=screening.system, rows=rows)
        return context


class ClassificationApproveView(TenantMixin, TemplateView):
    """POST: approve a draft classification (officers and administrators)."""

    model = Classification
    required_action = Action.APPROVE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.db import transaction
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from risk.services.classification import classification_approve

        classification = get_object_or_404(
            selectors.classifications_for(self.membership), pk=self.kwargs["pk"]
        )
        try:
            with transaction.atomic():
                classification_approve(classification=classification, membership=self.membership)
            messages.success(request, _("Classification approved; obligations updated."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("risk:classification_detail", pk=classification.pk)
