"""Demo data of the risk register and annual reviews, for a Kazakhstani bank.

`load_register_demo(context)` is called at the end of `risk/demo.py`'s `load_demo`, after the register's
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
from risk.models import Review, ReviewSchedule, Risk
from risk.risk_management import services

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
    "FRAUD-01": (
        "Card fraud detection",
        "Flags suspicious card transactions for the fraud team in real time.",
        LifecycleStage.IN_OPERATION,
        datetime.datetime(2026, 2, 2, 5, 0, tzinfo=UTC),
        ["model-inaccuracy", "unauthorised-access"],
    ),
    "OCR-KYC-01": (
        "Identity document OCR and face match",
        "Reads identity documents and matches the applicant's face during remote onboarding.",
        LifecycleStage.IN_OPERATION,
        datetime.datetime(2026, 1, 20, 5, 0, tzinfo=UTC),
        ["personal-data-leak", "unauthorised-access", "bias-protected-groups"],
    ),
    "GEN-MKT-01": (
        "Generative marketing content",
        "Drafts marketing texts and images for campaigns.",
        LifecycleStage.TESTING,
        None,
        ["unlabelled-synthetic", "hallucinated-content", "vendor-lock-in"],
    ),
    "AML-01": (
        "AML transaction monitoring",
        "Flags transactions for the financial monitoring unit.",
        LifecycleStage.IN_OPERATION,
        datetime.datetime(2026, 3, 2, 5, 0, tzinfo=UTC),
        ["model-inaccuracy", "automation-bias", "vendor-lock-in"],
    ),
}

# Review due dates the officer set (never later than 12 months after the first classification), so
# the demo shows one review due soon, one overdue and one signed off late: (code, days from today).
FIRST_DUE_IN_DAYS = (("CRM-SCORE-01", 21), ("CHAT-01", -9), ("FRAUD-01", -20))


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
        # Normally set by the classification's approval; the demo stands in for it.
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

    for code, days in FIRST_DUE_IN_DAYS:
        schedule = ReviewSchedule.objects.filter(
            system__organization=context.organization, system__code=code
        ).first()
        due = today + datetime.timedelta(days=days)
        # Only ever earlier than the law's latest date, and only once (a re-run leaves it alone).
        if schedule is not None and schedule.first_due_on is None and schedule.next_due_on:
            if due < schedule.next_due_on and not schedule.last_completed_on:
                services.review_schedule_update(
                    schedule=schedule,
                    interval_months=schedule.interval_months,
                    first_due_on=due,
                    reviewer=officer,
                )
    aml = ReviewSchedule.objects.filter(
        system__organization=context.organization, system__code="AML-01"
    ).first()
    if aml is not None and aml.interval_months == 12:
        # Higher exposure: the officer reviews this one every six months.
        services.review_schedule_update(schedule=aml, interval_months=6, reviewer=contributor)
    # The fraud system's first review was walked through and signed off; the chatbot's is under way.
    fraud = AISystem.objects.get(organization=context.organization, code="FRAUD-01")
    already_signed = Review.objects.filter(system=fraud, status="completed").exists()
    review = None if already_signed else Review.objects.filter(system=fraud, status="scheduled").first()
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
