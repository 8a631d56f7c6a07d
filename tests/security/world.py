"""One organization with one of everything, and the arguments of every page's URL for it.

The security suites walk every URL pattern of the portal with these objects, so a page added later
is covered without writing anything (or fails loudly when `URL_ARGS` does not know its arguments).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from kzai.accounts.models import ApiToken, Membership
from kzai.core.roles import Role


@dataclass
class World:
    admin: Membership
    auditor: Membership
    token: ApiToken
    system: object
    link: object
    component: object
    use: object
    party: object
    library: object
    risk: object
    measure: object
    review: object
    item: object
    schedule: object
    classification: object
    screening: object
    obligation: object
    version: object
    notification: object
    invitation: object
    job: object = None
    document: object = None
    engagement: object = None
    criterion: object = None
    finding: object = None
    remediation: object = None
    evidence_request: object = None
    filing: object = None
    ticket: object = None
    objection: object = None
    contradiction: object = None


def build_world(organization) -> World:
    from kzai.accounts.services import api_token_create, invitation_create
    from kzai.deadlines.models import Notification
    from kzai.deadlines.reminders import reminder_sweep
    from kzai.jobs.services import job_start
    from registry.choices import DataUsePurpose
    from registry.models import DataLibraryUse
    from risk.risk_management import services as register_services
    from risk.services.library import library_version_for
    from risk.services.screening import screening_record
    from tests.deadlines.test_reminders import make_deadline
    from tests.factories import (
        NO_PROHIBITED_PRACTICE,
        DataLibraryFactory,
        MembershipFactory,
        PartyFactory,
        SystemComponentFactory,
        SystemPartyLinkFactory,
        classify_system,
    )
    from tests.risk.risk_management.test_reviews import _review_with_register

    admin = MembershipFactory(organization=organization, role=Role.ADMIN)
    auditor = MembershipFactory(organization=organization, role=Role.AUDITOR)
    token, _raw = api_token_create(membership=admin)
    review, risk = _review_with_register(organization)
    system = review.system
    review = register_services.review_start(review=review, membership=admin)
    library = DataLibraryFactory(organization=organization)
    use = DataLibraryUse.objects.create(
        organization=organization, system=system, library=library, purpose=DataUsePurpose.TRAINING
    )
    classification = classify_system(system, admin, approve=False)
    screening = screening_record(system=system, membership=admin, answers=NO_PROHIBITED_PRACTICE)
    from risk.services.obligations import obligations_sync

    obligations_sync(system=system)
    make_deadline(organization, due_on=datetime.date(2026, 3, 5), responsible=admin)
    reminder_sweep(today=datetime.date(2026, 3, 2), send=False)
    from documents.services import document_create
    from tests.documents.helpers import pdf

    document = document_create(membership=admin, title="Model card", systems=[system], file=pdf())
    audit_objects = _audit_world(organization, admin, system)
    return World(
        **audit_objects,
        document=document,
        admin=admin,
        auditor=auditor,
        token=token,
        system=system,
        link=SystemPartyLinkFactory(system=system),
        component=SystemComponentFactory(system=system),
        use=use,
        party=PartyFactory(organization=organization),
        library=library,
        risk=risk,
        measure=system.register_measures.first(),
        review=review,
        item=review.items.first(),
        schedule=system.review_schedule,
        classification=classification,
        screening=screening,
        obligation=system.obligations.first(),
        version=library_version_for(organization),
        notification=Notification.objects.filter(recipient=admin).first(),
        invitation=invitation_create(
            organization=organization, email="invitee@example.kz", role=Role.VIEWER, invited_by=admin.user
        ),
        job=job_start(membership=admin, kind="registry.import_systems", params={"dry_run": True}),
        ticket=_public_ticket(system),
        objection=_public_objection(system),
        contradiction=_contradiction(organization, admin),
    )


def _contradiction(organization, admin):
    """A system whose register says it recognises emotions while its screen says no (explained)."""
    from risk.services.screening import screening_record
    from tests.factories import NO_PROHIBITED_PRACTICE, AISystemFactory

    system = AISystemFactory(organization=organization, name="Emotion analytics", recognises_emotions=True)
    screening = screening_record(
        system=system,
        membership=admin,
        answers=NO_PROHIBITED_PRACTICE,
        explanation="Only aggregate mood of the queue, never one person.",
    )
    return screening.contradictions.get()


def _public_ticket(system):
    """A user report filed on the system's published public page (through the services)."""
    from registry.public import services as public_services
    from tests.registry.public.helpers import published_page

    page = published_page(system.organization, system=system)
    return public_services.ticket_report(page=page, kind="error", message="The answer was wrong.")


