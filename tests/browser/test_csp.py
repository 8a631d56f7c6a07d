"""The portal and Swagger UI work under the Content-Security-Policy, with no violation reported."""

import pytest

from kzai.core.roles import Role
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _collect_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return violations


def test_swagger_ui_and_the_pages_run_under_the_policy(page, live_server):
    first = OrganizationFactory(name="Alpha Bank JSC", slug="alpha")
    second = OrganizationFactory(name="Beta Telecom LLP", slug="beta")
    member = MembershipFactory(organization=first, role=Role.OFFICER)
    MembershipFactory(organization=second, user=member.user, role=Role.VIEWER)
    violations = _collect_violations(page)

    sign_in(page, live_server.url, member.user.email)
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").get_by_text("kzai API").wait_for()
    page.locator(".opblock-tag").first.wait_for()
    page.goto(f"{live_server.url}/")
    # The organization switcher submits itself from kzai.js (no inline handler).
    page.get_by_label("Organization").select_option(label="Beta Telecom LLP")
    page.get_by_text("You are now working in Beta Telecom LLP.").wait_for()
    page.goto(f"{live_server.url}/registry/")
    page.goto(f"{live_server.url}/accounts/two-factor/")
    page.locator(".qr-code svg").wait_for()
    assert violations == []
