"""An annual risk review through a real browser: start, record every item (htmx), sign off."""

import datetime

import pytest

from kzai.core.roles import Role
from risk.models import Review
from risk.risk_management import services
from tests.browser.helpers import sign_in
from tests.factories import (
    MeasureFactory,
    MembershipFactory,
    OrganizationFactory,
    RiskFactory,
    system_in_operation,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_walks_through_and_signs_off_a_review(page, live_server):
    org = OrganizationFactory(name="Alpha Bank JSC", slug="alpha")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    system = system_in_operation(
        org, classified_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC), name="Retail credit scoring"
    )
    risk = RiskFactory(system=system, title="Biased outcomes for protected groups", likelihood=4, severity=5)
    MeasureFactory(system=system, title="Quarterly bias testing", risks=[risk])
    services.review_schedule_sync(system=system)
    review = Review.objects.get(system=system)

    sign_in(page, live_server.url, officer.user.email)
    page.goto(f"{live_server.url}/risk/reviews/{review.pk}/")
    assert page.locator("#review-status").inner_text() == "Overdue"
    page.get_by_role("button", name="Start the review").click()
    page.get_by_role("heading", name="Risks and measures").wait_for()

    rows = page.locator("tbody tr[id^=item-]")
    assert rows.count() == 2
    for index in range(2):
        row = page.locator("tbody tr[id^=item-]").nth(index)
        row_id = row.get_attribute("id")
        if index == 0:
            row.get_by_label("Outcome").select_option("changed")
            row.get_by_role("button", name="Record").click()
            # A change needs a note: the row comes back with the error, in place.
            page.locator(f"#{row_id}").get_by_text("Say what changed.").wait_for()
            row = page.locator(f"#{row_id}")
            row.get_by_label("Outcome").select_option("changed")
            row.get_by_label("What changed").fill("Severity confirmed; testing moved to monthly.")
        else:
            row.get_by_label("Outcome").select_option("confirmed")
        row.get_by_role("button", name="Record").click()
        page.locator(f"#{row_id} [data-outcome]:not([data-outcome=pending])").wait_for()

    page.reload()
    page.get_by_label("Summary of the review").fill("Register reviewed with the credit risk committee.")
    page.get_by_role("button", name="Sign off the review").click()
    page.get_by_role("heading", name="Signed off", exact=True).wait_for()
    assert page.locator("#review-status").inner_text() == "Completed"
    assert page.get_by_text("Register as it stood at sign-off").is_visible()
    review.refresh_from_db()
    assert review.status == "completed" and review.snapshot["risks"][0]["title"] == risk.title
    assert review.signed_off_by == officer


def test_officer_records_every_item_in_one_pass(page, live_server):
    org = OrganizationFactory(name="Alpha Bank JSC", slug="alpha")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    system = system_in_operation(
        org, classified_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC), name="Retail credit scoring"
    )
    risk = RiskFactory(system=system, title="Biased outcomes for protected groups")
    RiskFactory(system=system, title="Prompt injection")
    MeasureFactory(system=system, title="Quarterly bias testing", risks=[risk])
    services.review_schedule_sync(system=system)
    review = Review.objects.get(system=system)
    services.review_start(review=review, membership=officer)

    sign_in(page, live_server.url, officer.user.email)
    page.goto(f"{live_server.url}/risk/reviews/{review.pk}/")
    rows = page.locator("tbody tr[id^=item-]")
    assert rows.count() == 3
    rows.nth(0).get_by_label("Outcome").select_option("changed")  # without a note: refused
    rows.nth(1).get_by_label("Outcome").select_option("confirmed")
    rows.nth(2).get_by_label("Outcome").select_option("closed")
    page.get_by_role("button", name="Record all filled-in items").click()
    page.get_by_text("Say what changed.").wait_for()
    # Nothing was lost: the other rows still hold their choices.
    assert page.locator("tbody tr[id^=item-]").nth(1).get_by_label("Outcome").input_value() == "confirmed"
    page.locator("tbody tr[id^=item-]").nth(0).get_by_label("What changed").fill("Monthly testing now.")
    page.get_by_role("button", name="Record all filled-in items").click()
    page.get_by_text("3 items recorded.").wait_for()
    assert page.locator("[data-outcome=pending]").count() == 0
