"""Demo data for classification, screening and obligations: the demo bank's systems are classified
and screened through the services, and their obligations get a realistic mix of statuses.

The registry's demo (earlier in INSTALLED_APPS) creates the systems; when it has not (this app run
alone), a small fallback set of the bank's systems is created so the pages are not empty.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from kzai.core.roles import Role
from kzai.deadlines.reminders import reminder_sweep
from registry.grants import granted_system_ids, system_grants_set
from registry.models import AISystem
from registry.services import ai_system_update
from risk.choices import ObligationStatus
from risk.risk_management.demo import load_register_demo
from risk.services.classification import classification_approve, classification_create
from risk.services.obligations import obligation_evidence_add, obligation_update, obligations_sync
from risk.services.screening import screening_record

AUDITED_SYSTEMS = ("CRM-SCORE-01", "CHAT-01")

FALLBACK_SYSTEMS = [
    dict(
        code="CRM-SCORE-01",
        name="Retail credit scoring",
        intended_purpose="Scores retail loan applications and proposes a decision to the credit officer.",
        decision_role="takes",
        processes_personal_data=True,
        profiles_people=True,
        critical_ict_infrastructure=True,
        lifecycle_stage="in_operation",
    ),
    dict(
        code="CHAT-01",
        name="Customer support chatbot «Kömek»",
        intended_purpose="Answers customers' questions in Kazakh and Russian in the mobile app.",
        interacts_with_natural_persons=True,
        interaction_channel="chatbot",
        processes_personal_data=True,
        consumer_facing=True,
        lifecycle_stage="in_operation",
        uses_foreign_platform=True,
    ),
    dict(
        code="FRAUD-02",
        name="Card fraud detection",
        intended_purpose="Flags suspicious card transactions for the fraud team.",
        decision_role="prepares",
        processes_personal_data=True,
        profiles_people=True,
        lifecycle_stage="in_operation",
    ),
    dict(
        code="OCR-03",
        name="Document OCR",
        intended_purpose="Extracts fields from scanned identity documents and contracts.",
        processes_personal_data=True,
        lifecycle_stage="testing",
    ),
    dict(
        code="GEN-MKT-04",
        name="Generative marketing content",
        intended_purpose="Drafts banner images and texts for marketing campaigns.",
        generates_synthetic_content=True,
        synthetic_media=["text", "image"],
        lifecycle_stage="development",
    ),
]


def _fallback_systems(context):
    officer = context.members[Role.OFFICER]
    for data in FALLBACK_SYSTEMS:
        system = AISystem(
            organization=context.organization,
            organization_role="owner",
            sector="banking",
            responsible_officer=officer,
            **data,
        )
        system.full_clean()
        system.save()


def _answers(system) -> dict:
    """Answers a compliance officer of the bank would give, from the system's facts."""
    autonomy = "decides_correctable" if system.decision_role == "takes" else "recommends"
    if system.critical_ict_infrastructure or system.state_information_resource:
        return dict(
            disruption_impact="emergency",
            affected_domains=["economy", "users"],
            critical_ict_infrastructure=system.critical_ict_infrastructure,
            state_information_resource=system.state_information_resource,
            autonomy=autonomy,
        )
    if system.decision_role != "none" or system.profiles_people:
        return dict(disruption_impact="moral_or_material_harm", autonomy=autonomy)
    if system.interacts_with_natural_persons or system.generates_synthetic_content:
        return dict(disruption_impact="reduced_efficiency", autonomy=autonomy)
    return dict(disruption_impact="minimal", autonomy=autonomy)


def load_demo(context) -> None:
    officer = context.members[Role.OFFICER]
    contributor = context.members[Role.CONTRIBUTOR]
    systems = AISystem.objects.filter(organization=context.organization).active().order_by("name")
    if not systems.exists():
        _fallback_systems(context)
    draft_left = False
    for system in systems.order_by("name"):
        if system.classifications.exists():
            continue  # idempotent: the demo was loaded before
        answers = _answers(system)
        screen = {f"KZ-AI-PROH-0{n}": {"present": False} for n in range(1, 8)}
        if system.recognises_emotions:
            screen["KZ-AI-PROH-06"] = {
                "present": True,
                "exception": "consent",
                "basis": "Customers tick the consent box before a video consultation starts.",
            }
        # Profiling for one purpose the law provides for is not social scoring: the officer says so,
        # since the register's "scores or profiles people" and a "no" to KZ-AI-PROH-03 disagree.
        explanation = (
            "The system profiles customers for one purpose set by law (credit, fraud, AML or hiring "
            "checks) on data given for it; it does not assess people's social behaviour over time."
            if system.profiles_people
            else ""
        )
        screening_record(system=system, membership=officer, answers=screen, explanation=explanation)
        if system.code in context.shared.get("go_live", ()):
            # Screened, the system may now go into operation (the register's demo left it in testing).
            system = ai_system_update(system=system, lifecycle_stage="in_operation")
        if system.generates_synthetic_content:
            # Declared one level lower, with the justification printed wherever the level is shown.
            draft = classification_create(
                system=system,
                membership=contributor,
                declared_risk_level="minimal",
                justification="Every banner is reviewed by the marketing editor before publication; "
                "an outage only delays a campaign.",
                **answers,
            )
        else:
            draft = classification_create(system=system, membership=contributor, **answers)
        if (
            not draft_left
            and system.lifecycle_stage in ("design", "testing")
            and not system.generates_synthetic_content
        ):
            draft_left = True
            continue  # one system not yet in operation is left as a draft waiting for approval
        classification_approve(classification=draft, membership=officer)
        _realistic_statuses(system, officer, contributor)
    for system in systems:
        obligations_sync(system=system)
    # The risk register, review schedules and reviews build on the classified systems.
    load_register_demo(context)
    # Today's reminders and officers' digests, as the daily sweep records them, so the notification
    # pages show something; e-mails stay in the outbox for a worker (idempotent, like the sweep).
    reminder_sweep(send=False)
    # The external auditor was engaged for the credit-scoring and chatbot systems: auditors see only
    # the systems granted to them.
    auditor = context.members.get(Role.AUDITOR)
    if auditor is not None and not granted_system_ids(auditor):
        audited = AISystem.objects.filter(organization=context.organization, code__in=AUDITED_SYSTEMS)
        system_grants_set(membership=auditor, systems=audited)


def _realistic_statuses(system, officer, contributor) -> None:
    obligations = list(system.obligations.filter(in_force=True).order_by("requirement__order"))
    today = timezone.localdate()
    for position, obligation in enumerate(obligations):
        if obligation.status == ObligationStatus.MET:
            continue
        if position % 3 == 0:
            obligation_update(obligation=obligation, membership=officer, status=ObligationStatus.MET)
            if position % 2 == 0:
                obligation_evidence_add(
                    obligation=obligation,
                    membership=officer,
                    title="Internal AI compliance policy",
                    reference=f"Board order No. {12 + position}/2026",
                )
        elif position % 3 == 1:
            obligation_update(
                obligation=obligation,
                membership=officer,
                status=ObligationStatus.IN_PROGRESS,
                responsible=contributor,
                due_on=obligation.due_on or today + datetime.timedelta(days=30 + position),
            )
    support = next((o for o in obligations if o.code == "KZ-AI-OWN-04"), None)
    if support is not None and not system.interacts_with_natural_persons:
        obligation_update(
            obligation=support,
            membership=officer,
            status=ObligationStatus.NOT_APPLICABLE,
            not_applicable_reason="Back-office system: only the bank's trained staff use it, through the "
            "internal service desk.",
        )
