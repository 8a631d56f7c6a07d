"""The overview in a real browser: the first-run guide, then the numbers, the SVG charts and a number
that opens its filtered list; at desktop and phone widths, in English, Russian and Kazakh, with
screenshots kept in test-artifacts/ and no Content-Security-Policy violation."""

from pathlib import Path

import pytest

from kzai.core.roles import Role
from tests.browser.helpers import sign_in
from tests.core.test_overview import _world
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path("test-artifacts")


def _violations(page):
    found = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def test_first_run_guide_then_the_overview(page, live_server, org):
    officer = MembershipFactory(organization=org, role=Role.ADMIN)
    violations = _violations(page)
    sign_in(page, live_server.url, officer.user.email)
    guide = page.get_by_test_id("first-run")
    guide.get_by_role("link", name="Register an AI system").wait_for()
    guide.get_by_role("link", name="Invite colleagues").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-first-run.png"), full_page=True)

    _world(org, officer, MembershipFactory(organization=org, role=Role.CONTRIBUTOR))
    for language in ("en", "ru", "kk"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for width, height, label in ((1440, 900, "desktop"), (390, 844, "phone")):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{live_server.url}/")
            page.get_by_test_id("compliance-score").wait_for()
            assert page.locator(".chart svg[role='img']").count() == 2
            # Nothing wider than the screen: no sideways scrolling on a phone.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (language, label, overflow)
            page.screenshot(path=str(ARTIFACTS / f"overview-{language}-{label}.png"), full_page=True)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/")
    page.locator('a.figure[data-key="obligations_overdue"]').click()
    page.wait_for_url("**/risk/obligations/?overdue=true")
    assert violations == []
