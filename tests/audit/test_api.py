"""The audit API: tenancy and roles through the shared contracts, and the auditors' own writes
(each resource, each verb, in scope, out of scope, after expiry, in another client)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from audit import services
from audit.models import Criterion, Finding
from kzai.core.roles import Role
from tests.audit.helpers import make_engagement, make_finding, start
from tests.factories import AISystemFactory, MembershipFactory
from tests.tenancy import APIContract


class TestEngagementAPI(APIContract):
    basename = "audit-engagement"
    supports_delete = False

    def make_object(self, organization):
        return make_engagement(organization)

    def create_payload(self, organization):
        return {
            "title": "Mandatory audit 2026",
            "engagement_type": "mandatory",
            "systems": [AISystemFactory(organization=organization).pk],
            "lead_auditor": MembershipFactory(organization=organization, role=Role.AUDITOR).pk,
            "planned_start": "2026-03-01",
            "planned_end": "2026-04-30",
        }

    def update_payload(self, obj):
        return {"scope": "Data libraries and security"}


class TestCriterionAPI(APIContract):
    basename = "audit-criterion"

    def make_object(self, organization):
        engagement = make_engagement(organization)
        return services.criterion_add(
            engagement=engagement, membership=engagement.lead_auditor, title="Logs kept"
        )


class TestFindingAPI(APIContract):
    basename = "audit-finding"

    def make_object(self, organization):
        return make_finding(organization)


class TestRemediationAPI(APIContract):
    basename = "audit-remediation"

    def make_object(self, organization):
        finding = make_finding(organization)
        officer = MembershipFactory(organization=organization, role=Role.OFFICER)
        return services.remediation_create(
            finding=finding,
            membership=officer,
            description="Fix",
            owner=officer,
            due_on=datetime.date(2026, 12, 1),
        )

    def create_payload(self, organization):
        finding = make_finding(organization)
        owner = MembershipFactory(organization=organization, role=Role.OFFICER)
        return {
            "finding": finding.pk,
            "description": "Sign the data sheet",
            "owner": owner.pk,
            "due_on": "2026-12-31",
        }

    def update_payload(self, obj):
        return {"status": "in_progress", "evidence": "Started"}


class TestEvidenceRequestAPI(APIContract):
    basename = "audit-evidence-request"

    def make_object(self, organization):
        engagement = make_engagement(organization)
        return services.evidence_request_create(
            engagement=engagement, membership=engagement.lead_auditor, request="The data sheet"
        )


class TestFilingAPI(APIContract):
    basename = "audit-filing"

    def make_object(self, organization):
        officer = MembershipFactory(organization=organization, role=Role.OFFICER)
        return services.filing_create(
            system=AISystemFactory(organization=organization), membership=officer, sector_body="Ministry"
        )

    def create_payload(self, organization):
        return {
            "system": AISystemFactory(organization=organization).pk,
            "sector_body": "Ministry of Digital Development",
        }

    def update_payload(self, obj):
        return {"application_ready": True}


# -- the auditors' own writes -----------------------------------------------------------------------
def test_auditor_records_results_findings_requests_and_signs_off_through_the_api(org, officer, api_for):
    engagement = start(make_engagement(org, officer=officer, engagement_type="mandatory"))
    lead = engagement.lead_auditor
    auditor = api_for(lead)
    url = reverse("audit-engagement-generatecriteria", args=[engagement.pk])
    assert auditor.post(url).status_code == 200
    for criterion in Criterion.objects.filter(engagement=engagement):
        response = auditor.patch(
            reverse("audit-criterion-detail", args=[criterion.pk]), {"result": "conforms"}, format="json"
        )
        assert response.status_code == 200, response.content
    response = auditor.post(
        reverse("audit-finding-list"),
        {"engagement": engagement.pk, "title": "No retention policy", "severity": "medium"},
        format="json",
    )
    assert response.status_code == 201, response.content
    response = auditor.post(
        reverse("audit-evidence-request-list"),
        {"engagement": engagement.pk, "request": "Policy"},
        format="json",
    )
    assert response.status_code == 201
    request_id = response.json()["id"]
    org_client = api_for(officer)
    respond = reverse("audit-evidence-request-respond", args=[request_id])
    assert auditor.post(respond, {"response": "x"}, format="json").status_code == 403
    assert org_client.post(respond, {"response": "Attached"}, format="json").status_code == 200
    review = reverse("audit-evidence-request-review", args=[request_id])
    assert org_client.post(review, {"accept": True}, format="json").status_code == 403
    assert auditor.post(review, {"accept": False}, format="json").status_code == 400
    assert auditor.post(review, {"accept": True}, format="json").status_code == 200
    transition = reverse("audit-engagement-transition", args=[engagement.pk])
    assert auditor.post(transition, {"status": "reporting"}, format="json").status_code == 200
    conclude = reverse("audit-engagement-conclude", args=[engagement.pk])
    assert (
        org_client.post(
            conclude, {"conclusion": "positive", "conclusion_text": "ok"}, format="json"
        ).status_code
        == 403
    )
    assert (
        auditor.post(
            conclude, {"conclusion": "positive", "conclusion_text": "Meets"}, format="json"
        ).status_code
        == 200
    )
    sign_off = reverse("audit-engagement-signoff", args=[engagement.pk])
    assert org_client.post(sign_off).status_code == 403
    response = auditor.post(sign_off)
    assert response.status_code == 200 and response.json()["status"] == "closed"
    # Locked: every write now fails.
    finding = Finding.objects.get(engagement=engagement)
    assert (
        auditor.patch(
            reverse("audit-finding-detail", args=[finding.pk]), {"title": "x"}, format="json"
        ).status_code
        == 400
    )
    assert (
        org_client.patch(
            reverse("audit-engagement-detail", args=[engagement.pk]), {"scope": "x"}, format="json"
        ).status_code
        == 400
    )
    report = auditor.get(reverse("audit-engagement-report", args=[engagement.pk])).json()
    assert report["conclusion_text"] == "Meets" and report["findings"][0]["title"] == "No retention policy"


def test_auditor_gets_403_for_any_other_write(org, officer, api_for):
    engagement = start(make_engagement(org, officer=officer))
    system = engagement.systems.get()
    auditor = api_for(engagement.lead_auditor)
    assert auditor.get(reverse("system-detail", args=[system.pk])).status_code == 200
    assert (
        auditor.patch(reverse("system-detail", args=[system.pk]), {"name": "x"}, format="json").status_code
        == 403
    )
    assert (
        auditor.patch(
            reverse("audit-engagement-detail", args=[engagement.pk]), {"scope": "x"}, format="json"
        ).status_code
        == 403
    )
    finding = services.finding_create(
        engagement=engagement, membership=engagement.lead_auditor, title="f", severity="low"
    )
    payload = {"finding": finding.pk, "description": "x", "owner": officer.pk, "due_on": "2026-12-31"}
    assert auditor.post(reverse("audit-remediation-list"), payload, format="json").status_code == 403
    assert auditor.post(reverse("audit-engagement-list"), {}, format="json").status_code == 403


def test_auditor_of_another_engagement_cannot_write_and_out_of_scope_is_404(
    org, officer, make_member, api_for
):
    engagement = start(make_engagement(org, officer=officer))
    outsider = make_member(Role.AUDITOR)
    other_engagement = start(make_engagement(org, officer=officer, lead=outsider))
    client = api_for(outsider)
    assert client.get(reverse("audit-engagement-detail", args=[engagement.pk])).status_code == 404
    assert client.get(reverse("audit-engagement-detail", args=[other_engagement.pk])).status_code == 200
    response = client.post(
        reverse("audit-finding-list"),
        {"engagement": engagement.pk, "title": "x", "severity": "low"},
        format="json",
    )
    assert response.status_code == 400  # the engagement is not even a valid id for them
    assert not Finding.objects.filter(engagement=engagement).exists()


def test_access_ends_after_access_until_then_404(org, officer, api_for):
    today = timezone.localdate()
    engagement = start(
        make_engagement(org, officer=officer, access_until=today + datetime.timedelta(days=10))
    )
    system = engagement.systems.get()
    client = api_for(engagement.lead_auditor)
    assert client.get(reverse("system-detail", args=[system.pk])).status_code == 200
    services.engagement_access_sweep(today=today + datetime.timedelta(days=11))
    assert client.get(reverse("system-detail", args=[system.pk])).status_code == 404
    assert client.get(reverse("audit-engagement-detail", args=[engagement.pk])).status_code == 404


def test_auditor_role_in_another_client_sees_nothing_here(org, other_org, officer, api_for):
    engagement = start(make_engagement(org, officer=officer))
    elsewhere = MembershipFactory(
        organization=other_org, role=Role.AUDITOR, user=engagement.lead_auditor.user
    )
    client = api_for(elsewhere)
    assert client.get(reverse("audit-engagement-detail", args=[engagement.pk])).status_code == 404
    assert client.get(reverse("audit-engagement-list")).json()["results"] == []
