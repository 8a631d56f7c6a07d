"""User reports: the public form's limits and bad inputs, tickets, their clock, triage and reply."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from kzai.core.roles import Role
from kzai.deadlines.models import Deadline
from registry.public import services
from registry.public.models import Ticket, TicketStatus
from tests.factories import RiskFactory
from tests.registry.public.helpers import fresh_client, published_page
from tests.tenancy import APIContract, UIContract

ALMATY = datetime.timezone(datetime.timedelta(hours=5))


def Client(**kwargs):  # noqa: N802 - a test client from an address of its own
    """A test client with a fresh address: the rate limit counts per address in a cache that
    parallel test workers may share (Redis in CI), so no two tests count against one address."""
    return fresh_client(**kwargs)


def _form(client, url, **overrides):
    """GET the form (for the CSRF cookie and the signed token), then the fields to POST."""
    body = client.get(url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    data = {
        "csrfmiddlewaretoken": csrf,
        "token": token,
        "kind": "incorrect_output",
        "message": "The assistant said my loan was refused, the branch says it was approved.",
        "contact_email": "reader@example.kz",
        "website": "",
    }
    data.update(overrides)
    return data


def _later(seconds=10):
    """Move the clock forward so the signed timestamp is old enough (a person takes seconds)."""
    real = datetime.datetime.now().timestamp()
    return mock.patch("time.time", return_value=real + seconds)


def _report_url(page):
    return reverse("public:report", args=[page.organization.slug, page.public_slug])


def test_a_report_becomes_a_ticket_with_a_clock(org):
    page = published_page(org)
    client = Client(enforce_csrf_checks=True)
    url = _report_url(page)
    data = _form(client, url)
    with _later():
        response = client.post(url, data)
    assert response.status_code == 200 and 'data-testid="report-received"' in response.content.decode()
    ticket = Ticket.objects.get()
    assert ticket.system_id == page.system_id and ticket.status == TicketStatus.NEW
    assert ticket.contact_email == "reader@example.kz"
    deadline = Deadline.objects.get(object_id=str(ticket.pk))
    assert deadline.due_on == ticket.due_on and deadline.system_id == page.system_id


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"website": "http://spam.example"}, "website"),
        ({"token": "forged"}, "token"),
        ({"message": "x" * 5001}, "message"),
        ({"message": ""}, "message"),
        ({"kind": "lottery"}, "kind"),
        ({"contact_email": "not-an-address"}, "contact_email"),
    ],
)
def test_bad_reports_are_refused_with_a_message_and_file_nothing(org, overrides, field):
    page = published_page(org)
    client = Client()
    url = _report_url(page)
    data = _form(client, url, **overrides)
    with _later():
        response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_submission_faster_than_a_person_is_refused(org):
    page = published_page(org)
    client = Client()
    url = _report_url(page)
    response = client.post(url, _form(client, url))
    assert "token" in response.context["form"].errors and not Ticket.objects.exists()


def test_a_token_of_another_page_is_refused(org):
    first, second = published_page(org), published_page(org)
    client = Client()
    data = _form(client, _report_url(first))
    with _later():
        response = client.post(_report_url(second), data)
    assert "token" in response.context["form"].errors and not Ticket.objects.exists()


def test_reports_are_rate_limited_per_address(org):
    page = published_page(org)
    client = Client()
    url = _report_url(page)
    forms = [_form(client, url) for _ in range(7)]
    with _later():
        statuses = [client.post(url, data).status_code for data in forms]
    assert statuses == [200] * 5 + [429] * 2
    assert Ticket.objects.count() == 5
    other = Client()
    data = _form(other, url)
    with _later():
        assert other.post(url, data).status_code == 200


def test_the_report_form_of_an_unpublished_page_is_404(org, client):
    page = published_page(org)
    url = _report_url(page)
    services.public_page_unpublish(page=page)
    assert client.get(url).status_code == 404
    assert client.post(url, {"message": "x"}).status_code == 404


def test_ticket_clock_skips_independence_day(org):
    page = published_page(org)
    # Filed on Monday 14 December 2026: 16 December (Independence Day) is not a working day, so
    # 5 working days run out on Tuesday 22 December instead of Monday 21 December.
    moment = datetime.datetime(2026, 12, 14, 10, 0, tzinfo=ALMATY)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        ticket = services.ticket_report(page=page, kind="error", message="Wrong answer about fees.")
    assert ticket.due_on == datetime.date(2026, 12, 22)


def test_triage_links_a_risk_and_the_reply_goes_to_the_reporter(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    page = published_page(org)
    ticket = services.ticket_report(
        page=page, kind="harm", message="It exposed my data.", contact_email="reader@example.kz"
    )
    officer = make_member(Role.OFFICER)
    risk = RiskFactory(system=page.system)
    web = web_for(officer)
    url = reverse("registry:ticket_detail", args=[ticket.pk])
    response = web.post(
        url, {"status": "triaged", "severity": "high", "assignee": officer.pk, "risk": risk.pk}
    )
    assert response.status_code == 302, response.context["form"].errors
    ticket.refresh_from_db()
    assert (ticket.status, ticket.severity, ticket.assignee, ticket.risk) == (
        "triaged",
        "high",
        officer,
        risk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(url, {"reply": "We fixed the leak and deleted the record."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ANSWERED and ticket.replied_at is not None
    assert [m.to for m in mail.outbox] == [["reader@example.kz"]]
    assert Deadline.objects.get(object_id=str(ticket.pk)).completed_at is not None


def test_a_risk_of_another_system_or_organization_cannot_be_linked(org, other_org, make_member, web_for):
    page = published_page(org)
    ticket = services.ticket_report(page=page, kind="error", message="Wrong answer.")
    web = web_for(make_member(Role.OFFICER))
    url = reverse("registry:ticket_detail", args=[ticket.pk])
    for risk in (
        RiskFactory(system=published_page(org).system),
        RiskFactory(system=published_page(other_org).system),
    ):
        response = web.post(url, {"status": "triaged", "risk": risk.pk})
        assert response.status_code == 200 and "risk" in response.context["form"].errors
    ticket.refresh_from_db()
    assert ticket.risk is None


def test_no_reply_without_an_address(org, make_member, api_for):
    ticket = services.ticket_report(page=published_page(org), kind="error", message="Wrong answer.")
    client = api_for(make_member(Role.OFFICER))
    response = client.post(reverse("ticket-reply", args=[ticket.pk]), {"reply": "Thanks"}, format="json")
    assert response.status_code == 400 and "reply" in response.json()
    assert not mail.outbox


def _ticket(organization):
    return services.ticket_report(
        page=published_page(organization), kind="complaint", message="Too slow to answer."
    )


class TestTicketPages(UIContract):
    list_url_name = "registry:ticket_list"
    detail_url_name = "registry:ticket_detail"

    def make_object(self, organization):
        return _ticket(organization)


class TestTicketAPI(APIContract):
    basename = "ticket"

    def make_object(self, organization):
        return _ticket(organization)

    def update_payload(self, ticket):
        return {"status": "triaged", "severity": "low"}


def test_ticket_list_filters(org, make_member, web_for):
    first = _ticket(org)
    second = _ticket(org)
    services.ticket_update(ticket=second, status="closed")
    web = web_for(make_member(Role.VIEWER))
    body = web.get(reverse("registry:ticket_list"), {"status": "closed"}).content.decode()
    assert f">#{second.pk}<" in body and f">#{first.pk}<" not in body
    assert web.get(reverse("registry:ticket_list"), {"status": "bogus"}).status_code == 200
