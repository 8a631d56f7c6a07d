"""The daily reminder sweep: who must hear about which deadline today, recorded once, sent once.

Thresholds are "due within N days and not yet sent for that threshold", never "due exactly N days
from today": a day the sweep did not run is caught up by the next run. When several thresholds are
pending at once (the sweep was down for a week), only the most urgent one is sent — one mail, not
three. After the due date an "overdue" reminder goes out, then one every `repeat` days.

The sweep is set-based: deadlines are read in keyset-paginated batches of plain tuples, the owed
notifications are inserted with `bulk_create(ignore_conflicts=True)` against the unique constraints
of `Notification` (see its docstring for the idempotency argument), and e-mails are sent from the
outbox in locked batches. Queries grow with batches, never with deadlines.
"""

from __future__ import annotations

import contextlib
import datetime
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kzai.accounts.models import Membership
from kzai.core.roles import Role
from kzai.deadlines.models import ADDRESS_KINDS, Deadline, DeadlineKind, Notification, NotificationKind

DIGEST_ROLES = (Role.ADMIN, Role.OFFICER)
DIGEST_ITEMS = 15


def reminder_days() -> tuple[int, ...]:
    """Days before the due date at which reminders go out (setting KZAI_REMINDER_DAYS)."""
    return tuple(sorted(set(getattr(settings, "KZAI_REMINDER_DAYS", (30, 7, 1))), reverse=True))


def overdue_repeat_days() -> int:
    return int(getattr(settings, "KZAI_REMINDER_OVERDUE_REPEAT_DAYS", 7))


def sweep_today() -> datetime.date:
    """Today in the reminders' time zone (Asia/Almaty unless configured otherwise)."""
    zone = ZoneInfo(getattr(settings, "KZAI_REMINDER_TIME_ZONE", "Asia/Almaty"))
    return timezone.now().astimezone(zone).date()


def threshold_for(due_on: datetime.date, today: datetime.date, days=None, repeat=None) -> str | None:
    """The most urgent threshold a deadline has reached today, or None when none has been reached."""
    days = reminder_days() if days is None else days
    repeat = overdue_repeat_days() if repeat is None else repeat
    left = (due_on - today).days
    if left < 0:
        weeks = (-left) // repeat
        return "overdue" if weeks == 0 else f"overdue+{weeks}w"
    reached = [d for d in days if left <= d]
    return f"{min(reached)}d" if reached else None


@dataclass
class SweepResult:
    deadlines_seen: int = 0
    reminders_created: int = 0
    digests_created: int = 0
    emails_sent: int = 0


