"""One deadline mechanism every app feeds.

Anything with a due date (an annual risk review, an obligation, later a document's expiry, a
contract's end, a remediation) keeps one `Deadline` row in step through `deadline_sync`; reminders
and digests read only this table, so a new kind of deadline needs no new reminder code.
"""

import functools

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kzai.core.models import TenantModel


class DeadlineKind(models.TextChoices):
    RISK_REVIEW = "risk_review", _("Annual risk review")
    OBLIGATION = "obligation", _("Obligation")
    MEASURE = "measure", _("Risk measure")
    CONTRACT_EXPIRY = "contract_expiry", _("Contract expiry")
    DOCUMENT_EXPIRY = "document_expiry", _("Document expiry")
    REMEDIATION = "remediation", _("Audit remediation")
    AUDIT = "audit", _("Audit")
    OTHER = "other", _("Other")


@functools.lru_cache(maxsize=1024)
def _date_label(day, language: str | None) -> str:
    """A date as the reader's language writes it (keyed by the language too): an import names
    tens of thousands of deadlines that share a few due dates."""
    return date_format(day, "DATE_FORMAT")


class Deadline(TenantModel):
    """A due date owed by some object of an organization, with who answers for it."""

    # Indexes: an import writes tens of thousands of deadlines, and each index costs on every row.
    # The organization and the content type are the leading columns of the composite index and of
    # the unique constraint below (which serve the organization's protection and the content
    # type's cascade too), and `created_at` is never filtered or ordered on: none has an index of
    # its own. Their foreign-key constraints stay.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due on"), db_index=True)
    responsible = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("responsible"),
    )
    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("AI system"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    object_id = models.CharField(max_length=64)
    source = GenericForeignKey("content_type", "object_id")
    url = models.CharField(_("link"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, db_index=True)
    # Set while the system that owes the deadline is archived: the deadline is kept with its due
    # date for the record, but is not open and gets no reminders until the system is restored.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    system_path = "system"

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"], name="one_deadline_per_source_and_kind"
            ),
        ]
        indexes = [models.Index(fields=["organization", "completed_at", "due_on"])]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")

    def __str__(self):
        return f"{self.title} ({_date_label(self.due_on, get_language())})"

    def clean(self):
        # Reminders go to the responsible member: one of another organization must never be set,
        # whatever the calling app passed (defence in depth behind the apps' own checks).
        errors = {}
        if self.responsible_id and self.responsible.organization_id != self.organization_id:
            errors["responsible"] = _("Choose a member of this organization.")
        if self.system_id and self.system.organization_id != self.organization_id:
            errors["system"] = _("Choose an AI system of this organization.")
        if errors:
            raise ValidationError(errors)


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Deadline reminder")
    DIGEST = "digest", _("Daily digest")
    # To an address, not a member: the invitee has no membership yet.
    INVITATION = "invitation", _("Invitation")
    # To an address, not a member: the answer to a person who wrote in through a public form.
    REPLY = "reply", _("Answer to a member of the public")


# Kinds sent to an e-mail address rather than to a member.
ADDRESS_KINDS = (NotificationKind.INVITATION, NotificationKind.REPLY)


class EmailStatus(models.TextChoices):
    """What became of a notification's e-mail, derived from the outbox columns (never stored)."""

    IN_APP = "in_app", pgettext_lazy("e-mail", "In the portal only")
    QUEUED = "queued", pgettext_lazy("e-mail", "Queued")
    RETRYING = (
        "retrying",
        pgettext_lazy("e-mail", "Not sent yet: the mail server did not answer; trying again"),
    )
    SENT = "sent", pgettext_lazy("e-mail", "Sent")
    FAILED = "failed", pgettext_lazy("e-mail", "Failed")
    TURNED_OFF = "turned_off", pgettext_lazy("e-mail", "Not sent: e-mails are turned off in your profile")


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, membership):
        """What one member may see: their own notifications in that organization, nothing else."""
        if membership is None:
            return self.none()
        return self.filter(recipient=membership)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One reminder or digest for one member — the outbox and the in-app inbox in one row — or an
    e-mail to a person who is not a member (an invitation, an answer to someone who wrote in through
    a public form), which is only ever in the outbox.

    The outbox is sent by `notifications_send`, run by the `deadlines.send_notifications` task:
    right after an invitation commits, after the daily sweep, and every few minutes by beat; an
    SMTP failure leaves rows unsent and the task retries with exponential backoff.

    Idempotency is a database guarantee, not a hope. The sweep first INSERTs the notifications it
    owes (`bulk_create(ignore_conflicts=True)`); the unique constraints below, keyed on
    (deadline, due date, threshold, recipient) for reminders and (recipient, day) for digests, make a
    second sweep — the same day, or another worker at the same time — insert nothing new. Only
    then are e-mails sent, from rows still unsent, locked with `SELECT … FOR UPDATE SKIP LOCKED`
    so two workers never take the same row, and stamped `email_sent_at` in the same transaction.
    A run that crashes before committing leaves its rows unsent and the next run sends them: rows
    are never lost or duplicated (an e-mail handed to the mail server just before a crash may be
    sent again — at-least-once delivery, the only honest promise SMTP allows).

    Not a `TrackedModel`: notifications are messages about compliance data, not compliance data,
    and the sweep writes them in bulk.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    recipient = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # Only for a person who is not a member (an invitation, a reply); members are written to at their
    # user's current address.
    email = models.EmailField(_("e-mail address"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)
    deadline = models.ForeignKey(
        Deadline,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("deadline"),
    )
    # For a reminder the deadline's due date when it was sent (a new due date re-opens reminders);
    # for a digest the day it covers.
    period_on = models.DateField(_("due date or digest day"))
    threshold = models.CharField(
        _("threshold"), max_length=20, help_text=_("e.g. 30d, 7d, 1d, overdue, overdue+2w, digest")
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    send_email = models.BooleanField(_("send by e-mail"), default=False)
    email_sent_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # The mail server's last refusal. With `email_failed_at` it was final (the address or the
    # message was refused: the row leaves the outbox); without, the server was unreachable and the
    # outbox tries again.
    email_error = models.CharField(_("e-mail error"), max_length=300, blank=True)
    email_failed_at = models.DateTimeField(_("e-mail failed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "period_on", "threshold", "recipient"],
                condition=models.Q(kind="reminder"),
                name="one_reminder_per_deadline_due_threshold_recipient",
            ),
            models.UniqueConstraint(
                fields=["recipient", "period_on"],
                condition=models.Q(kind="digest"),
                name="one_digest_per_recipient_and_day",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False, email="")
                | models.Q(recipient__isnull=True, kind__in=["invitation", "reply"]) & ~models.Q(email=""),
                name="notification_to_a_member_or_an_invited_address",
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(send_email=True, email_sent_at__isnull=True),
                name="notification_outbox",
            ),
            models.Index(fields=["recipient", "read_at"]),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.subject

    @property
    def email_status(self) -> str:
        """Where the e-mail stands, as `EmailStatus` says; the list shows its label and reason."""
        if not self.send_email:
            return EmailStatus.IN_APP
        if self.email_sent_at:
            return EmailStatus.SENT
        if self.email_failed_at:
            return EmailStatus.FAILED
        if self.recipient_id and not self.recipient.user.notify_by_email:
            return EmailStatus.TURNED_OFF
        if self.email_error:
            return EmailStatus.RETRYING
        return EmailStatus.QUEUED

    def get_email_status_display(self) -> str:
        return EmailStatus(self.email_status).label
