"""Objections to automated processing: the public form, the 3-working-day clock, reminders, the answer."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from kzai.core.roles import Role
from kzai.deadlines.models import Deadline, Notification
from kzai.deadlines.reminders import reminder_sweep
from registry.public import services
from registry.public.models import Objection, ObjectionStatus
from tests.factories import MembershipFactory
from tests.registry.public.helpers import fresh_client, published_page
from tests.tenancy import APIContract, UIContract

ALMATY = datetime.timezone(datetime.timedelta(hours=5))


def Client(**kwargs):  # noqa: N802 - a test client from an address of its own
    """A test client with a fresh address: the rate limit counts per address in a cache that
    parallel test workers may share (Redis in CI), so no two tests count against one address."""
    return fresh_client(**kwargs)


def _url(page):
    return reverse("public:objection", args=[page.organization.slug, page.public_slug])


def _form(client, url, **overrides):
    body = client.get(url).content.decode()
    data = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1),
        "token": re.search(r'name="token" value="([^"]+)"', body).group(1),
        "message": "I object to the automated refusal of my loan on 3 December.",
        "contact_email": "person@example.kz",
        "website": "",
    }
    data.update(overrides)
    return data


def _later():
    return mock.patch("time.time", return_value=datetime.datetime.now().timestamp() + 10)


def test_an_objection_filed_on_the_public_page_gets_a_clock(org):
    page = published_page(org)
    client = Client(enforce_csrf_checks=True)
    data = _form(client, _url(page))
    with _later():
        response = client.post(_url(page), data)
    assert 'data-testid="objection-received"' in response.content.decode()
    objection = Objection.objects.get()
    assert objection.status == ObjectionStatus.OPEN and objection.contact_email == "person@example.kz"
    assert Deadline.objects.get(object_id=str(objection.pk)).due_on == objection.due_on


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"contact_email": ""}, "contact_email"),
        ({"message": "y" * 5001}, "message"),
        ({"website": "x"}, "website"),
        ({"token": "nope"}, "token"),
    ],
)
def test_bad_objections_are_form_errors(org, overrides, field):
    page = published_page(org)
    client = Client()
    data = _form(client, _url(page), **overrides)
    with _later():
        response = client.post(_url(page), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Objection.objects.exists()


def test_the_answer_clock_skips_independence_day_and_reminds_before_it_runs_out(org):
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    page = published_page(org)
    from registry import services as register_services

    register_services.ai_system_update(system=page.system, responsible_officer=officer)
    # Monday 14 December 2026: Tue 15 counts, Wed 16 (Independence Day) does not, Thu 17 and
    # Fri 18 do; without the holiday the answer would be due on Thursday 17 December.
    moment = datetime.datetime(2026, 12, 14, 16, 30, tzinfo=ALMATY)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        objection = services.objection_file(
            page=page, message="Stop scoring me.", contact_email="p@example.kz"
        )
    assert objection.due_on == datetime.date(2026, 12, 18)
    reminder_sweep(today=datetime.date(2026, 12, 17), send=False)
    assert Notification.objects.filter(recipient=officer).exists()


def test_the_answer_is_sent_recorded_and_stops_the_clock(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    page = published_page(org)
    objection = services.objection_file(page=page, message="Stop scoring me.", contact_email="p@example.kz")
    officer = make_member(Role.OFFICER)
    web = web_for(officer)
    url = reverse("registry:objection_detail", args=[objection.pk])
    assert web.post(url, {"answer": ""}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert web.post(url, {"answer": "We stopped; a person reviewed your file."}).status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ANSWERED and objection.answered_by == officer
    assert [m.to for m in mail.outbox] == [["p@example.kz"]]
    assert Deadline.objects.get(object_id=str(objection.pk)).completed_at is not None
    client = web_for(officer)
    assert client.post(url, {"answer": "again"}).status_code == 200  # already answered: a form error
    assert len(mail.outbox) == 1


def _objection(organization):
    return services.objection_file(
        page=published_page(organization), message="Stop scoring me.", contact_email="p@example.kz"
    )


class TestObjectionPages(UIContract):
    list_url_name = "registry:objection_list"
    detail_url_name = "registry:objection_detail"

    def make_object(self, organization):
        return _objection(organization)


class TestObjectionAPI(APIContract):
    basename = "objection"

    def make_object(self, organization):
        return _objection(organization)


def test_viewers_cannot_answer_through_the_api(org, make_member, api_for):
    objection = _objection(org)
    url = reverse("objection-answer", args=[objection.pk])
    assert api_for(make_member(Role.VIEWER)).post(url, {"answer": "x"}, format="json").status_code == 403
    assert api_for(make_member(Role.OFFICER)).post(url, {"answer": ""}, format="json").status_code == 400