def _site_link(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def email_language(user_language: str = "", organization_language: str = "") -> str:
    """The language a person is written to in: their own choice, else their organization's, else
    the portal's default."""
    return user_language or organization_language or settings.LANGUAGE_CODE


def _day(value: datetime.date) -> str:
    """A date as the reader's language writes it ("1 June 2026", "1 июня 2026 г.")."""
    return date_format(value, "DATE_FORMAT")


def _reminder_text(
    title: str, due_on: datetime.date, threshold: str, today: datetime.date, system: str = ""
) -> tuple[str, str]:
    """Subject and text of a reminder, in the active language; they name the item and its system."""
    left = (due_on - today).days
    values = {"title": title, "date": _day(due_on), "days": abs(left)}
    if left < 0:
        subject = _("Overdue since %(date)s: %(title)s") % values
        body = ngettext(
            "The deadline “%(title)s” was due on %(date)s, %(days)d day ago.",
            "The deadline “%(title)s” was due on %(date)s, %(days)d days ago.",
            -left,
        )
    else:
        subject = _("Due on %(date)s: %(title)s") % values
        body = ngettext(
            "The deadline “%(title)s” is due on %(date)s, in %(days)d day.",
            "The deadline “%(title)s” is due on %(date)s, in %(days)d days.",
            left,
        )
    body = body % values
    if system and system not in title:
        body += " " + _("AI system: %(system)s.") % {"system": system}
    return subject[:300], body


def reminder_sweep(
    *, today: datetime.date | None = None, batch_size: int = 5000, send: bool = True
) -> SweepResult:
    """Record every reminder and digest owed today, then send the unsent e-mails.

    Safe to run twice, concurrently on two workers, or after a crash: see `Notification`.
    """
    started = timezone.now()
    today = today or sweep_today()
    days = reminder_days()
    repeat = overdue_repeat_days()
    horizon = today + datetime.timedelta(days=max(days) if days else 0)
    result = SweepResult()
    digest_items: dict[int, list[tuple]] = defaultdict(list)
    digest_counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # org → [overdue, due soon]
    kind_labels = dict(DeadlineKind.choices)
    open_deadlines = Deadline.objects.filter(
        completed_at__isnull=True,
        withdrawn_at__isnull=True,
        due_on__lte=horizon,
        organization__is_active=True,
    ).order_by("id")
    columns = (
        "id",
        "organization_id",
        "due_on",
        "title",
        "url",
        "kind",
        "responsible_id",
        "responsible__is_active",
        "responsible__user__is_active",
        "responsible__user__notify_by_email",
        "responsible__organization_id",
        "responsible__user__language",
        "organization__language",
        "system__name",
    )
    last_id = 0
    while True:
        rows = list(open_deadlines.filter(id__gt=last_id).values_list(*columns)[:batch_size])
        if not rows:
            break
        last_id = rows[-1][0]
        result.deadlines_seen += len(rows)
        owed = []
        for row in rows:
            deadline_id, org_id, due_on, title, url, kind = row[:6]
            member_id, m_active, u_active, by_email, m_org, user_language, org_language, system = row[6:]
            counts = digest_counts[org_id]
            counts[0 if due_on < today else 1] += 1
            items = digest_items[org_id]
            if len(items) < DIGEST_ITEMS or due_on < items[-1][0]:
                items.append((due_on, title, url, kind))
                items.sort(key=lambda item: item[0])
                del items[DIGEST_ITEMS:]
            if member_id is None or not (m_active and u_active) or m_org != org_id:
                continue
            threshold = threshold_for(due_on, today, days, repeat)
            if threshold is None:
                continue
            # Written in the recipient's language: the e-mail and their inbox read the same.
            with translation.override(email_language(user_language, org_language)):
                subject, body = _reminder_text(title, due_on, threshold, today, system or "")
                body = f"{kind_labels.get(kind, kind)}. {body}"
            owed.append(
                Notification(
                    organization_id=org_id,
                    recipient_id=member_id,
                    kind=NotificationKind.REMINDER,
                    deadline_id=deadline_id,
                    period_on=due_on,
                    threshold=threshold,
                    subject=subject,
                    body=body,
                    url=url,
                    send_email=bool(by_email),
                )
            )
        _insert(owed)
    _insert(_digests(today, digest_counts, digest_items, kind_labels))
    # What this run added (approximate under concurrency: another worker's rows count too). One
    # indexed query, not a count of the whole, ever-growing table.
    created = dict(
        Notification.objects.filter(created_at__gte=started)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    result.reminders_created = created.get(NotificationKind.REMINDER, 0)
    result.digests_created = created.get(NotificationKind.DIGEST, 0)
    if send:
        result.emails_sent = notifications_send()
    return result


def _insert(notifications: list[Notification]) -> None:
    """Insert, silently skipping rows the unique constraints say exist (another run made them)."""
    if notifications:
        Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=2000)


def _digests(today, counts, items, kind_labels) -> list[Notification]:
    """One digest per officer and administrator of every organization with open deadlines in sight."""
    if not counts:
        return []
    recipients = (
        Membership.objects.active().filter(organization_id__in=list(counts), role__in=DIGEST_ROLES)
    ).values_list(
        "id", "organization_id", "user__notify_by_email", "user__language", "organization__language"
    )
    digests = []
    for member_id, org_id, by_email, user_language, org_language in recipients.iterator(chunk_size=5000):
        overdue, soon = counts[org_id]
        with translation.override(email_language(user_language, org_language)):
            lines = [
                f"- {_day(due_on)} · {kind_labels.get(kind, kind)} · {title} {_site_link(url)}".rstrip()
                for due_on, title, url, kind in items[org_id]
            ]
            subject = _("Daily digest %(date)s: %(overdue)d overdue, %(soon)d due soon") % {
                "date": _day(today),
                "overdue": overdue,
                "soon": soon,
            }
            body = "\n".join([_("The most urgent open deadlines of your organization:"), *lines])
        digests.append(
            Notification(
                organization_id=org_id,
                recipient_id=member_id,
                kind=NotificationKind.DIGEST,
                period_on=today,
                threshold="digest",
                subject=subject[:300],
                body=body,
                url=reverse("deadlines:deadline_list"),
                send_email=bool(by_email),
            )
        )
    return digests


# Checked again when sending, not only when the notification was recorded: a member who left, was
# deactivated or turned e-mails off since (or an organization switched off) gets nothing. Their
# rows stay in the outbox unsent, visible in-app only should they come back.
DELIVERABLE = Q(
    recipient__is_active=True,
    recipient__user__is_active=True,
    recipient__user__notify_by_email=True,
    recipient__organization__is_active=True,
    recipient__organization_id=F("organization_id"),
) | Q(recipient__isnull=True, kind__in=ADDRESS_KINDS, organization__is_active=True)


# A refusal that will not change by trying again: the address or the message itself was refused.
# Anything else (no connection, a timeout, a 4xx "try later") leaves the row in the outbox.
def _is_final(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for code, message in error.recipients.values()
        ]
        return ("; ".join(codes) or str(error))[:300]
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{error.smtp_code} {text}"[:300]
    return (str(error) or type(error).__name__)[:300]


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail of one notification: a text part and an HTML part, in the recipient's language
    (their choice, else their organization's), naming the portal, the item and its AI system, with
    the link to its page on the configured site address (SITE_URL).

    An answer to a member of the public (a report or an objection) is the organization's own words
    to someone who has no account: sent as written, without the portal's name, links or footer."""
    recipient = notification.recipient
    if notification.kind == NotificationKind.REPLY:
        return EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.email],
        )
    language = email_language(
        recipient.user.language if recipient else "", notification.organization.language
    )
    deadline = notification.deadline
    with translation.override(language):
        context = {
            "notification": notification,
            "site_name": "kzai",
            "site_url": settings.SITE_URL.rstrip("/"),
            "organization": notification.organization.name,
            "link": _site_link(notification.url) if notification.url else "",
            "kind": deadline.get_kind_display() if deadline else notification.get_kind_display(),
            "system": deadline.system.name if deadline and deadline.system_id else "",
            "item": deadline.title if deadline else "",
            "due_on": deadline.due_on if deadline else None,
            "inbox": _site_link(reverse("deadlines:notification_list")) if recipient else "",
            "language": language,
        }
        text = render_to_string("deadlines/email/notification.txt", context)
        html = render_to_string("deadlines/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.user.email if recipient else notification.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def notifications_send(*, batch_size: int = 500) -> int:
    """Send the outbox: unsent e-mail notifications, each taken by exactly one worker.

    Rows are locked with SKIP LOCKED (another worker takes the next batch instead of waiting) and
    each is stamped in the same transaction as its send, so a crash before commit leaves them
    unsent. A message the server refuses for good (the address, the content) is stamped failed with
    the server's reason and leaves the outbox; when the server cannot be reached the reason is
    kept on the row, what was sent stays stamped, and the error is raised (the task retries).
    An invitation's link (its one-time token) is cleared from the row once sent.
    """
    sent = 0
    connection = get_connection()
    try:
        while True:
            unreachable = None
            with transaction.atomic():
                batch = list(
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(send_email=True, email_sent_at__isnull=True, email_failed_at__isnull=True)
                    .filter(DELIVERABLE)
                    .select_related("recipient__user", "organization", "deadline__system")
                    .order_by("id")[:batch_size]
                )
                if not batch:
                    return sent
                sent_ids, failed = [], []
                for notification in batch:
                    try:
                        # One conversation with the server for the whole run, opened by the first
                        # message (a no-op once open); send_messages alone would reconnect per message.
                        connection.open()
                        connection.send_messages([notification_email(notification)])
                    except (smtplib.SMTPException, OSError) as error:
                        if _is_final(error):
                            failed.append((notification.pk, _reason(error)))
                            continue
                        unreachable = error
                        Notification.objects.filter(pk=notification.pk).update(email_error=_reason(error))
                        break
                    sent_ids.append(notification.pk)
                now = timezone.now()
                Notification.objects.filter(pk__in=sent_ids).update(email_sent_at=now, email_error="")
                Notification.objects.filter(pk__in=sent_ids, kind=NotificationKind.INVITATION).update(url="")
                for pk, reason in failed:
                    Notification.objects.filter(pk=pk).update(email_failed_at=now, email_error=reason)
                sent += len(sent_ids)
            if unreachable is not None:
                raise unreachable
    finally:
        # A server that dropped the line may refuse a clean goodbye: that must not hide the error.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