def _public_objection(system):
    """An objection to automated processing filed on the system's public page."""
    from registry.public import services as public_services

    return public_services.objection_file(
        page=system.public_page, message="I object to automated scoring.", contact_email="p@example.kz"
    )


def _audit_world(organization, admin, system) -> dict:
    """An engagement of the system in fieldwork with one of each of its records."""
    from audit import services as audit_services
    from tests.audit.helpers import make_engagement, start

    engagement = start(make_engagement(organization, officer=admin, systems=[system]), admin)
    lead = engagement.lead_auditor
    criterion = audit_services.criterion_add(engagement=engagement, membership=lead, title="Logs kept")
    finding = audit_services.finding_create(
        engagement=engagement, membership=lead, title="No logs", severity="low"
    )
    remediation = audit_services.remediation_create(
        finding=finding,
        membership=admin,
        description="Keep logs",
        owner=admin,
        due_on=datetime.date(2026, 12, 1),
    )
    evidence_request = audit_services.evidence_request_create(
        engagement=engagement, membership=lead, request="Logs"
    )
    filing = audit_services.filing_create(system=system, membership=admin, sector_body="Ministry")
    return {
        "engagement": engagement,
        "filing": filing,
        "criterion": criterion,
        "finding": finding,
        "remediation": remediation,
        "evidence_request": evidence_request,
    }


