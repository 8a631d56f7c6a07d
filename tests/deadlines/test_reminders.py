"""The reminder sweep: thresholds, catch-up, idempotency (twice, concurrently, after a crash),
preferences, digests; and the deadline and notification pages and API through the tenancy suite."""

import datetime
import threading
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from kzai.core.roles import Role
from kzai.deadlines.models import DeadlineKind, Notification, NotificationKind
from kzai.deadlines.reminders import notifications_send, reminder_sweep, threshold_for
from tests.factories import AISystemFactory, MembershipFactory, UserFactory
from tests.tenancy import APIContract, UIContract

TODAY = datetime.date(2026, 3, 2)


def make_deadline(organization, *, due_on, responsible=None, title=None, kind=DeadlineKind.OBLIGATION):
    """A deadline row as an app's `deadline_sync` would write it (source: a system of the org)."""
    from kzai.deadlines.services import deadline_sync

    system = AISystemFactory(organization=organization)
    return deadline_sync(
        source=system,
        kind=kind,
        due_on=due_on,
        title=title or f"Obligation of {system.name}",
        responsible=responsible,
        system=system,
        url=f"/registry/{system.pk}/",
    )


def reminders():
    return Notification.objects.filter(kind=NotificationKind.REMINDER)


@pytest.mark.parametrize(
    "days_left,expected",
    [
        (45, None),
        (31, None),
        (30, "30d"),
        (12, "30d"),
        (8, "30d"),
        (7, "7d"),
        (2, "7d"),
        (1, "1d"),
        (0, "1d"),
        (-1, "overdue"),
        (-6, "overdue"),
        (-7, "overdue+1w"),
        (-13, "overdue+1w"),
        (-14, "overdue+2w"),
    ],
)
def test_thresholds_pick_the_most_urgent_one_reached(days_left, expected):
    assert threshold_for(TODAY + datetime.timedelta(days=days_left), TODAY, (30, 7, 1), 7) == expected


def test_sweep_sends_once_per_threshold_and_is_idempotent(org):
    member = MembershipFactory(organization=org, role=Role.CONTRIBUTOR)
    deadline = make_deadline(org, due_on=TODAY + datetime.timedelta(days=20), responsible=member)
    first = reminder_sweep(today=TODAY)
    assert first.reminders_created == 1 and first.emails_sent == 1
    assert mail.outbox[0].to == [member.user.email] and "Due on March 22, 2026" in mail.outbox[0].subject
    second = reminder_sweep(today=TODAY)
    assert second.reminders_created == 0 and second.emails_sent == 0
    # The next days stay quiet until the 7-day threshold is reached.
    reminder_sweep(today=TODAY + datetime.timedelta(days=5))
    assert list(reminders().values_list("threshold", flat=True)) == ["30d"]
    reminder_sweep(today=TODAY + datetime.timedelta(days=13))
    assert set(reminders().values_list("threshold", flat=True)) == {"30d", "7d"}
    assert reminders().get(threshold="7d").deadline == deadline


def test_a_missed_day_is_caught_up_with_only_the_most_urgent_reminder(org):
    member = MembershipFactory(organization=org)
    make_deadline(org, due_on=TODAY + datetime.timedelta(days=1), responsible=member)
    # The sweep never ran while the deadline crossed 30 and 7 days: one mail now, the 1-day one.
    reminder_sweep(today=TODAY)
    assert list(reminders().values_list("threshold", flat=True)) == ["1d"]
    assert len([m for m in mail.outbox if "Due on" in m.subject]) == 1


def test_overdue_then_weekly(org):
    member = MembershipFactory(organization=org)
    make_deadline(org, due_on=TODAY, responsible=member)
    for offset in range(0, 16):
        reminder_sweep(today=TODAY + datetime.timedelta(days=offset))
    assert list(reminders().order_by("id").values_list("threshold", flat=True)) == [
        "1d",
        "overdue",
        "overdue+1w",
        "overdue+2w",
    ]


def test_a_new_due_date_reopens_reminders(org):
    member = MembershipFactory(organization=org)
    deadline = make_deadline(org, due_on=TODAY + datetime.timedelta(days=5), responsible=member)
    reminder_sweep(today=TODAY)
    deadline.due_on = TODAY + datetime.timedelta(days=6)
    deadline.save()
    reminder_sweep(today=TODAY)
    assert reminders().count() == 2


def test_completed_deadlines_and_inactive_members_get_nothing(org):
    gone = MembershipFactory(organization=org, is_active=False)
    make_deadline(org, due_on=TODAY, responsible=gone)
    done = make_deadline(org, due_on=TODAY, responsible=MembershipFactory(organization=org))
    done.completed_at = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    done.save()
    reminder_sweep(today=TODAY)
    assert not reminders().exists()


