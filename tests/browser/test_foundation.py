"""The foundation through a real browser: sign in, see the portal, switch organization."""

import pytest

from kzai.core.roles import Role
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_organization(page, live_server):
    first = OrganizationFactory(name="Alpha Bank JSC", slug="alpha")
    second = OrganizationFactory(name="Beta Telecom LLP", slug="beta")
    member = MembershipFactory(organization=first, role=Role.OFFICER)
    MembershipFactory(organization=second, user=member.user, role=Role.VIEWER)

    sign_in(page, live_server.url, member.user.email)
    assert page.get_by_role("heading", level=1).inner_text() == "Alpha Bank JSC"
    assert page.locator(".role-badge").inner_text() == "Compliance officer"

    page.get_by_label("Organization").select_option(label="Beta Telecom LLP")
    page.wait_for_load_state("load")
    page.get_by_text("You are now working in Beta Telecom LLP.").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Beta Telecom LLP"
    assert page.locator(".role-badge").inner_text() == "Viewer"

    # The choice sticks across pages, and the session can sign out.
    page.goto(f"{live_server.url}/activity/")
    assert page.get_by_label("Organization").input_value() == str(second.pk)
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.get_by_role("heading", name="Sign in to kzai").wait_for()
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/accounts/login/?next=/")


def test_wrong_password_shows_a_clear_error(page, live_server):
    member = MembershipFactory(role=Role.VIEWER)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(member.user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert "Please enter a correct e-mail address and password" in page.content()
