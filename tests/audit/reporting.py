"""A signed-off engagement with a finding, a remediation action and an accepted document as
evidence, made through the services the people use (for the report tests)."""

from __future__ import annotations

import datetime

from audit import services
from tests.audit.helpers import make_engagement, start
from tests.documents.helpers import make_document


def closed_engagement(organization, officer, system, *, sign_off=True):
    """(engagement, evidence version): fieldwork to sign-off, with one accepted document given."""
    document = make_document(organization, system=system, title="Data sheet of the scoring model")
    version = document.versions.get()
    engagement = start(make_engagement(organization, systems=[system], officer=officer, title="Audit 2026"))
    lead = engagement.lead_auditor
    criterion = services.criterion_add(engagement=engagement, membership=lead, title="Logs are kept a year")
    finding = services.finding_create(
        engagement=engagement,
        membership=lead,
        title="Retention shorter than a year",
        severity="medium",
        recommendation="Keep logs for twelve months",
        criterion=criterion,
    )
    services.remediation_create(
        finding=finding,
        membership=officer,
        description="Extend the log retention",
        owner=officer,
        due_on=datetime.date(2026, 12, 1),
    )
    item = services.evidence_request_create(engagement=engagement, membership=lead, request="The data sheet")
    services.evidence_request_respond(item=item, membership=officer, response="Attached", versions=[version])
    services.evidence_request_review(item=item, membership=lead, accept=True)
    services.criterion_record(criterion=criterion, membership=lead, result="minor", notes="Six months only")
    services.engagement_transition(engagement=engagement, membership=lead, status="reporting")
    services.engagement_conclude(
        engagement=engagement,
        membership=lead,
        conclusion="qualified",
        conclusion_text="Meets with reservations.",
    )
    if sign_off:
        services.engagement_sign_off(engagement=engagement, membership=lead)
    return engagement, version
