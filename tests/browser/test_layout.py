"""The header at phone width: a menu button folds the session, language and navigation away (a
header that took 40% of the screen); at desktop width everything shows and the button does not."""

import pytest

from kzai.core.roles import Role
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, PartyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_menu_button_at_phone_width(page, live_server):
    officer = MembershipFactory(role=Role.OFFICER)
    party = PartyFactory(organization=officer.organization, name="Astana Data Integration LLP")
    sign_in(page, live_server.url, officer.user.email)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/registry/parties/{party.pk}/")
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    assert menu.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    assert page.locator("header").bounding_box()["height"] < 0.1 * 844

    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and nav.is_visible()
    # The party's page belongs to "Parties", not to "AI systems".
    assert nav.locator("[aria-current=page]").inner_text() == "Parties"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")

    page.set_viewport_size({"width": 1440, "height": 900})
    assert not menu.is_visible() and nav.is_visible()
