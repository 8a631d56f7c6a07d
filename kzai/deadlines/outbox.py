"""Putting an e-mail to a person who is not a member into the notification outbox.

Members' reminders and digests are recorded by the sweep; this is for everything else that must
reach an address: invitations, and answers to people who wrote in through a public form (a user
report, an objection to automated processing). The row commits with the caller's transaction and
the `deadlines.send_notifications` task sends it once that has committed: if the mail server is
down the task retries with backoff and the beat-scheduled flush picks up whatever is left, so an
outage loses nothing — and a rolled-back answer is never sent.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kzai.deadlines.models import Notification, NotificationKind
from kzai.deadlines.tasks import send_notifications_task


def _address_email_enqueue(
    *, organization, email: str, kind: str, threshold: str, subject: str, body: str, url: str = ""
) -> Notification:
    notification = Notification(
        organization=organization,
        recipient=None,
        email=email,
        kind=kind,
        period_on=timezone.localdate(),
        threshold=threshold,
        subject=subject[:300],
        body=body,
        url=url,
        send_email=True,
    )
    notification.full_clean()
    notification.save()
    # robust: a broker or (in-process) mail server that is down is logged, not raised into the
    # request that already committed; the row stays in the outbox for the scheduled flush.
    transaction.on_commit(send_notifications_task.delay, robust=True)
    return notification


def invitation_email_enqueue(*, organization, email: str, subject: str, body: str, link: str) -> Notification:
    """Queue one invitation e-mail; `link` (which holds the one-time token) is appended when sent."""
    return _address_email_enqueue(
        organization=organization,
        email=email,
        kind=NotificationKind.INVITATION,
        threshold="invitation",
        subject=subject,
        body=body,
        url=link,
    )


def reply_email_enqueue(*, organization, email: str, subject: str, body: str) -> Notification:
    """Queue the answer to a person who wrote to the organization (not a member, no link)."""
    return _address_email_enqueue(
        organization=organization,
        email=email,
        kind=NotificationKind.REPLY,
        threshold="reply",
        subject=subject,
        body=body,
    )
