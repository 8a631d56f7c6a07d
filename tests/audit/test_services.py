"""The engagement workflow, the auditors' own writes, the lock after sign-off and the mandatory-audit
obligation, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit import services
from audit.catalogue import checks_for, load_checks
from audit.choices import CriterionResult, CriterionSource, EngagementType
from audit.models import Criterion, Engagement, EvidenceRequest, Finding
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from kzai.deadlines.models import Deadline, DeadlineKind
from registry.grants import granted_system_ids
from risk.choices import ObligationStatus
from risk.models import Obligation
from tests.audit.helpers import make_engagement, make_finding, start
from tests.factories import AISystemFactory, classify_system


def _close(engagement, conclusion="positive"):
    lead = engagement.lead_auditor
    for criterion in engagement.criteria.all():
        services.criterion_record(criterion=criterion, membership=lead, result="conforms")
    services.engagement_transition(engagement=engagement, membership=lead, status="reporting")
    services.engagement_conclude(
        engagement=engagement, membership=lead, conclusion=conclusion, conclusion_text="All good."
    )
    return services.engagement_sign_off(engagement=engagement, membership=lead)


def test_catalogue_has_three_languages_and_the_trusted_list_checks():
    codes = {check.code for check in checks_for(EngagementType.TRUSTED_LIST)}
    assert {"AUD-DL-01", "AUD-DL-02", "AUD-PROH-01", "AUD-SEC-01"} <= codes
    for check in load_checks().values():
        assert check.titles.get("kk") and check.titles.get("ru") and check.titles.get("en")


def test_team_must_be_auditors_or_officers_for_internal(org, officer, make_member):
    contributor = make_member(Role.CONTRIBUTOR)
    with pytest.raises(ValidationError, match="cannot audit"):
        make_engagement(org, officer=officer, lead=contributor)
    with pytest.raises(ValidationError, match="cannot audit"):
        make_engagement(org, officer=officer, lead=officer)
    internal = make_engagement(org, officer=officer, lead=officer, engagement_type=EngagementType.INTERNAL)
    assert internal.lead_auditor == officer


def test_auditors_cannot_plan_and_officers_cannot_record_findings(org, officer, make_member):
    auditor = make_member(Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        make_engagement(org, officer=auditor)
    engagement = start(make_engagement(org, officer=officer))
    with pytest.raises(PermissionDenied):
        services.finding_create(engagement=engagement, membership=officer, title="x", severity="low")
    # An auditor of the organization not on this engagement's team cannot either.
    with pytest.raises(PermissionDenied):
        services.finding_create(engagement=engagement, membership=auditor, title="x", severity="low")


def test_workflow_and_transitions_are_recorded(org, officer):
    engagement = make_engagement(org, officer=officer)
    with pytest.raises(ValidationError, match="cannot go"):
        services.engagement_transition(engagement=engagement, membership=officer, status="reporting")
    start(engagement, officer)
    assert engagement.actual_start == timezone.localdate()
    with pytest.raises(PermissionDenied):  # fieldwork → reporting is the auditors' step
        services.engagement_transition(engagement=engagement, membership=officer, status="reporting")
    services.engagement_transition(
        engagement=engagement, membership=engagement.lead_auditor, status="reporting"
    )
    statuses = [
        r.changes["status"]
        for r in ActivityRecord.objects.filter(object_id=str(engagement.pk), action="update").order_by("pk")
        if "status" in r.changes
    ]
    assert statuses == [["planned", "fieldwork"], ["fieldwork", "reporting"]]


def test_criteria_come_from_obligations_and_the_type(org, officer):
    system = AISystemFactory(organization=org, critical_ict_infrastructure=True)
    classify_system(system, officer, disruption_impact="emergency", critical_ict_infrastructure=True)
    engagement = start(make_engagement(org, officer=officer, systems=[system]))
    created = services.criteria_generate(engagement=engagement, membership=engagement.lead_auditor)
    in_force = set(Obligation.objects.filter(system=system, in_force=True).values_list("code", flat=True))
    assert {c.code for c in created if c.source == CriterionSource.OBLIGATION} == in_force
    assert {c.code for c in created if c.source == CriterionSource.CATALOGUE} == {
        c.code for c in checks_for(EngagementType.TRUSTED_LIST)
    }
    # Generating again adds nothing twice.
    assert services.criteria_generate(engagement=engagement, membership=officer) == []
    custom = services.criterion_add(
        engagement=engagement, membership=engagement.lead_auditor, title="Logging"
    )
    assert custom.source == CriterionSource.CUSTOM
    with pytest.raises(ValidationError, match="Explain"):
        services.criterion_record(criterion=custom, membership=engagement.lead_auditor, result="major")
    services.criterion_record(
        criterion=custom, membership=engagement.lead_auditor, result="major", notes="No logs"
    )
    assert Criterion.objects.get(pk=custom.pk).result == CriterionResult.MAJOR


def test_remediation_feeds_a_deadline_and_the_auditor_verifies(org, officer):
    finding = make_finding(org, officer=officer)
    action = services.remediation_create(
        finding=finding,
        membership=officer,
        description="Fix",
        owner=officer,
        due_on=datetime.date(2026, 6, 1),
    )
    deadline = Deadline.objects.get(kind=DeadlineKind.REMEDIATION, object_id=str(action.pk))
    assert deadline.due_on == datetime.date(2026, 6, 1) and deadline.completed_at is None
    with pytest.raises(ValidationError, match="what shows"):
        services.remediation_update(action=action, membership=officer, status="done")
    services.remediation_update(action=action, membership=officer, status="done", evidence="Ticket 12")
    with pytest.raises(ValidationError, match="Only the auditor"):
        services.remediation_update(action=action, membership=officer, status="verified")
    lead = finding.engagement.lead_auditor
    services.remediation_verify(action=action, membership=lead, accept=False, reason="Not deployed")
    assert action.status == "in_progress"
    services.remediation_update(action=action, membership=officer, status="done")
    services.remediation_verify(action=action, membership=lead, accept=True)
    assert action.status == "verified" and action.verified_by == lead
    assert Deadline.objects.get(pk=deadline.pk).completed_at is not None


def test_evidence_request_history(org, officer):
    engagement = start(make_engagement(org, officer=officer))
    lead = engagement.lead_auditor
    item = services.evidence_request_create(engagement=engagement, membership=lead, request="The data sheet")
    with pytest.raises(PermissionDenied):
        services.evidence_request_respond(item=item, membership=lead, response="x")
    services.evidence_request_respond(item=item, membership=officer, response="Attached v1")
    with pytest.raises(ValidationError, match="why"):
        services.evidence_request_review(item=item, membership=lead, accept=False)
    services.evidence_request_review(item=item, membership=lead, accept=False, reason="Unsigned")
    services.evidence_request_respond(item=item, membership=officer, response="Attached v2, signed")
    services.evidence_request_review(item=item, membership=lead, accept=True)
    history = [
        r.changes["status"][1]
        for r in ActivityRecord.objects.filter(
            object_id=str(item.pk), content_type__model="evidencerequest"
        ).order_by("pk")
        if "status" in r.changes
    ]
    assert history == ["open", "answered", "returned", "answered", "accepted"]


def test_sign_off_locks_everything(org, officer):
    finding = make_finding(org, officer=officer)
    engagement = finding.engagement
    item = services.evidence_request_create(
        engagement=engagement, membership=engagement.lead_auditor, request="?"
    )
    team_member = engagement.lead_auditor
    with pytest.raises(PermissionDenied):
        # Only the lead signs off, and not before reporting either.
        services.engagement_sign_off(engagement=engagement, membership=officer)
    _close(engagement)
    assert engagement.status == "closed" and engagement.signed_off_by == team_member
    with pytest.raises(ValidationError):
        services.finding_create(engagement=engagement, membership=team_member, title="late", severity="low")
    with pytest.raises(ValidationError):
        services.engagement_update(engagement=engagement, membership=officer, scope="changed")
    with pytest.raises(ValidationError):
        services.evidence_request_respond(item=item, membership=officer, response="late")
    # Below the services too: the models refuse.
    loaded = Finding.objects.get(pk=finding.pk)
    loaded.title = "edited"
    with pytest.raises(ValidationError, match="cannot be changed"):
        loaded.save()
    with pytest.raises(ValidationError):
        EvidenceRequest.objects.get(pk=item.pk).delete()
    loaded = Engagement.objects.get(pk=engagement.pk)
    loaded.scope = "edited"
    with pytest.raises(ValidationError, match="cannot be changed"):
        loaded.save()
    with pytest.raises(ValidationError):
        Engagement.objects.get(pk=engagement.pk).delete()
    assert Finding.objects.get(pk=finding.pk).title == "Gaps in the data sheet"


def test_sign_off_needs_every_criterion_assessed(org, officer):
    engagement = start(make_engagement(org, officer=officer))
    services.criteria_generate(engagement=engagement, membership=officer)
    lead = engagement.lead_auditor
    services.engagement_transition(engagement=engagement, membership=lead, status="reporting")
    services.engagement_conclude(
        engagement=engagement, membership=lead, conclusion="positive", conclusion_text="ok"
    )
    with pytest.raises(ValidationError, match="Every criterion"):
        services.engagement_sign_off(engagement=engagement, membership=lead)


@pytest.mark.parametrize(
    "engagement_type,conclusion,met",
    [("mandatory", "positive", True), ("mandatory", "negative", False), ("trusted_list", "positive", False)],
)
def test_mandatory_audit_obligation_is_met_by_a_positive_mandatory_audit(
    org, officer, engagement_type, conclusion, met
):
    system = AISystemFactory(organization=org, critical_ict_infrastructure=True)
    classify_system(system, officer, disruption_impact="emergency", critical_ict_infrastructure=True)
    engagement = start(
        make_engagement(org, officer=officer, systems=[system], engagement_type=engagement_type)
    )
    services.criteria_generate(engagement=engagement, membership=officer)
    _close(engagement, conclusion)
    obligation = Obligation.objects.get(system=system, code="KZ-AI-HR-04")
    if met:
        signed = timezone.localtime(engagement.signed_off_at).date()
        assert obligation.status == ObligationStatus.MET
        assert obligation.due_on == signed.replace(year=signed.year + 1)
    else:
        assert obligation.status != ObligationStatus.MET


def test_access_granted_at_fieldwork_and_revoked_after_access_until(org, officer):
    system = AISystemFactory(organization=org)
    other = AISystemFactory(organization=org)
    today = timezone.localdate()
    engagement = make_engagement(
        org, officer=officer, systems=[system], access_until=today + datetime.timedelta(days=30)
    )
    lead = engagement.lead_auditor
    assert granted_system_ids(lead) == []
    start(engagement, officer)
    assert granted_system_ids(lead) == [system.pk]
    # A second engagement of the same auditor that still runs keeps its systems granted.
    second = start(make_engagement(org, officer=officer, systems=[system, other], lead=lead))
    assert sorted(granted_system_ids(lead)) == sorted([system.pk, other.pk])
    assert services.engagement_access_sweep(today=today + datetime.timedelta(days=31)) == 1
    assert sorted(granted_system_ids(lead)) == sorted([system.pk, other.pk])
    services.engagement_transition(engagement=second, membership=officer, status="cancelled")
    assert granted_system_ids(lead) == []
    assert services.engagement_access_sweep(today=today + datetime.timedelta(days=32)) == 0
