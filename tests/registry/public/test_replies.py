"""Answers to people who wrote in through a public form go through the notification outbox:
queued with the answer, sent only once it commits, in the person's language, and kept through a
mail server outage."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from kzai.core.roles import Role
from kzai.deadlines.models import Notification, NotificationKind
from kzai.deadlines.reminders import notifications_send
from registry.public import services
from tests.registry.public.helpers import published_page


class DownMailServer(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _ticket(org, language="kk"):
    with translation.override(language):
        return services.ticket_report(
            page=published_page(org),
            kind="harm",
            message="It exposed my data.",
            contact_email="reader@example.kz",
            language=language,
        )


def test_a_ticket_reply_is_queued_and_sent_through_the_outbox(
    org, make_member, api_for, django_capture_on_commit_callbacks
):
    ticket = _ticket(org, language="kk")
    client = api_for(make_member(Role.OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ticket-reply", args=[ticket.pk]), {"reply": "Түзеттік."}, format="json"
        )
    assert response.status_code == 200, response.content
    row = Notification.objects.get(kind=NotificationKind.REPLY)
    assert (row.email, row.recipient, row.body, row.organization) == (
        "reader@example.kz",
        None,
        "Түзеттік.",
        org,
    )
    assert row.email_sent_at is not None
    assert [(m.to, m.body) for m in mail.outbox] == [(["reader@example.kz"], "Түзеттік.")]
    # In the language the person wrote in, naming the system by its public title, not the register's.
    assert "Несие көмекшісі" in mail.outbox[0].subject
    assert ticket.system.name not in mail.outbox[0].subject


def test_an_objection_answer_goes_through_the_outbox(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    with translation.override("ru"):
        objection = services.objection_file(
            page=published_page(org),
            message="Не оценивайте меня.",
            contact_email="p@example.kz",
            language="ru",
        )
    web = web_for(make_member(Role.OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            reverse("registry:objection_detail", args=[objection.pk]), {"answer": "Остановили."}
        )
    assert response.status_code == 302
    row = Notification.objects.get(kind=NotificationKind.REPLY)
    assert row.email == "p@example.kz" and row.email_sent_at is not None
    assert [m.to for m in mail.outbox] == [["p@example.kz"]] and "Кредитный помощник" in mail.outbox[
        0
    ].subject


def test_a_rolled_back_answer_is_never_sent(org, make_member, django_capture_on_commit_callbacks):
    ticket = _ticket(org)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.ticket_reply(ticket=ticket, reply="Sent too early")
            raise RuntimeError("the request failed after the reply was recorded")
    assert not Notification.objects.filter(kind=NotificationKind.REPLY).exists()
    assert not mail.outbox


def test_an_outage_keeps_the_answer_in_the_outbox_until_the_server_is_back(org, settings):
    ticket = _ticket(org)
    services.ticket_reply(ticket=ticket, reply="We fixed it.")  # the on-commit send never runs here
    settings.EMAIL_BACKEND = "tests.registry.public.test_replies.DownMailServer"
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notifications_send()
    row = Notification.objects.get(kind=NotificationKind.REPLY)
    assert row.email_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_send() == 1
    row.refresh_from_db()
    assert row.email_sent_at is not None and [m.to for m in mail.outbox] == [["reader@example.kz"]]
    assert notifications_send() == 0  # sent once


def test_answers_to_the_public_never_appear_in_a_members_inbox(org, make_member, web_for):
    officer = make_member(Role.OFFICER)
    services.ticket_reply(ticket=_ticket(org), reply="Done.")
    assert not Notification.objects.for_recipient(officer).exists()