def test_in_app_only_members_get_a_notification_but_no_email(org):
    member = MembershipFactory(organization=org, user=UserFactory(notify_by_email=False), role=Role.VIEWER)
    make_deadline(org, due_on=TODAY + datetime.timedelta(days=3), responsible=member)
    result = reminder_sweep(today=TODAY)
    notification = reminders().get()
    assert (notification.recipient, notification.send_email, notification.email_sent_at) == (
        member,
        False,
        None,
    )
    assert result.emails_sent == 0 and mail.outbox == []


def test_daily_digest_to_officers_and_admins_once_a_day(org, other_org):
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    admin = MembershipFactory(organization=org, role=Role.ADMIN, user=UserFactory(notify_by_email=False))
    MembershipFactory(organization=org, role=Role.CONTRIBUTOR)
    MembershipFactory(organization=other_org, role=Role.OFFICER)  # no deadlines there: no digest
    make_deadline(org, due_on=TODAY - datetime.timedelta(days=3), title="Annual risk review: Scoring")
    make_deadline(org, due_on=TODAY + datetime.timedelta(days=10), title="Document expiry: passport")
    make_deadline(org, due_on=TODAY + datetime.timedelta(days=90), title="Far away")
    reminder_sweep(today=TODAY)
    reminder_sweep(today=TODAY)
    digests = Notification.objects.filter(kind=NotificationKind.DIGEST)
    assert {d.recipient for d in digests} == {officer, admin}
    digest = digests.get(recipient=officer)
    assert "1 overdue, 1 due soon" in digest.subject
    assert "Annual risk review: Scoring" in digest.body and "Far away" not in digest.body
    assert [m.to for m in mail.outbox] == [[officer.user.email]]
    reminder_sweep(today=TODAY + datetime.timedelta(days=1))
    assert digests.filter(recipient=officer).count() == 2


def test_a_crashed_send_leaves_rows_unsent_and_the_next_run_sends_them_once(org):
    member = MembershipFactory(organization=org, role=Role.CONTRIBUTOR)
    make_deadline(org, due_on=TODAY + datetime.timedelta(days=2), responsible=member)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("SMTP down")
    ):
        with pytest.raises(OSError):
            reminder_sweep(today=TODAY)
    assert reminders().get().email_sent_at is None and mail.outbox == []
    result = reminder_sweep(today=TODAY)
    assert result.reminders_created == 0 and result.emails_sent == 1
    assert reminders().get().email_sent_at is not None
    assert notifications_send() == 0


