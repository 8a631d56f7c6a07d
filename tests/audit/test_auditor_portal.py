"""What an auditor does not see or get offered: the member list with everyone's e-mail (page and
API), and edit controls of the organization's side on the engagement and the system pages."""

from __future__ import annotations

from django.urls import reverse

from kzai.core.roles import Role
from tests.audit.helpers import make_engagement, start
from tests.tenancy import page_text


def test_auditors_never_see_the_member_list_with_emails(org, officer, make_member, web_for, api_for):
    engagement = start(make_engagement(org, officer=officer))
    auditor = engagement.lead_auditor
    web = web_for(auditor)
    assert web.get(reverse("members")).status_code == 403
    assert web.get(reverse("member_systems", args=[auditor.pk])).status_code == 404
    assert reverse("members") not in page_text(
        web.get(reverse("audit:engagement_detail", args=[engagement.pk]))
    )
    client = api_for(auditor)
    listed = client.get(reverse("member-list"))
    assert listed.status_code == 200 and listed.json()["results"] == []
    assert officer.user.email not in listed.content.decode()
    assert client.get(reverse("member-detail", args=[officer.pk])).status_code == 404
    assert client.patch(reverse("member-detail", args=[officer.pk]), {"role": "viewer"}).status_code == 403
    # The organization's own members still see it.
    assert officer.user.email in page_text(web_for(make_member(Role.VIEWER)).get(reverse("members")))


def test_auditor_is_offered_only_their_own_controls(org, officer, web_for):
    engagement = start(make_engagement(org, officer=officer))
    system = engagement.systems.get()
    page = page_text(
        web_for(engagement.lead_auditor).get(reverse("audit:engagement_detail", args=[engagement.pk]))
    )
    # Their own: findings, evidence requests, criteria.
    assert reverse("audit:finding_create", args=[engagement.pk]) in page
    assert reverse("audit:request_create", args=[engagement.pk]) in page
    # Not theirs: the plan, cancelling, the system.
    assert reverse("audit:engagement_update", args=[engagement.pk]) not in page
    assert 'value="cancelled"' not in page
    system_page = page_text(
        web_for(engagement.lead_auditor).get(reverse("registry:system_detail", args=[system.pk]))
    )
    assert reverse("registry:system_update", args=[system.pk]) not in system_page
    officer_page = page_text(web_for(officer).get(reverse("audit:engagement_detail", args=[engagement.pk])))
    assert reverse("audit:engagement_update", args=[engagement.pk]) in officer_page
    assert reverse("audit:finding_create", args=[engagement.pk]) not in officer_page
