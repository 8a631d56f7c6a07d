"""A person files a report on a public page without an account; the officer sees it as a ticket."""

import pytest
from django.core.cache import cache

from kzai.core.roles import Role
from registry.public.models import Ticket
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OrganizationFactory
from tests.registry.public.helpers import published_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_on_a_public_page_arrives_as_a_ticket(page, live_server, browser):
    cache.delete("kzai:public-report:127.0.0.1")  # the live server sees every request from here
    organization = OrganizationFactory(name="Qazaq Bank JSC", slug="qazaq")
    officer = MembershipFactory(organization=organization, role=Role.OFFICER)
    public = published_page(organization)

    page.goto(f"{live_server.url}/p/qazaq/{public.public_slug}/")
    page.get_by_role("heading", name="Credit assistant").wait_for()
    page.get_by_test_id("report-link").click()
    page.get_by_role("heading", name="Report a problem").wait_for()
    page.get_by_label("What do you want to report?").select_option("incorrect_output")
    page.get_by_label("What happened").fill("It told me my card was blocked, but it is not.")
    page.get_by_label("Your e-mail (optional)").fill("reader@example.kz")
    page.wait_for_timeout(3200)  # a person takes a few seconds; faster posts are refused as bots
    page.get_by_role("button", name="Send the report").click()
    page.get_by_test_id("report-received").wait_for()
    ticket = Ticket.objects.get()

    sign_in(page, live_server.url, officer.user.email)
    page.get_by_role("link", name="User reports").click()
    page.get_by_role("link", name=f"#{ticket.pk}").click()
    assert "my card was blocked" in page.get_by_test_id("ticket-message").inner_text()
    assert page.get_by_test_id("ticket-status").inner_text() == "New"
