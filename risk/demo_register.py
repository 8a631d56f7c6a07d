"""Demo data of the risk register and annual reviews, for a Kazakhstani bank.

`load_register_demo(context)` is called from `risk/demo.py` (wired by the lead) after the register's
demo has created the bank's AI systems. Everything goes through the services, so the activity log
and the deadlines fill in as they would in real use. Idempotent: a system that already has risks
is left alone.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from kzai.core.roles import Role
from registry.choices import LifecycleStage, OrganizationRole, Sector
from registry.models import AISystem
from risk import register_services as services
from risk.models import Review, Risk

UTC = datetime.UTC

# code → (name, purpose, stage, first classified, catalogue risks)
DEMO_SYSTEMS = {
    "CRM-SCORE-01": (
        "Retail credit scoring",
        "Scores retail loan applications and proposes a decision to the credit officer.",
        LifecycleStage.IN_OPERATION,
        datetime.datetime(2025, 12, 20, 5, 0, tzinfo=UTC),
        ["bias-protected-groups", "model-inaccuracy", "automation-bias", "personal-data-leak"],
    ),
    "CHAT-01": (
        "Customer support chatbot",
        "Answers customer questions in Kazakh and Russian in the mobile app.",
        LifecycleStage.IN_OPERATION,
        datetime.datetime(2025, 10, 1, 5, 0, tzinfo=UTC),
        ["undisclosed-automation", "prompt-injection", "hallucinated-content", "cross-border-transfer"],
    ),
    "FRAUD-02": (
        "Card fraud detection",
        "Flags suspicious card transactions for the fraud team in real time.",
        LifecycleStage.IN_OPERATION,
        datetime.datetime(2026, 2, 2, 5, 0, tzinfo=UTC),
        ["model-inaccuracy", "unauthorised-access"],
    ),
    "OCR-DOC-01": (
        "Identity document OCR",
        "Reads identity documents during remote onboarding.",
        LifecycleStage.TESTING,
        None,
        ["personal-data-leak"],
    ),
    "GEN-MKT-01": (
        "Generative marketing content",
        "Drafts marketing texts and images for campaigns.",
        LifecycleStage.IN_OPERATION,
        datetime.datetime(2026, 5, 12, 5, 0, tzinfo=UTC),
        ["unlabelled-synthetic", "hallucinated-content", "vendor-lock-in"],
    ),
}


def _system(context, code, spec) -> AISystem:
    name, purpose, stage, classified_at, _keys = spec
    system = AISystem.objects.filter(organization=context.organization, code=code).first()
    if system is None:
        # Fallback when the register's demo did not create it: the fields the register requires.
        system = AISystem(
            organization=context.organization,
            code=code,
            name=name,
            intended_purpose=purpose,
            sector=Sector.BANKING,
            lifecycle_stage=stage,
            responsible_officer=context.members[Role.OFFICER],
            organization_role=OrganizationRole.OWNER,
        )
        system.full_clean()
        system.save()
    if classified_at and system.first_classified_at is None:
        # Normally set by the classification's approval (issue 4); the demo stands in for it.
        system.first_classified_at = classified_at
        system.save()
    return system


def load_register_demo(context) -> None:
    """Risks from the catalogue plus bank-specific ones, measures with owners and due dates,
    review schedules, one review signed off and one in progress."""
    officer = context.members[Role.OFFICER]
    contributor = context.members[Role.CONTRIBUTOR]
    today = timezone.localdate()
    for code, spec in DEMO_SYSTEMS.items():
        system = _system(context, code, spec)
        if Risk.objects.filter(system=system).exists():
            continue
        risks = services.register_add_from_catalogue(system=system, risk_keys=spec[4], owner=officer)
        for index, measure in enumerate(system.register_measures.order_by("id")):
            services.measure_update(
                measure=measure,
                owner=contributor if index % 2 else officer,
                due_on=today + datetime.timedelta(days=[5, 21, 45, -3, 90][index % 5]),
                status=["in_progress", "planned", "implemented", "planned", "verified"][index % 5],
                evidence="Procedure approved by the Management Board." if index % 5 in (2, 4) else "",
            )
        for risk in risks[:2]:
            services.risk_update(
                risk=risk,
                residual_likelihood=max(1, risk.likelihood - 2),
                residual_severity=risk.severity,
                status="treated",
            )
        if code == "CRM-SCORE-01":
            services.risk_create(
                system=system,
                title="Thin-file applicants from rural regions are under-scored",
                description="Applicants with little credit history (often outside Almaty and Astana) receive "
                "systematically lower scores.",
                category="discrimination",
                origin="intended_use",
                likelihood=4,
                severity=4,
                owner=officer,
            )
        services.review_schedule_sync(system=system)

    gen = AISystem.objects.get(organization=context.organization, code="GEN-MKT-01")
    services.review_schedule_update(schedule=gen.review_schedule, interval_months=6, reviewer=contributor)
    # The fraud system's first review was walked through and signed off; the chatbot's is under way.
    fraud = AISystem.objects.get(organization=context.organization, code="FRAUD-02")
    review = Review.objects.filter(system=fraud, status="scheduled").first()
    if review is not None:
        review = services.review_start(review=review, membership=officer)
        for item in review.items.all():
            services.review_item_record(item=item, outcome="confirmed", membership=officer)
        services.review_sign_off(
            review=review, membership=officer, summary="Register confirmed; alert thresholds re-tuned in Q3."
        )
    chat = AISystem.objects.get(organization=context.organization, code="CHAT-01")
    review = Review.objects.filter(system=chat, status="scheduled").first()
    if review is not None:
        review = services.review_start(review=review, membership=contributor)
        first = review.items.first()
        if first is not None:
            services.review_item_record(
                item=first,
                outcome="changed",
                note="Notice now shown before the first message.",
                membership=contributor,
            )
