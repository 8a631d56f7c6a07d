"""Trusted-list filings: the checklist and the sector body's 10 + 5 working-day clock."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit import services
from kzai.core.roles import Role
from kzai.deadlines.workdays import add_working_days
from tests.audit.helpers import make_engagement, start
from tests.factories import AISystemFactory


def _positive_audit(org, officer, system):
    engagement = start(make_engagement(org, officer=officer, systems=[system]))
    lead = engagement.lead_auditor
    services.engagement_transition(engagement=engagement, membership=lead, status="reporting")
    services.engagement_conclude(
        engagement=engagement, membership=lead, conclusion="positive", conclusion_text="ok"
    )
    return services.engagement_sign_off(engagement=engagement, membership=lead)


def test_the_checklist_must_be_complete_before_filing(org, officer):
    system = AISystemFactory(organization=org)
    filing = services.filing_create(system=system, membership=officer, sector_body="Ministry of Energy")
    with pytest.raises(ValidationError, match="incomplete"):
        services.filing_submit(filing=filing, membership=officer, filed_on=datetime.date(2026, 12, 1))
    open_engagement = start(make_engagement(org, officer=officer, systems=[system]))
    with pytest.raises(ValidationError, match="positive conclusion"):
        services.filing_update(filing=filing, membership=officer, audit_engagement=open_engagement)
    services.filing_update(
        filing=filing,
        membership=officer,
        application_ready=True,
        copyright_document="No. 123 of 01.10.2026",
        audit_engagement=_positive_audit(org, officer, system),
    )
    assert services.filing_missing(filing) == []


def test_the_sector_bodys_clock_counts_working_days(org, officer):
    system = AISystemFactory(organization=org)
    filing = services.filing_create(
        system=system,
        membership=officer,
        sector_body="Ministry of Energy",
        application_ready=True,
        copyright_document="Agreement 7",
        audit_engagement=_positive_audit(org, officer, system),
    )
    # Filed on Friday 11 December 2026: 16-17 December (Independence Day) are holidays.
    filed_on = datetime.date(2026, 12, 11)
    services.filing_submit(filing=filing, membership=officer, filed_on=filed_on)
    assert filing.status == "filed"
    assert filing.completeness_due_on == add_working_days(filed_on, 10)
    assert (filing.completeness_due_on - filed_on).days > 14  # weekends and holidays skipped
    with pytest.raises(ValidationError):
        services.filing_update(filing=filing, membership=officer, sector_body="other")
    with pytest.raises(ValidationError):
        services.filing_record_outcome(filing=filing, membership=officer, status="published", on=filed_on)
    complete_on = datetime.date(2026, 12, 22)
    services.filing_record_outcome(filing=filing, membership=officer, status="complete", on=complete_on)
    assert filing.publication_due_on == add_working_days(complete_on, 5)
    services.filing_record_outcome(
        filing=filing, membership=officer, status="published", on=datetime.date(2026, 12, 28)
    )
    assert filing.status == "published"


def test_only_the_organization_files(org, officer, make_member):
    system = AISystemFactory(organization=org)
    with pytest.raises(PermissionDenied):
        services.filing_create(system=system, membership=make_member(Role.AUDITOR), sector_body="x")


def test_filing_through_the_api(org, officer, api_for):
    system = AISystemFactory(organization=org)
    engagement = _positive_audit(org, officer, system)
    client = api_for(officer)
    response = client.post(
        reverse("audit-filing-list"),
        {
            "system": system.pk,
            "sector_body": "Ministry",
            "application_ready": True,
            "copyright_document": "No. 1",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["missing"] == ["A positive audit report"]
    url = reverse("audit-filing-detail", args=[response.json()["id"]])
    assert client.patch(url, {"audit_engagement": engagement.pk}, format="json").status_code == 200
    submit = reverse("audit-filing-submit", args=[response.json()["id"]])
    assert client.post(submit, {"filed_on": "not a date"}, format="json").status_code == 400
    response = client.post(submit, {"filed_on": "2026-12-11"}, format="json")
    assert response.status_code == 200 and response.json()["completeness_due_on"]
