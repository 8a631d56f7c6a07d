"""An officer copies the visible warning from the label generator; anyone verifies a signed label
on the public page — all under the Content-Security-Policy."""

import datetime
import hashlib
import json

import pytest

from kzai.core.roles import Role
from registry import services as registry_services
from registry.public.labels import services
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_the_warning_and_verify_a_label(page, live_server, browser):
    organization = OrganizationFactory(name="Qazaq Media LLP", slug="qazaq-media")
    officer = MembershipFactory(organization=organization, role=Role.OFFICER)
    system = registry_services.ai_system_create(
        organization=organization,
        name="Picture studio",
        code="PIC-01",
        intended_purpose="Illustrations.",
        organization_role="owner",
        sector="banking",
        generates_synthetic_content=True,
        synthetic_media=["image"],
    )
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    sign_in(page, live_server.url, officer.user.email)
    page.goto(f"{live_server.url}/registry/systems/{system.pk}/public/")
    page.get_by_test_id("label-generator").click()
    page.get_by_role("heading", name="Visible warning").wait_for()
    copy = page.get_by_role("button", name="Copy").first
    copy.click()
    page.get_by_role("button", name="Copied").first.wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert 'class="kzai-ai-label"' in copied and 'lang="kk"' in copied

    label = services.label_sign(
        system=system,
        content_sha256=hashlib.sha256(b"picture").hexdigest(),
        media_type="image/png",
        generated_at=datetime.datetime.now(datetime.UTC),
    )
    visitor = browser.new_context(locale="en-US")
    public = visitor.new_page()
    public.goto(f"{live_server.url}/labels/verify/")
    public.get_by_label("Label").fill(json.dumps(label))
    public.get_by_role("button", name="Verify").click()
    public.get_by_test_id("label-valid").wait_for()
    assert public.get_by_test_id("organization").inner_text() == "Qazaq Media LLP"
    assert public.get_by_test_id("system").inner_text() == "Picture studio"
    visitor.close()
    assert violations == []