# URL name → the arguments of the URL for a world (None: the page takes none).
URL_ARGS = {
    "member_update": lambda w: [w.auditor.pk],
    "member_systems": lambda w: [w.auditor.pk],
    "api_token_revoke": lambda w: [w.token.pk],
    "registry:system_detail": lambda w: [w.system.pk],
    "registry:system_update": lambda w: [w.system.pk],
    "registry:system_archive": lambda w: [w.system.pk],
    "registry:system_parties": lambda w: [w.system.pk],
    "registry:system_data": lambda w: [w.system.pk],
    "registry:system_history": lambda w: [w.system.pk],
    "registry:link_create": lambda w: [w.system.pk],
    "registry:link_update": lambda w: [w.system.pk, w.link.pk],
    "registry:link_delete": lambda w: [w.system.pk, w.link.pk],
    "registry:component_create": lambda w: [w.system.pk],
    "registry:component_update": lambda w: [w.system.pk, w.component.pk],
    "registry:component_delete": lambda w: [w.system.pk, w.component.pk],
    "registry:library_use_delete": lambda w: [w.system.pk, w.use.pk],
    "registry:party_detail": lambda w: [w.party.pk],
    "registry:party_update": lambda w: [w.party.pk],
    "registry:party_archive": lambda w: [w.party.pk],
    "registry:library_detail": lambda w: [w.library.pk],
    "registry:library_update": lambda w: [w.library.pk],
    "registry:library_archive": lambda w: [w.library.pk],
    "risk:system_risk": lambda w: [w.system.pk],
    "risk:system_reviews": lambda w: [w.system.pk],
    "risk:wizard": lambda w: [w.system.pk],
    "risk:classification_detail": lambda w: [w.classification.pk],
    "risk:classification_approve": lambda w: [w.classification.pk],
    "risk:screening_detail": lambda w: [w.screening.pk],
    "risk:contradiction_explain": lambda w: [w.contradiction.pk],
    "risk:obligation_detail": lambda w: [w.obligation.pk],
    "risk:obligation_update": lambda w: [w.obligation.pk],
    "risk:obligation_evidence_add": lambda w: [w.obligation.pk],
    "risk:library_detail": lambda w: [w.version.pk],
    "risk:library_apply": lambda w: [w.version.pk],
    "risk:register_system": lambda w: [w.system.pk],
    "risk:register_catalogue": lambda w: [w.system.pk],
    "risk:register_risk_detail": lambda w: [w.risk.pk],
    "risk:register_risk_update": lambda w: [w.risk.pk],
    "risk:register_risk_delete": lambda w: [w.risk.pk],
    "risk:register_measure_update": lambda w: [w.measure.pk],
    "risk:register_measure_delete": lambda w: [w.measure.pk],
    "risk:review_detail": lambda w: [w.review.pk],
    "risk:review_start": lambda w: [w.review.pk],
    "risk:review_items": lambda w: [w.review.pk],
    "risk:review_signoff": lambda w: [w.review.pk],
    "risk:review_item": lambda w: [w.item.pk],
    "risk:review_schedule_update": lambda w: [w.schedule.pk],
    "deadlines:notification_read": lambda w: [w.notification.pk],
    "registry:system_public": lambda w: [w.system.pk],
    "registry:system_public_update": lambda w: [w.system.pk],
    "registry:system_public_publish": lambda w: [w.system.pk],
    "registry:agreement_version_create": lambda w: [w.system.pk],
    "registry:ticket_detail": lambda w: [w.ticket.pk],
    "registry:objection_detail": lambda w: [w.objection.pk],
    "registry:system_labels": lambda w: [w.system.pk],
    "registry:system_label_badge": lambda w: [w.system.pk, "kk"],
    "registry:system_consumer_notice": lambda w: [w.system.pk],
    "registry:system_consumer_notice_document": lambda w: [w.system.pk, "kk"],
    "labels:schema": lambda w: [1],
    "audit:engagement_detail": lambda w: [w.engagement.pk],
    "audit:engagement_update": lambda w: [w.engagement.pk],
    "audit:engagement_transition": lambda w: [w.engagement.pk],
    "audit:criteria_generate": lambda w: [w.engagement.pk],
    "audit:criterion_add": lambda w: [w.engagement.pk],
    "audit:finding_create": lambda w: [w.engagement.pk],
    "audit:request_create": lambda w: [w.engagement.pk],
    "audit:engagement_conclude": lambda w: [w.engagement.pk],
    "audit:engagement_signoff": lambda w: [w.engagement.pk],
    "audit:comment_add": lambda w: [w.engagement.pk],
    "audit:report_start": lambda w: [w.engagement.pk],
    "audit:filing_create": lambda w: [w.system.pk],
    "audit:filing_detail": lambda w: [w.filing.pk],
    "audit:filing_update": lambda w: [w.filing.pk],
    "audit:filing_submit": lambda w: [w.filing.pk],
    "audit:filing_outcome": lambda w: [w.filing.pk],
    "audit:criterion_record": lambda w: [w.criterion.pk],
    "audit:remediation_create": lambda w: [w.finding.pk],
    "audit:remediation_update": lambda w: [w.remediation.pk],
    "audit:remediation_verify": lambda w: [w.remediation.pk],
    "audit:request_respond": lambda w: [w.evidence_request.pk],
    "audit:request_review": lambda w: [w.evidence_request.pk],
    "audit:system_audits": lambda w: [w.system.pk],
    "documents:document_detail": lambda w: [w.document.pk],
    "documents:document_update": lambda w: [w.document.pk],
    "documents:version_upload": lambda w: [w.document.pk],
    "documents:document_approve": lambda w: [w.document.pk],
    "documents:document_supersede": lambda w: [w.document.pk],
    "documents:evidence_add": lambda w: [w.document.pk],
    "documents:version_download": lambda w: [w.document.versions.get().pk],
    "documents:system_documents": lambda w: [w.system.pk],
    "documents:passport_start": lambda w: [w.system.pk],
    "documents:pack_start": lambda w: [w.system.pk],
    # A pack is a finished job of the member who built it; no world object stands for one.
    "documents:pack_detail": lambda w: [0],
    "documents:pack_download": lambda w: [0],
    # A background export is likewise a finished job of the member who started it.
    "registry:system_export_detail": lambda w: [0],
    "registry:system_export_download": lambda w: [0],
    "verify_passport": lambda w: ["0" * 64],
    "jobs:job_detail": lambda w: [w.job.pk],
    "jobs:job_progress": lambda w: [w.job.pk],
    "invitation_accept": lambda w: [w.invitation.raw_token],
}
# Pages outside the tenant portal: the admin, i18n, the API and its schema (walked as API lists).
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/", "jsi18n/", "healthz", "p/")
# Django's own sign-in and password pages: no tenant data, and their forms are Django's.
DJANGO_AUTH_PAGES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def portal_url_names() -> list[str]:
    """Every named page of the portal (namespaced names for the apps)."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if not route.startswith(SKIPPED_PREFIXES) and pattern.name not in DJANGO_AUTH_PAGES:
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))
