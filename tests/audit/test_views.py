"""The audit pages: tenancy and roles through the shared contract, and who sees which controls."""

from __future__ import annotations

from django.urls import reverse

from audit import services
from audit.models import Criterion, Engagement, EvidenceRequest, Finding, RemediationAction
from kzai.core.roles import Role
from tests.audit.helpers import make_engagement, start
from tests.factories import AISystemFactory
from tests.tenancy import UIContract

POST_PAGES = (
    "audit:engagement_transition",
    "audit:comment_add",
    "audit:report_start",
    "audit:criteria_generate",
    "audit:criterion_add",
    "audit:finding_create",
    "audit:request_create",
    "audit:engagement_conclude",
    "audit:engagement_signoff",
    "audit:criterion_record",
    "audit:remediation_create",
    "audit:remediation_update",
    "audit:remediation_verify",
    "audit:request_respond",
    "audit:request_review",
)


class TestEngagementPages(UIContract):
    list_url_name = "audit:engagement_list"
    detail_url_name = "audit:engagement_detail"
    create_url_name = "audit:engagement_create"
    update_url_name = "audit:engagement_update"
    covered_url_names = ("audit:my_engagements", *POST_PAGES)

    def make_object(self, organization):
        return make_engagement(organization)


class TestSystemAuditsTab(UIContract):
    detail_url_name = "audit:system_audits"

    def make_object(self, organization):
        system = AISystemFactory(organization=organization)
        make_engagement(organization, systems=[system])
        return system


def test_create_an_engagement_through_the_form(org, officer, make_member, web_for):
    system = AISystemFactory(organization=org)
    auditor = make_member(Role.AUDITOR)
    web = web_for(officer)
    response = web.post(
        reverse("audit:engagement_create"),
        {
            "title": "Trusted list audit",
            "engagement_type": "trusted_list",
            "systems": [system.pk],
            "lead_auditor": auditor.pk,
            "planned_start": "2026-03-01",
            "planned_end": "2026-02-01",
        },
    )
    assert response.status_code == 200 and "cannot be before" in response.content.decode()
    response = web.post(
        reverse("audit:engagement_create"),
        {
            "title": "Trusted list audit",
            "engagement_type": "trusted_list",
            "systems": [system.pk],
            "lead_auditor": auditor.pk,
            "planned_start": "2026-03-01",
            "planned_end": "2026-04-01",
        },
    )
    engagement = Engagement.objects.get(title="Trusted list audit")
    assert response.status_code == 302 and response["Location"] == reverse(
        "audit:engagement_detail", args=[engagement.pk]
    )


def test_controls_follow_who_may_use_them(org, officer, web_for):
    engagement = start(make_engagement(org, officer=officer))
    url = reverse("audit:engagement_detail", args=[engagement.pk])
    auditor_page = web_for(engagement.lead_auditor).get(url).content.decode()
    assert reverse("audit:finding_create", args=[engagement.pk]) in auditor_page
    assert reverse("audit:engagement_update", args=[engagement.pk]) not in auditor_page
    officer_page = web_for(officer).get(url).content.decode()
    assert reverse("audit:finding_create", args=[engagement.pk]) not in officer_page
    assert reverse("audit:engagement_update", args=[engagement.pk]) in officer_page
    # The system page shows an auditor no edit control.
    system = engagement.systems.get()
    system_page = web_for(engagement.lead_auditor).get(reverse("registry:system_detail", args=[system.pk]))
    assert system_page.status_code == 200
    assert reverse("registry:system_update", args=[system.pk]) not in system_page.content.decode()


def test_the_whole_workflow_through_the_pages(org, officer, web_for):
    engagement = start(make_engagement(org, officer=officer))
    auditor, organization = web_for(engagement.lead_auditor), web_for(officer)
    pk = engagement.pk
    assert auditor.post(reverse("audit:criteria_generate", args=[pk])).status_code == 302
    criterion = Criterion.objects.filter(engagement=engagement).first()
    auditor.post(reverse("audit:criterion_record", args=[criterion.pk]), {"result": "minor", "notes": "Gaps"})
    assert Criterion.objects.get(pk=criterion.pk).result == "minor"
    # The organization cannot record a result (403), nor a finding.
    assert (
        organization.post(
            reverse("audit:criterion_record", args=[criterion.pk]), {"result": "conforms"}
        ).status_code
        == 403
    )
    assert (
        organization.post(
            reverse("audit:finding_create", args=[pk]), {"title": "x", "severity": "low"}
        ).status_code
        == 403
    )
    auditor.post(
        reverse("audit:finding_create", args=[pk]), {"title": "Data sheet unsigned", "severity": "high"}
    )
    finding = Finding.objects.get(engagement=engagement)
    organization.post(
        reverse("audit:remediation_create", args=[finding.pk]),
        {"description": "Sign it", "owner": officer.pk, "due_on": "2026-12-31"},
    )
    action = RemediationAction.objects.get(finding=finding)
    organization.post(
        reverse("audit:remediation_update", args=[action.pk]), {"status": "done", "evidence": "Signed"}
    )
    auditor.post(reverse("audit:remediation_verify", args=[action.pk]), {"accept": "1"})
    assert RemediationAction.objects.get(pk=action.pk).status == "verified"
    auditor.post(reverse("audit:request_create", args=[pk]), {"request": "The policy"})
    item = EvidenceRequest.objects.get(engagement=engagement)
    organization.post(reverse("audit:request_respond", args=[item.pk]), {"response": "Here"})
    auditor.post(reverse("audit:request_review", args=[item.pk]), {"accept": "0", "reason": "Unsigned"})
    assert EvidenceRequest.objects.get(pk=item.pk).status == "returned"
    for other in Criterion.objects.filter(engagement=engagement).exclude(pk=criterion.pk):
        services.criterion_record(criterion=other, membership=engagement.lead_auditor, result="conforms")
    auditor.post(reverse("audit:engagement_transition", args=[pk]), {"status": "reporting"})
    auditor.post(
        reverse("audit:engagement_conclude", args=[pk]), {"conclusion": "qualified", "conclusion_text": "Ok"}
    )
    auditor.post(reverse("audit:engagement_signoff", args=[pk]))
    engagement.refresh_from_db()
    assert engagement.status == "closed"
    page = auditor.get(reverse("audit:engagement_detail", args=[pk])).content.decode()
    assert reverse("audit:finding_create", args=[pk]) not in page


def test_auditor_landing_page_lists_engagements_of_every_client(
    org, other_org, officer, make_member, web_for
):
    from tests.factories import MembershipFactory

    here = start(make_engagement(org, officer=officer, title="Alpha audit"))
    user = here.lead_auditor.user
    there_lead = MembershipFactory(organization=other_org, role=Role.AUDITOR, user=user)
    make_engagement(other_org, lead=there_lead, title="Beta audit")
    make_engagement(org, title="Someone else's audit")
    page = web_for(here.lead_auditor).get(reverse("audit:my_engagements")).content.decode()
    assert "Alpha audit" in page and "Beta audit" in page and "Someone else" not in page
