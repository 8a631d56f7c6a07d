"""The classification wizard through a real browser: facts → impact → autonomy → screen → declare
lower with a justification → approve → obligations, and the justification shown with the level."""

import pytest

from kzai.core.roles import Role
from tests.browser.helpers import sign_in
from tests.factories import AISystemFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_classification_wizard(page, live_server):
    officer = MembershipFactory(role=Role.OFFICER)
    system = AISystemFactory(
        organization=officer.organization,
        name="Retail credit scoring",
        decision_role="takes",
        processes_personal_data=True,
        critical_ict_infrastructure=True,
    )
    sign_in(page, live_server.url, officer.user.email)
    page.goto(f"{live_server.url}/risk/systems/{system.pk}/")
    page.get_by_role("link", name="Classify (guided)").click()

    # 1. Facts check: the register's facts, pre-filled.
    assert page.locator('[aria-current="step"]').inner_text() == "1. Facts check"
    page.get_by_role("button", name="The facts are right — continue").click()

    # 2. Impact: critical ICT infrastructure is pre-ticked from the register.
    assert page.get_by_label("The system is a critically important object of ICT infrastructure").is_checked()
    page.get_by_label("May cause moral harm or material damage").check()
    page.get_by_label("Users", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    # 3. Autonomy: pre-filled from "takes decisions itself".
    assert page.locator('[aria-current="step"]').inner_text() == "3. Autonomy"
    assert page.get_by_label("It decides on its own; a human can correct or cancel the decision").is_checked()
    page.get_by_role("button", name="Continue").click()

    # 4. Banned-practice screen: seven questions; emotion recognition with consent is allowed.
    for n in range(1, 8):
        page.locator(f'input[name="KZ-AI-PROH-0{n}__present"][value="no"]').check()
    page.get_by_role("button", name="Record the screening and continue").click()

    # 5. Review: suggested high risk with the rationale; declaring lower needs a justification.
    assert page.locator('[aria-current="step"]').inner_text() == "5. Review and declare"
    assert "High risk" in page.locator("section.card").inner_text()
    assert "Art. 17(1) [P]" in page.locator(".rationale").inner_text()
    page.get_by_label("Declared risk level").select_option("medium")
    page.get_by_role("button", name="Approve classification").click()
    page.get_by_text("You declared a level lower than the suggested one").wait_for()
    page.get_by_label("Declared risk level").select_option("medium")
    page.get_by_label("Justification").fill("A manual scoring fallback runs within one business day.")
    page.get_by_role("button", name="Approve classification").click()

    # 6. Obligations derived for the approved classification.
    page.get_by_text("Classification approved; obligations updated.").wait_for()
    assert page.locator('[aria-current="step"]').inner_text() == "6. Obligations"
    table = page.locator("table").inner_text()
    assert "KZ-AI-RISK-01" in table and "KZ-AI-PDL-01" in table

    # The risk page shows the declared level with its justification.
    page.get_by_role("link", name="Back to the system's risk page").click()
    assert "Medium risk" in page.locator(".card").first.inner_text()
    assert (
        "A manual scoring fallback runs within one business day."
        in page.locator(".justification").inner_text()
    )
    system.refresh_from_db()
    assert system.risk_level == "medium" and system.autonomy_level == "medium"
