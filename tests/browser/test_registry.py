"""Register an AI system through the real UI: list → form (an inline error, then a fix) → detail tabs."""

import pytest

from kzai.core.roles import Role
from registry.models import AISystem
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OrganizationFactory, PartyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_a_system_through_the_ui(page, live_server):
    organization = OrganizationFactory(name="Qazaq Bank JSC", slug="qazaq")
    member = MembershipFactory(organization=organization, role=Role.OFFICER)
    PartyFactory(organization=organization, name="Astana Data Integration LLP")

    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="AI systems").first.click()
    page.get_by_role("heading", name="AI systems").wait_for()
    # The empty register shows its first-run guide beside the page's own button: either registers.
    page.get_by_role("link", name="Register an AI system").first.click()

    page.get_by_label("Internal code").fill("CHAT-01")
    page.get_by_label("Name:", exact=True).fill("Customer chatbot")
    page.get_by_label("Intended purpose").fill("Answers customers' questions about cards.")
    page.get_by_label("Our role under the law").select_option("owner")
    page.get_by_label("Sector:", exact=True).select_option("banking")
    page.get_by_label("Interacts with natural persons").check()
    page.get_by_label("Interaction channel").select_option("chatbot")
    page.get_by_label("Processes biometric data").check()  # without personal data: refused inline
    page.get_by_label("Tags").fill("customer, genai")
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Biometric data is personal data: tick both.").wait_for()
    assert not AISystem.objects.exists()
    page.get_by_label("Processes personal data").check()
    page.get_by_role("button", name="Save").click()

    page.get_by_text("The AI system is registered.").wait_for()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Customer chatbot")
    system = AISystem.objects.get(organization=organization, code="CHAT-01")
    assert system.interaction_channel == "chatbot" and system.processes_biometric_data

    # Link a party from the Parties tab; then the history shows both changes.
    page.get_by_role("link", name="Parties", exact=True).last.click()
    page.get_by_role("link", name="Link a party").click()
    page.get_by_label("Party:", exact=True).select_option(label="Astana Data Integration LLP")
    page.get_by_label("Role:", exact=True).select_option("integrator")
    page.get_by_label("Contract reference").fill("ADI-2026/04")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("cell", name="ADI-2026/04").wait_for()

    page.locator("nav.tabs").get_by_role("link", name="History").click()
    page.get_by_text("ADI-2026/04").first.wait_for()
    assert page.locator("nav.tabs a[aria-current='page']").inner_text() == "History"

    page.goto(f"{live_server.url}/registry/?search=chat")
    page.get_by_role("link", name="CHAT-01").wait_for()
