"""Notifications and tasks stay inside the deadline's organization.

A reminder or digest is only ever e-mailed to an active member of the organization it belongs to:
a member who left, a deactivated user, a member who turned e-mails off or an organization switched
off between recording and sending get nothing; a deadline can never name a member or system of
another organization; a task enqueued for one organization's system writes nothing elsewhere.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from kzai.accounts.services import membership_deactivate
from kzai.core.roles import Role
from kzai.deadlines.models import Deadline, DeadlineKind, Notification
from kzai.deadlines.reminders import notifications_send, reminder_sweep
from kzai.deadlines.services import deadline_sync
from tests.deadlines.test_reminders import make_deadline
from tests.factories import AISystemFactory, MembershipFactory

TODAY = datetime.date(2026, 3, 2)


def _recorded(org, member):
    """A reminder recorded for `member` and still unsent (the sweep ran, the mail server was down)."""
    make_deadline(org, due_on=TODAY + datetime.timedelta(days=3), responsible=member)
    reminder_sweep(today=TODAY, send=False)
    unsent = Notification.objects.filter(recipient=member, email_sent_at__isnull=True, send_email=True)
    assert unsent.exists()
    return unsent


def _mailed_to(email):
    return [m for m in mail.outbox if email in m.to]


@pytest.mark.parametrize(
    "leave",
    [
        pytest.param(lambda m: membership_deactivate(membership=m), id="member-left"),
        pytest.param(
            lambda m: type(m.user).objects.filter(pk=m.user_id).update(is_active=False), id="user-off"
        ),
        pytest.param(
            lambda m: type(m.user).objects.filter(pk=m.user_id).update(notify_by_email=False), id="mails-off"
        ),
        pytest.param(
            lambda m: type(m.organization).objects.filter(pk=m.organization_id).update(is_active=False),
            id="org-off",
        ),
    ],
)
def test_nothing_is_mailed_to_someone_who_left_after_it_was_recorded(org, make_member, leave):
    make_member(Role.ADMIN)  # the organization keeps an administrator
    member = make_member(Role.OFFICER)
    _recorded(org, member)
    leave(member)
    mail.outbox.clear()
    notifications_send()
    assert _mailed_to(member.user.email) == []


def test_still_active_members_are_mailed(org, make_member):
    member = make_member(Role.OFFICER)
    _recorded(org, member)
    mail.outbox.clear()
    notifications_send()
    assert _mailed_to(member.user.email)


def test_a_deadline_cannot_name_another_organizations_member_or_system(org, other_org):
    system = AISystemFactory(organization=org)
    foreign_member = MembershipFactory(organization=other_org, role=Role.OFFICER)
    with pytest.raises(ValidationError) as caught:
        deadline_sync(
            source=system,
            kind=DeadlineKind.OTHER,
            due_on=TODAY,
            title="x",
            responsible=foreign_member,
            system=system,
        )
    assert "responsible" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        deadline_sync(
            source=system,
            kind=DeadlineKind.OTHER,
            due_on=TODAY,
            title="x",
            system=AISystemFactory(organization=other_org),
        )
    assert "system" in caught.value.message_dict
    assert not Deadline.objects.exists()


def test_the_sweep_never_reminds_a_member_of_another_organization(org, other_org, make_member):
    foreign_member = MembershipFactory(organization=other_org, role=Role.OFFICER)
    deadline = make_deadline(org, due_on=TODAY + datetime.timedelta(days=3))
    # A row written before the model check existed (or by raw SQL): the sweep still refuses it.
    Deadline.objects.filter(pk=deadline.pk).update(responsible=foreign_member)
    reminder_sweep(today=TODAY)
    assert not Notification.objects.filter(recipient=foreign_member).exists()
    assert _mailed_to(foreign_member.user.email) == []


def test_review_schedule_sync_writes_only_into_its_systems_organization(org, other_org):
    from risk.models import Review, ReviewSchedule
    from risk.risk_management.services import review_schedule_sync
    from tests.factories import system_in_operation

    mine = system_in_operation(org)
    theirs = system_in_operation(other_org)
    before = {
        model: set(model.objects.filter(organization=other_org).values_list("pk", flat=True))
        for model in (ReviewSchedule, Review, Deadline)
    }
    review_schedule_sync(system=mine)
    for model, pks in before.items():
        assert set(model.objects.filter(organization=other_org).values_list("pk", flat=True)) == pks
    assert all(d.organization_id == org.pk for d in Deadline.objects.filter(system=mine))
    assert theirs.pk not in Deadline.objects.filter(organization=org).values_list("system_id", flat=True)
