"""An auditor through a real browser: records a finding on their engagement, and finds no way to
edit the system under audit (no edit control; the edit page answers 403)."""

import pytest

from audit.models import Comment, Finding
from kzai.core.roles import Role
from tests.audit.helpers import make_engagement, start
from tests.browser.helpers import sign_in
from tests.factories import AISystemFactory, MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_records_a_finding_and_cannot_edit_the_system(page, live_server):
    org = OrganizationFactory(name="Alpha Bank JSC", slug="alpha")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    auditor = MembershipFactory(organization=org, role=Role.AUDITOR)
    system = AISystemFactory(organization=org, name="Retail credit scoring")
    engagement = start(
        make_engagement(org, officer=officer, lead=auditor, systems=[system], title="Trusted-list audit 2026")
    )

    sign_in(page, live_server.url, auditor.user.email)
    page.goto(f"{live_server.url}/audit/engagements/{engagement.pk}/")
    page.get_by_text("Record a finding").click()
    form = page.get_by_test_id("finding-form")
    form.get_by_label("Title").fill("Training data sheet is unsigned")
    form.get_by_label("Severity").select_option("high")
    form.get_by_label("Recommendation").fill("Have the data owner sign the sheet.")
    form.get_by_role("button", name="Record the finding").click()
    page.get_by_test_id("finding").get_by_text("Training data sheet is unsigned").wait_for()
    finding = Finding.objects.get(engagement=engagement)
    assert finding.raised_by == auditor and finding.severity == "high"

    # A comment on the finding, attributed to the auditor.
    card = page.get_by_test_id("finding")
    card.get_by_text("Comment", exact=True).click()
    card.get_by_label("Comment").fill("Seen again in the March sample.")
    card.get_by_role("button", name="Add the comment").click()
    page.get_by_test_id("finding").get_by_text("Seen again in the March sample.").wait_for()
    assert Comment.objects.get(finding=finding).author == auditor
    # No edit controls of the organization's side, and no member list with e-mails.
    assert page.get_by_role("link", name="Edit the plan").count() == 0
    assert page.get_by_text("Open a remediation action").count() == 0
    assert page.locator("a[href$='/settings/members/']").count() == 0
    assert page.goto(f"{live_server.url}/settings/members/").status == 403

    # The system page: readable, with no edit control; the edit page itself is refused.
    page.goto(f"{live_server.url}/registry/systems/{system.pk}/")
    page.get_by_role("heading", name="Retail credit scoring").wait_for()
    assert page.get_by_role("link", name="Edit").count() == 0
    assert page.locator(f"a[href$='/registry/systems/{system.pk}/edit/']").count() == 0
    response = page.goto(f"{live_server.url}/registry/systems/{system.pk}/edit/")
    assert response.status == 403
    page.goto(f"{live_server.url}/audit/systems/{system.pk}/")
    page.get_by_role("link", name="Trusted-list audit 2026").wait_for()
