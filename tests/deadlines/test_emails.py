"""Reminder and digest e-mails: HTML with a text part, naming the portal, the item and its AI
system, linking to the item's page on the configured site address, written in the recipient's
language (their own choice, else their organization's); and an e-mail status that tells the truth
(queued only while queued, sent, failed with the server's reason)."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import translation

from kzai.core.roles import Role
from kzai.deadlines.models import Notification, NotificationKind
from kzai.deadlines.reminders import notifications_send, reminder_sweep
from tests.deadlines.test_reminders import TODAY, make_deadline
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SITE = "https://compliance.alpha.kz"
DUE = TODAY + datetime.timedelta(days=20)


class FlakyBackend(EmailBackend):
    """The locmem mailbox, refusing what `FlakyBackend.refuse` says: an address for good, or
    everything because the server is unreachable."""

    refuse: dict = {}

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] in self.refuse.get("addresses", ()):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 Mailbox does not exist")})
            if self.refuse.get("unreachable"):
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.deadlines.test_emails.FlakyBackend"
    FlakyBackend.refuse = {}
    yield FlakyBackend
    FlakyBackend.refuse = {}


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE + "/"


def _member(org, **user):
    return MembershipFactory(
        organization=org, role=Role.CONTRIBUTOR, **{f"user__{k}": v for k, v in user.items()}
    )


def _sweep_for(org, member, title="Annual risk review: Retail credit scoring"):
    deadline = make_deadline(org, due_on=DUE, responsible=member, title=title)
    reminder_sweep(today=TODAY)
    return deadline


def test_reminder_is_html_with_a_text_part_naming_item_system_and_link(org, site):
    member = _member(org)
    deadline = _sweep_for(org, member, title="Measure: Quarterly bias testing")
    message = mail.outbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and message.content_subtype == "plain"
    link = SITE + deadline.url
    for part in (message.body, html):
        assert "kzai" in part and org.name in part
        assert "Quarterly bias testing" in part and deadline.system.name in part
        assert link in part
    assert f'href="{link}"' in html
    assert "Measure: Quarterly bias testing" in message.subject and "March 22, 2026" in message.subject
    assert "2026-03-22" not in message.subject + message.body + html  # no ISO dates for people


def test_digest_links_to_the_deadline_list_on_the_site(org, site):
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    _sweep_for(org, _member(org))
    digest = next(m for m in mail.outbox if m.to == [officer.user.email])
    assert SITE + reverse("deadlines:deadline_list") in digest.body
    assert SITE + reverse("deadlines:deadline_list") in digest.alternatives[0][0]


def test_written_in_the_language_the_member_chose_in_their_profile(org, web_for):
    member = _member(org)
    response = web_for(member).post(
        reverse("profile"), {"full_name": "Aigerim", "notify_by_email": "on", "language": "kk"}
    )
    assert response.status_code == 302
    _sweep_for(org, member)
    message = mail.outbox[0]
    assert "Мерзімі" in message.subject or "мерзімі" in message.subject, message.subject
    assert 'lang="kk"' in message.alternatives[0][0]
    assert "is due on" not in message.body
    # The inbox shows the same words the e-mail did.
    with translation.override("en"):
        page = web_for(member).get(reverse("deadlines:notification_list")).content.decode()
    assert message.subject in page


def test_else_in_the_organizations_language_set_by_an_administrator(org, make_member, web_for):
    admin = make_member(Role.ADMIN)
    member = _member(org)
    response = web_for(admin).post(reverse("organization_language"), {"language": "ru"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.language == "ru"
    _sweep_for(org, member)
    message = next(m for m in mail.outbox if m.to == [member.user.email])
    assert "Срок" in message.subject and "22 марта 2026" in message.subject
    assert 'lang="ru"' in message.alternatives[0][0] and "Открыть в портале" in message.alternatives[0][0]


def test_else_in_the_portals_default_language(org):
    member = _member(org)
    _sweep_for(org, member)
    assert mail.outbox[0].subject.startswith("Due on")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CONTRIBUTOR, Role.VIEWER, Role.AUDITOR])
def test_only_administrators_set_the_organizations_language(org, other_org, make_member, web_for, role):
    response = web_for(make_member(role)).post(reverse("organization_language"), {"language": "kk"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.language == ""


def test_organization_language_is_refused_when_unknown_and_never_reaches_another_org(
    org, other_org, make_member, web_for
):
    web = web_for(make_member(Role.ADMIN))
    web.post(reverse("organization_language"), {"language": "xx"}, follow=True)
    web.post(reverse("organization_language"), {"language": "kk"})
    org.refresh_from_db()
    other_org.refresh_from_db()
    assert org.language == "kk" and other_org.language == ""


# -- the e-mail status ------------------------------------------------------------------------------
def _status(web):
    with translation.override("en"):
        page = web.get(reverse("deadlines:notification_list")).content.decode()
    return page


def test_status_is_queued_only_while_queued_then_sent(org, web_for):
    member = _member(org)
    make_deadline(org, due_on=DUE, responsible=member, title="Obligation X")
    reminder_sweep(today=TODAY, send=False)
    web = web_for(member)
    assert "Queued" in _status(web)
    notifications_send()
    page = _status(web)
    assert "Sent" in page and "Queued" not in page


def test_refused_address_fails_with_the_reason_and_leaves_the_outbox(org, web_for, flaky):
    member = _member(org)
    flaky.refuse = {"addresses": [member.user.email]}
    _sweep_for(org, member)
    row = Notification.objects.get(recipient=member, kind=NotificationKind.REMINDER)
    assert row.email_failed_at and row.email_sent_at is None
    page = _status(web_for(member))
    assert "Failed" in page and "550 5.1.1 Mailbox does not exist" in page and "Queued" not in page
    flaky.refuse = {}
    notifications_send()  # a final refusal is not tried again
    assert mail.outbox == []


def test_unreachable_server_keeps_the_row_queued_with_the_reason_then_sends(org, web_for, flaky):
    member = _member(org)
    make_deadline(org, due_on=DUE, responsible=member, title="Obligation X")
    reminder_sweep(today=TODAY, send=False)
    flaky.refuse = {"unreachable": True}
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notifications_send()
    web = web_for(member)
    page = _status(web)
    assert "trying again" in page and "Connection unexpectedly closed" in page
    flaky.refuse = {}
    assert notifications_send() == 1
    page = _status(web)
    assert "Sent" in page and "trying again" not in page


def test_turned_off_e_mails_say_so_instead_of_queued(org, web_for):
    member = _member(org)
    make_deadline(org, due_on=DUE, responsible=member, title="Obligation X")
    reminder_sweep(today=TODAY, send=False)
    web = web_for(member)
    web.post(reverse("profile"), {"full_name": "", "language": ""})  # e-mails off
    notifications_send()
    page = _status(web)
    assert "e-mails are turned off" in page and "Queued" not in page


def test_notification_times_are_local_words_not_iso(org, web_for):
    member = _member(org)
    _sweep_for(org, member)
    with translation.override("ru"):
        page = web_for(member).get(reverse("deadlines:notification_list"), HTTP_ACCEPT_LANGUAGE="ru")
    html = page.content.decode()
    assert "Отправлено" in html
    import re

    assert not re.search(r"\d{4}-\d{2}-\d{2}", html.split("<main", 1)[1])


class CountingBackend(EmailBackend):
    """The locmem mailbox, counting the connections a real server would see."""

    connections = 0

    def open(self):
        if getattr(self, "is_open", False):
            return False
        self.is_open = True
        CountingBackend.connections += 1
        return True

    def close(self):
        self.is_open = False


def test_one_connection_for_the_whole_outbox(org, settings):
    settings.EMAIL_BACKEND = "tests.deadlines.test_emails.CountingBackend"
    CountingBackend.connections = 0
    for _ in range(3):
        make_deadline(org, due_on=DUE, responsible=_member(org), title="Obligation X")
    reminder_sweep(today=TODAY, send=False)
    assert notifications_send() == 3 and len(mail.outbox) == 3
    assert CountingBackend.connections == 1
