"""Preparing, changing and approving classifications; approval writes the system's level."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from risk.choices import (
    AffectedDomain,
    AutonomyAnswer,
    ClassificationStatus,
    DisruptionImpact,
    ObligationStatus,
)
from risk.library.facts import system_facts
from risk.models import Classification, Obligation
from risk.services.contradictions import (
    contradictions_sync,
    explain_open,
    require_classification_explanation,
    stricter_facts,
)
from risk.services.library import library_version_for
from risk.services.obligations import applicable_requirements, obligation_update, obligations_sync
from risk.suggestion import QUESTIONNAIRE_VERSION, Answers, consistency_notes, rationale_text, suggest

ANSWER_FIELDS = (
    "disruption_impact",
    "affected_domains",
    "critical_ict_infrastructure",
    "state_information_resource",
    "autonomy",
)


def _apply_suggestion(classification: Classification, *, keep_declared: bool) -> None:
    domains = classification.affected_domains
    answers = Answers(
        disruption_impact=classification.disruption_impact,
        affected_domains=tuple(domains) if isinstance(domains, list) else (),
        critical_ict_infrastructure=classification.critical_ict_infrastructure,
        state_information_resource=classification.state_information_resource,
        autonomy=classification.autonomy,
    )
    suggestion = suggest(answers)
    notes = consistency_notes(answers, classification.system)
    classification.suggested_risk_level = suggestion.risk_level
    classification.suggested_autonomy_level = suggestion.autonomy_level
    # The reasons are stored as keys and parameters and rendered in the reader's language; the
    # text column keeps the rationale as prepared, for exports that need one plain text.
    classification.reasons = [reason.as_data() for reason in (*suggestion.reasons, *notes)]
    classification.rationale = rationale_text(classification.reasons)
    if not keep_declared or not classification.declared_risk_level:
        classification.declared_risk_level = suggestion.risk_level
    if not keep_declared or not classification.declared_autonomy_level:
        classification.declared_autonomy_level = suggestion.autonomy_level


def _validate_answers(values: dict) -> None:
    """Refuse answers the suggestion cannot read (the model's clean() repeats the domain check)."""
    errors = {}
    domains = values.get("affected_domains", [])
    if not isinstance(domains, list) or any(d not in AffectedDomain.values for d in domains):
        errors["affected_domains"] = _("Choose among: %(choices)s.") % {
            "choices": ", ".join(AffectedDomain.values)
        }
    if values.get("disruption_impact") not in DisruptionImpact.values:
        errors["disruption_impact"] = _("Choose what the system's disruption or termination would do.")
    if values.get("autonomy") not in AutonomyAnswer.values:
        errors["autonomy"] = _("Choose who has the final word on the system's output.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def classification_create(
    *,
    system,
    membership,
    disruption_impact: str,
    autonomy: str,
    affected_domains: list[str] | None = None,
    critical_ict_infrastructure: bool = False,
    state_information_resource: bool = False,
    answer_notes: str = "",
    declared_risk_level: str = "",
    declared_autonomy_level: str = "",
    justification: str = "",
) -> Classification:
    """Prepare a draft classification from the questionnaire's answers, with the suggestion.

    The declared levels default to the suggested ones; a lower declaration needs a justification.
    """
    if system.archived_at is not None:
        raise ValidationError(_("An archived system is not classified."))
    _validate_answers(
        {
            "disruption_impact": disruption_impact,
            "autonomy": autonomy,
            "affected_domains": affected_domains or [],
        }
    )
    classification = Classification(
        organization_id=system.organization_id,
        system=system,
        questionnaire_version=QUESTIONNAIRE_VERSION,
        library_version=library_version_for(system.organization),
        disruption_impact=disruption_impact,
        affected_domains=list(affected_domains or []),
        critical_ict_infrastructure=critical_ict_infrastructure,
        state_information_resource=state_information_resource,
        autonomy=autonomy,
        answer_notes=answer_notes,
        declared_risk_level=declared_risk_level,
        declared_autonomy_level=declared_autonomy_level,
        justification=justification,
        prepared_by=membership,
    )
    _apply_suggestion(classification, keep_declared=True)
    classification.full_clean()
    classification.save()
    contradictions_sync(system=system, resync_obligations=True)
    return classification


@transaction.atomic
def classification_update(*, classification: Classification, membership, **changes) -> Classification:
    """Change a draft's answers or declaration; the suggestion is recomputed from the answers."""
    if classification.status != ClassificationStatus.DRAFT:
        raise ValidationError(_("Only a draft classification can be changed; start a new one instead."))
    allowed = set(ANSWER_FIELDS) | {
        "answer_notes",
        "declared_risk_level",
        "declared_autonomy_level",
        "justification",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    answers_changed = any(
        key in ANSWER_FIELDS and getattr(classification, key) != value for key, value in changes.items()
    )
    for key, value in changes.items():
        setattr(classification, key, value)
    _validate_answers(
        {"disruption_impact": classification.disruption_impact, "autonomy": classification.autonomy}
    )
    declared_given = "declared_risk_level" in changes or "declared_autonomy_level" in changes
    # New answers reset the declaration to the new suggestion unless the caller declares too.
    _apply_suggestion(classification, keep_declared=declared_given or not answers_changed)
    classification.prepared_by = membership
    classification.full_clean()
    classification.save()
    contradictions_sync(system=classification.system, resync_obligations=True)
    return classification


def classification_would_derive(classification: Classification):
    """The requirements that would apply to the system if this classification were approved."""
    facts = stricter_facts(classification.system, system_facts(classification.system))
    facts["risk_level"] = classification.declared_risk_level
    facts["autonomy_level"] = classification.declared_autonomy_level
    requirements = list(classification.library_version.requirements.all())
    return applicable_requirements(classification.system, requirements, facts)


@transaction.atomic
def classification_approve(
    *, classification: Classification, membership, explanation: str = ""
) -> Classification:
    """Approve a draft: it becomes the system's current classification.

    The previous approved one is superseded; the system's risk level, autonomy and classification
    dates are written (normal saves, so the activity log records them); obligations are re-derived.
    A draft whose answers contradict the register (critical infrastructure yes in one, no in the
    other) is approved only with an explanation, given now or recorded before; it is kept with the
    approver's name and shown with the contradiction.
    """
    if classification.status != ClassificationStatus.DRAFT:
        raise ValidationError(_("Only a draft classification can be approved."))
    classification.full_clean()
    require_classification_explanation(classification=classification, explanation=explanation)
    now = timezone.now()
    system = classification.system
    for previous in system.classifications.filter(status=ClassificationStatus.APPROVED).exclude(
        pk=classification.pk
    ):
        previous.status = ClassificationStatus.SUPERSEDED
        previous.save()
    classification.status = ClassificationStatus.APPROVED
    classification.approved_by = membership
    classification.approved_at = now
    classification.save()
    system.risk_level = classification.declared_risk_level
    system.autonomy_level = classification.declared_autonomy_level
    system.classified_at = now
    if system.first_classified_at is None:
        system.first_classified_at = now
    system.classification_stale = False
    system.save()
    contradictions_sync(system=system)
    explain_open(system=system, membership=membership, explanation=explanation, classification=classification)
    obligations_sync(system=system)
    _mark_classification_obligation_met(system, classification)
    return classification


def _mark_classification_obligation_met(system, classification) -> None:
    """KZ-AI-RISK-01 (classify the system) is met by the approval itself."""
    obligation = Obligation.objects.filter(system=system, code="KZ-AI-RISK-01", in_force=True).first()
    if obligation is not None and obligation.status != ObligationStatus.MET:
        obligation_update(
            obligation=obligation,
            membership=classification.approved_by,
            status=ObligationStatus.MET,
            notes=(obligation.notes + "\n" if obligation.notes else "")
            + _("Met by the approved classification of %(date)s.")
            % {"date": date_format(timezone.localdate(classification.approved_at), "DATE_FORMAT")},
        )


def current_classification(system) -> Classification | None:
    """The system's current classification: its latest approved one."""
    return (
        system.classifications.filter(status=ClassificationStatus.APPROVED).order_by("-approved_at").first()
    )