def test_sweep_query_count_does_not_grow_with_deadlines(org, django_assert_max_num_queries):
    member = MembershipFactory(organization=org)
    for offset in range(40):
        make_deadline(org, due_on=TODAY + datetime.timedelta(days=offset % 20), responsible=member)
    with django_assert_max_num_queries(20):
        reminder_sweep(today=TODAY, send=False)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once():
    """Two workers at once (threads with their own connections). Real concurrency needs PostgreSQL:
    SQLite serialises writers, so there the test proves only the unique constraint."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent sweeps need PostgreSQL (SQLite serialises writers); run with DATABASE_URL")
    from tests.factories import OrganizationFactory

    org = OrganizationFactory()
    for index in range(60):
        member = MembershipFactory(organization=org, role=Role.CONTRIBUTOR)
        make_deadline(org, due_on=TODAY + datetime.timedelta(days=index % 10), responsible=member)
    MembershipFactory(organization=org, role=Role.OFFICER)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(reminder_sweep(today=TODAY, batch_size=7))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert reminders().count() == 60
    assert Notification.objects.filter(kind=NotificationKind.DIGEST).count() == 1
    assert sum(r.emails_sent for r in results) == 61
    assert len(mail.outbox) == 61
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 61


def test_setup_schedule_is_idempotent(db):
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedule")
    call_command("setup_schedule")
    schedule = {t.task: (t.crontab.minute, t.crontab.hour) for t in PeriodicTask.objects.filter(enabled=True)}
    assert schedule == {
        "deadlines.daily_sweep": ("0", "6"),
        "deadlines.send_notifications": ("*/10", "*"),
        "documents.expire_sweep": ("30", "5"),
        "audit.access_sweep": ("30", "0"),
    }


def test_daily_sweep_task_runs_eagerly(org):
    from kzai.deadlines.tasks import daily_sweep

    member = MembershipFactory(organization=org)
    make_deadline(org, due_on=datetime.date.today(), responsible=member)
    result = daily_sweep.delay().get()
    assert result["reminders_created"] == 1


# -- pages and API ----------------------------------------------------------------------------------
def test_notifications_page_lists_own_and_marks_read(org, web_for):
    member = MembershipFactory(organization=org, role=Role.CONTRIBUTOR)
    other = MembershipFactory(organization=org, role=Role.CONTRIBUTOR)
    make_deadline(org, due_on=TODAY, responsible=member, title="Mine")
    make_deadline(org, due_on=TODAY, responsible=other, title="Not mine")
    reminder_sweep(today=TODAY)
    web = web_for(member)
    page = web.get(reverse("deadlines:notification_list")).content.decode()
    assert "Mine" in page and "Not mine" not in page and "1 unread notification." in page
    notification = Notification.objects.get(recipient=member)
    assert web.post(reverse("deadlines:notification_read", args=[notification.pk])).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    foreign = Notification.objects.get(recipient=other)
    assert web.post(reverse("deadlines:notification_read", args=[foreign.pk])).status_code == 404
    make_deadline(org, due_on=TODAY + datetime.timedelta(days=2), responsible=member, title="Another")
    reminder_sweep(today=TODAY)
    assert web.post(reverse("deadlines:notification_read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def _notification_for(membership, subject="Due soon"):
    return Notification.objects.create(
        organization=membership.organization,
        recipient=membership,
        kind=NotificationKind.REMINDER,
        deadline=make_deadline(membership.organization, due_on=TODAY, responsible=membership),
        period_on=TODAY,
        threshold="1d",
        subject=subject,
        body="b",
    )


@pytest.mark.parametrize("role", Role.values)
def test_notification_api_shows_only_the_callers_own(role, org, other_org, make_member, api_for):
    member = make_member(role)
    mine = _notification_for(member)
    colleague = _notification_for(MembershipFactory(organization=org))
    foreign = _notification_for(MembershipFactory(organization=other_org))
    client = api_for(member)
    ids = {row["id"] for row in client.get(reverse("notification-list")).json()["results"]}
    assert ids == {mine.pk}
    assert client.get(reverse("notification-detail", args=[colleague.pk])).status_code == 404
    assert client.get(reverse("notification-detail", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("notification-read", args=[foreign.pk])).status_code == 404
    response = client.post(reverse("notification-read", args=[mine.pk]))
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.post(reverse("notification-readall")).json() == {"marked": 0}
    assert client.get(reverse("notification-list"), {"unread": "true"}).json()["count"] == 0


def test_notification_api_anonymous_and_query_count(org, make_member, api_for):
    from rest_framework.test import APIClient

    assert APIClient().get(reverse("notification-list")).status_code == 401
    member = make_member(Role.OFFICER)
    client = api_for(member)
    for _ in range(2):
        _notification_for(member)
    client.get(reverse("notification-list"))
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notification-list"))
    for _ in range(10):
        _notification_for(member)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notification-list"))
    assert len(few) == len(many)


class TestNotificationAPIContract(APIContract):
    """Registers the notification routes with the suite. A notification belongs to one member, so
    the generic "every role sees the object" test does not apply; the behaviour is tested above."""

    basename = "notification"

    def make_object(self, organization):
        return _notification_for(MembershipFactory(organization=organization))

    @pytest.mark.parametrize("role", Role.values)
    def test_role_permissions(self, role, org, make_member, api_for):
        member = make_member(role)
        other = self.make_object(org)
        client = api_for(member)
        assert client.get(self.list_url()).status_code == 200
        assert client.get(self.detail_url(other)).status_code == 404


class TestDeadlineAPI(APIContract):
    basename = "deadline"

    def make_object(self, organization):
        return make_deadline(organization, due_on=TODAY)


class TestDeadlinePage(UIContract):
    list_url_name = "deadlines:deadline_list"
    covered_url_names = (
        "deadlines:notification_list",
        "deadlines:notification_read",
        "deadlines:notification_read_all",
    )

    def make_object(self, organization):
        return make_deadline(organization, due_on=TODAY)


def test_deadline_page_filters_overdue(org, officer, web_for):
    make_deadline(org, due_on=datetime.date(2020, 1, 1), title="Ancient obligation")
    make_deadline(org, due_on=datetime.date(2099, 1, 1), title="Future obligation")
    page = web_for(officer).get(reverse("deadlines:deadline_list"), {"state": "overdue"}).content.decode()
    assert "Ancient obligation" in page and "Future obligation" not in page


def test_content_types_are_generic(org):
    deadline = make_deadline(org, due_on=TODAY)
    assert deadline.content_type == ContentType.objects.get(app_label="registry", model="aisystem")
