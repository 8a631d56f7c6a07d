"""Documents through a real browser: an officer uploads a file from the system's Documents tab,
approves it, and the documentation list marks the item met."""

import pytest

from documents.models import Document
from kzai.core.roles import Role
from tests.browser.helpers import sign_in
from tests.documents.helpers import PDF
from tests.factories import AISystemFactory, MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_uploads_and_approves_a_document(page, live_server, tmp_path):
    org = OrganizationFactory(name="Alpha Bank JSC", slug="alpha")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    system = AISystemFactory(organization=org, name="Retail credit scoring")
    wrong = tmp_path / "scan.pdf"
    wrong.write_bytes(b"MZ\x90\x00 not a pdf")
    good = tmp_path / "description.pdf"
    good.write_bytes(PDF)

    sign_in(page, live_server.url, officer.user.email)
    page.goto(f"{live_server.url}/documents/systems/{system.pk}/")
    row = page.locator('tr[data-item="general-description"]')
    assert row.locator("[data-state]").get_attribute("data-state") == "missing"
    row.get_by_role("link", name="Add a document").click()

    page.get_by_label("Title").fill("General description of the scoring model")
    page.locator("#id_file").set_input_files(str(wrong))
    page.get_by_role("button", name="Save").click()
    # A file whose content does not match its extension is refused on the form.
    page.get_by_text("does not match its extension").wait_for()
    assert not Document.objects.exists()

    page.locator("#id_file").set_input_files(str(good))
    page.get_by_label("Change note").fill("First issue")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="General description of the scoring model").wait_for()
    page.get_by_role("link", name="description.pdf").wait_for()
    page.get_by_test_id("approve").click()
    page.get_by_text("Document approved.").wait_for()

    page.goto(f"{live_server.url}/documents/systems/{system.pk}/")
    row = page.locator('tr[data-item="general-description"]')
    assert row.locator("[data-state]").get_attribute("data-state") == "approved"
    assert row.get_by_role("link", name="General description of the scoring model").is_visible()
