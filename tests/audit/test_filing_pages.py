"""Trusted-list filings on the pages: prepare and edit the checklist, file it, record the sector
body's steps, and the clock shown in working days with dates (Asia/Almaty)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from audit import selectors, services
from audit.models import TrustedListFiling
from kzai.core.roles import Role
from kzai.deadlines.workdays import add_working_days
from tests.audit.test_filings import _positive_audit
from tests.factories import AISystemFactory, MembershipFactory
from tests.tenancy import UIContract, page_text


class TestFilingPages(UIContract):
    detail_url_name = "audit:filing_detail"
    update_url_name = "audit:filing_update"
    covered_url_names = ("audit:filing_create", "audit:filing_submit", "audit:filing_outcome")

    def make_object(self, organization):
        officer = MembershipFactory(organization=organization, role=Role.OFFICER)
        return services.filing_create(
            system=AISystemFactory(organization=organization), membership=officer, sector_body="Ministry"
        )


def test_prepare_tick_file_and_record_through_the_pages(org, officer, web_for):
    system = AISystemFactory(organization=org, code="GRID-01")
    audit = _positive_audit(org, officer, system)
    web = web_for(officer)
    tab = page_text(web.get(reverse("audit:system_audits", args=[system.pk])))
    assert reverse("audit:filing_create", args=[system.pk]) in tab
    response = web.post(
        reverse("audit:filing_create", args=[system.pk]), {"sector_body": "Ministry of Energy"}
    )
    filing = TrustedListFiling.objects.get(system=system)
    assert response.status_code == 302 and response["Location"] == reverse(
        "audit:filing_detail", args=[filing.pk]
    )
    detail = page_text(web.get(reverse("audit:filing_detail", args=[filing.pk])))
    assert detail.count("✗ Missing") == 3 and "The clock starts when the application is filed." in detail
    form = page_text(web.get(reverse("audit:filing_update", args=[filing.pk])))
    assert audit.title in form
    response = web.post(
        reverse("audit:filing_update", args=[filing.pk]),
        {
            "sector_body": "Ministry of Energy",
            "application_ready": "on",
            "copyright_document": "Certificate No. 123 of 01.10.2026",
            "audit_engagement": audit.pk,
        },
    )
    assert response.status_code == 302
    assert page_text(web.get(reverse("audit:filing_detail", args=[filing.pk]))).count("✓ Done") == 3
    filed_on = datetime.date(2026, 12, 11)
    web.post(reverse("audit:filing_submit", args=[filing.pk]), {"filed_on": "2026-12-11"})
    filing.refresh_from_db()
    due = add_working_days(filed_on, 10)
    assert filing.status == "filed" and filing.completeness_due_on == due
    detail = page_text(web.get(reverse("audit:filing_detail", args=[filing.pk])))
    assert f"{due:%d.%m.%Y}" in detail and "Completeness check (10 working days from filing)" in detail
    assert reverse("audit:filing_update", args=[filing.pk]) not in detail  # filed: no more edits
    web.post(reverse("audit:filing_outcome", args=[filing.pk]), {"status": "complete", "on": "2026-12-22"})
    filing.refresh_from_db()
    assert filing.status == "complete" and filing.publication_due_on == add_working_days(
        datetime.date(2026, 12, 22), 5
    )
    assert "Publication in the list" in page_text(web.get(reverse("audit:filing_detail", args=[filing.pk])))


def test_bad_input_is_a_message_not_an_error(org, officer, web_for):
    filing = services.filing_create(
        system=AISystemFactory(organization=org), membership=officer, sector_body="Ministry"
    )
    web = web_for(officer)
    response = web.post(
        reverse("audit:filing_submit", args=[filing.pk]), {"filed_on": "not a date"}, follow=True
    )
    assert response.status_code == 200
    response = web.post(
        reverse("audit:filing_submit", args=[filing.pk]), {"filed_on": "2026-12-11"}, follow=True
    )
    assert "The filing is incomplete" in page_text(response)
    filing.refresh_from_db()
    assert filing.status == "preparing"
    response = web.post(reverse("audit:filing_update", args=[filing.pk]), {"sector_body": ""})
    assert response.status_code == 200 and "field-errors" in page_text(response)


def test_the_clock_in_working_days(org, officer):
    system = AISystemFactory(organization=org)
    filing = services.filing_create(
        system=system,
        membership=officer,
        sector_body="Ministry",
        application_ready=True,
        copyright_document="Agreement 7",
        audit_engagement=_positive_audit(org, officer, system),
    )
    assert selectors.filing_clock(filing) == []
    services.filing_submit(filing=filing, membership=officer, filed_on=datetime.date(2026, 12, 11))
    # Due Monday 28 December (Independence Day on the 16th skipped): on Monday 14 December,
    # 9 working days are left; a week after the due date, 3 are late (1-4 January are not worked).
    assert filing.completeness_due_on == datetime.date(2026, 12, 28)
    [step] = selectors.filing_clock(filing, today=datetime.date(2026, 12, 14))
    assert step["key"] == "completeness" and step["left"] == 9 and step["late"] is None
    [late] = selectors.filing_clock(filing, today=datetime.date(2027, 1, 4))
    assert late["left"] is None and late["late"] == 3


def test_auditors_and_readers_get_no_filing_controls(org, officer, make_member, web_for):
    system = AISystemFactory(organization=org)
    filing = services.filing_create(system=system, membership=officer, sector_body="Ministry")
    auditor = make_member(Role.AUDITOR)
    from registry.grants import grant_system_view

    grant_system_view(auditor.user, system)
    web = web_for(auditor)
    assert web.get(reverse("audit:filing_create", args=[system.pk])).status_code == 403
    assert web.get(reverse("audit:filing_update", args=[filing.pk])).status_code == 403
    page = page_text(web.get(reverse("audit:filing_detail", args=[filing.pk])))
    assert reverse("audit:filing_update", args=[filing.pk]) not in page
    assert reverse("audit:filing_submit", args=[filing.pk]) not in page
    assert reverse("audit:filing_create", args=[system.pk]) not in page_text(
        web.get(reverse("audit:system_audits", args=[system.pk]))
    )
    assert (
        web.post(reverse("audit:filing_submit", args=[filing.pk]), {"filed_on": "2026-12-11"}).status_code
        == 403
    )
