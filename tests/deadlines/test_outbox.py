"""The notification outbox: invitations go through it, and e-mail sending survives a mail server
outage — retried with exponential backoff, then flushed by the beat schedule, delivered once."""

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from kzai.accounts.models import Membership
from kzai.core.roles import Role
from kzai.deadlines.models import Notification, NotificationKind
from kzai.deadlines.tasks import daily_sweep, send_notifications_task
from tests.deadlines.test_reminders import make_deadline
from tests.factories import TEST_PASSWORD, MembershipFactory


class FlakyBackend(EmailBackend):
    """The test mailbox behind a mail server that fails the next `failures` sends."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.deadlines.test_outbox.FlakyBackend"
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.fixture
def retries(monkeypatch):
    """The countdowns Celery asks for, one per retry of either mail-sending task.

    In-process tasks only retry (at once, ignoring the countdown) when failures are not
    propagated to the caller, as they are elsewhere in the suite; a worker always retries.
    """
    from kzai.celery import app

    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    asked = []
    for task in (send_notifications_task, daily_sweep):
        original = task.retry

        def spy(*args, _original=original, **kwargs):
            asked.append(kwargs.get("countdown"))
            return _original(*args, **kwargs)

        monkeypatch.setattr(task, "retry", spy)
    yield asked
    app.conf.task_eager_propagates = propagates


def _invite(web, email="new.person@example.kz", role="contributor"):
    return web.post("/settings/members/", {"email": email, "role": role})


def _link(message):
    return re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)


def test_invitation_goes_through_the_outbox_and_is_delivered_once(
    org, make_member, web_for, client, django_capture_on_commit_callbacks
):
    admin = make_member(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(web_for(admin)).status_code == 302

    row = Notification.objects.get(kind=NotificationKind.INVITATION)
    assert row.email == "new.person@example.kz" and row.recipient is None and row.organization == org
    assert row.email_sent_at is not None and row.url == ""  # the one-time link is not kept once sent
    assert [m.to for m in mail.outbox] == [["new.person@example.kz"]]
    assert "You are invited to Alpha Bank" in mail.outbox[0].subject
    assert "Accept the invitation within 14 days" in mail.outbox[0].body

    # The scheduled flush finds nothing more to send; the invitee never sees it in an inbox.
    assert send_notifications_task.delay().get() == 0
    assert len(mail.outbox) == 1
    assert not Notification.objects.for_recipient(admin).exists()

    path = "/" + _link(mail.outbox[0]).split("/", 3)[3]
    form = {
        "full_name": "New Person",
        "password1": TEST_PASSWORD + "-x42",
        "password2": TEST_PASSWORD + "-x42",
    }
    assert client.post(path, form).status_code == 302
    assert Membership.objects.get(user__email="new.person@example.kz").role == Role.CONTRIBUTOR


def test_smtp_failure_is_retried_with_exponential_backoff(
    org, make_member, web_for, flaky_mail, retries, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 3
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(web_for(make_member(Role.ADMIN))).status_code == 302

    assert retries == [60, 120, 240]  # one, two, four minutes (eager tasks run them at once)
    assert [m.to for m in mail.outbox] == [["new.person@example.kz"]]
    assert Notification.objects.get(kind=NotificationKind.INVITATION).email_sent_at is not None


def test_a_long_outage_loses_nothing_and_the_scheduled_flush_delivers(
    org, make_member, web_for, flaky_mail, retries, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 100  # longer than every retry
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(web_for(make_member(Role.ADMIN)))
    assert response.status_code == 302  # the page is not an error: the invitation is recorded
    # 8 retries, one to four minutes apart at first, then an hour; the ninth is refused.
    assert retries == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    assert send_notifications_task.max_retries == 8
    assert 0 < send_notifications_task.soft_time_limit < send_notifications_task.time_limit
    row = Notification.objects.get(kind=NotificationKind.INVITATION)
    assert row.email_sent_at is None and "/invitations/" in row.url and mail.outbox == []

    flaky_mail.failures = 0  # the mail server is back; beat runs the flush
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedule")
    flush = PeriodicTask.objects.get(name="kzai outbox flush")
    assert send_notifications_task.name == flush.task
    assert send_notifications_task.delay().get() == 1
    assert send_notifications_task.delay().get() == 0
    assert [m.to for m in mail.outbox] == [["new.person@example.kz"]]


def test_daily_sweep_retries_when_the_mail_server_fails(org, flaky_mail, retries):
    member = MembershipFactory(organization=org, role=Role.CONTRIBUTOR)
    make_deadline(org, due_on=datetime.date.today(), responsible=member)
    flaky_mail.failures = 1

    daily_sweep.delay().get()

    assert retries == [60]
    reminder = Notification.objects.get(kind=NotificationKind.REMINDER)
    assert reminder.email_sent_at is not None
    assert [m.to for m in mail.outbox] == [[member.user.email]]
