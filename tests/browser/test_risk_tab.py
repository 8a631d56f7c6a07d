"""The Risk tab in a real browser: from the register to one system's risk, its register and its
review through the tab bar and the risk sub-navigation, and a filter by owner chosen by name."""

import datetime

import pytest

from kzai.core.roles import Role
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


def test_officer_moves_through_the_risk_tab_and_filters_risks_by_owner(page, live_server):
    org = OrganizationFactory(name="Alpha Bank JSC", slug="alpha")
    officer = MembershipFactory(organization=org, role=Role.OFFICER, user__full_name="Aruzhan Bekova")
    other = MembershipFactory(organization=org, role=Role.CONTRIBUTOR, user__full_name="Timur Akhmetov")
    system = system_in_operation(
        org, classified_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC), name="Retail credit scoring"
    )
    risk = RiskFactory(system=system, title="Biased outcomes for protected groups", owner=officer)
    RiskFactory(system=system, title="Prompt injection", owner=other)
    MeasureFactory(system=system, title="Quarterly bias testing", risks=[risk])
    services.review_schedule_sync(system=system)

    sign_in(page, live_server.url, officer.user.email)
    page.goto(f"{live_server.url}/registry/systems/{system.pk}/")
    page.get_by_role("navigation", name="System sections").get_by_role("link", name="Risk").click()
    sections = page.get_by_role("navigation", name="Risk sections")
    assert (
        sections.get_by_role("link", name="Classification & obligations").get_attribute("aria-current")
        == "page"
    )
    assert page.get_by_role("heading", name="Risk register").is_visible()

    sections.get_by_role("link", name="Risk register").click()
    page.get_by_role("heading", name="Heat map").wait_for()
    assert page.get_by_role("link", name="Biased outcomes for protected groups").first.is_visible()
    assert page.get_by_role("link", name="Add from catalogue").is_visible()

    page.get_by_role("navigation", name="Risk sections").get_by_role("link", name="Annual reviews").click()
    page.get_by_role("heading", name="Schedule").wait_for()
    assert page.get_by_role("link", name="Change schedule").is_visible()

    page.goto(f"{live_server.url}/risk/register/")
    page.get_by_label("Owner").select_option(label="Timur Akhmetov")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**owner=*")
    assert page.get_by_role("link", name="Prompt injection").is_visible()
    assert page.get_by_role("link", name="Biased outcomes for protected groups").count() == 0
