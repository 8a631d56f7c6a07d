"""The heat map in a real browser: a board member on a phone sees both grids whole (no sideways
scrolling inside them), taps a cell and lands on the list of exactly those risks; printed, the
cells keep their colours."""

from pathlib import Path

import pytest

from kzai.core.roles import Role
from tests.browser.helpers import sign_in
from tests.factories import AISystemFactory, MembershipFactory, OrganizationFactory, RiskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_heat_map_on_a_phone_links_cells_and_prints_in_colour(browser, live_server):
    org = OrganizationFactory(name="Alpha Bank JSC", slug="alpha")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    system = AISystemFactory(organization=org, name="Retail credit scoring")
    RiskFactory(system=system, title="Biased outcomes", likelihood=4, severity=5)
    RiskFactory(system=system, title="Model drift", likelihood=2, severity=2)

    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, officer.user.email)
        page.goto(f"{live_server.url}/risk/register/heat-map/")
        tables = page.locator("table.heatmap")
        assert tables.count() == 2
        for index in range(2):
            box = tables.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
            card = tables.nth(index).locator("xpath=..")
            assert card.evaluate("c => c.scrollWidth <= c.clientWidth + 1")
        Path("test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path="test-artifacts/heatmap-phone.png", full_page=True)

        background = page.locator("td.heat-empty").first.evaluate(
            "td => getComputedStyle(td).backgroundColor"
        )
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")

        page.get_by_role(
            "link", name="1 risk: likelihood 4 (Likely) × severity 5 (Critical) = 20, Critical"
        ).first.click()
        page.wait_for_url("**/risk/register/?**")
        assert page.get_by_role("link", name="Biased outcomes").is_visible()
        assert page.get_by_role("link", name="Model drift").count() == 0

        page.goto(f"{live_server.url}/risk/register/heat-map/")
        page.emulate_media(media="print")
        assert page.locator("form.filters").first.is_hidden()
        adjust = page.locator("td.heat").first.evaluate("td => getComputedStyle(td).printColorAdjust")
        assert adjust == "exact"
    finally:
        context.close()
