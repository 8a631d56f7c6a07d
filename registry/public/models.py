"""Public pages of AI systems, their user agreements and the acceptances of those agreements."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet, TenantModel

PUBLIC_LANGUAGES = ("kk", "ru", "en")
# What a reader of each language sees when the officer has not written that language: a Kazakh
# reader gets Russian, never English (the law's texts ship in kk/ru; English is a courtesy).
LANGUAGE_FALLBACKS = {"kk": ("kk", "ru"), "ru": ("ru", "kk"), "en": ("en", "ru")}
# The texts an officer writes per language for the public page (field prefix, label).
PUBLIC_TEXTS = (
    ("title", _("public name")),
    ("summary", _("what the system is and does")),
    ("limitations", _("capabilities and limitations")),
    ("processing_notice", _("notice on automated processing of personal data")),
    ("support", _("support contacts")),
)
MAX_PUBLIC_TEXT = 20000
MAX_AGREEMENT_TEXT = 200000

public_slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$",
    _("Use lowercase Latin letters, digits and hyphens (up to 60), not starting or ending with a hyphen."),
)


def localised(obj, prefix: str, language: str | None = None) -> str:
    """The text `<prefix>_<lang>` of `obj` in the reader's language, with the fallbacks above."""
    language = (language or get_language() or "ru")[:2]
    for code in LANGUAGE_FALLBACKS.get(language, ("ru", "kk")):
        value = getattr(obj, f"{prefix}_{code}", "")
        if value:
            return value
    return ""


def _text_fields(cls, prefixes, max_length):
    """Add `<prefix>_kk/_ru/_en` text fields to a model class (declared once, used by forms and API)."""
    for prefix, label in prefixes:
        for code in PUBLIC_LANGUAGES:
            field = (
                models.CharField(format_lazy("{} ({})", label, code), max_length=200, blank=True)
                if prefix == "title"
                else models.TextField(
                    format_lazy("{} ({})", label, code),
                    blank=True,
                    validators=[MaxLengthValidator(max_length)],
                )
            )
            cls.add_to_class(f"{prefix}_{code}", field)
    return cls


class PublicPageQuerySet(RestrictedQuerySet):
    def published(self):
        """Pages anyone may read: published, of an active organization and a system not archived."""
        return self.filter(is_published=True, system__archived_at__isnull=True, organization__is_active=True)


class PublicPage(TenantModel):
    """The public page of one AI system at `/p/<organization slug>/<public slug>/`.

    Only the texts written here (and the organization's name) are ever shown to the public; nothing
    is taken from the internal register. The page is off until the officer publishes it.
    """

    system = models.OneToOneField(
        "registry.AISystem", on_delete=models.CASCADE, related_name="public_page", verbose_name=_("AI system")
    )
    public_slug = models.CharField(
        _("public address"),
        max_length=60,
        validators=[public_slug_validator],
        help_text=_("The last part of the public page's address; keep it stable once published."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    system_path = "system"

    objects = PublicPageQuerySet.as_manager()

    class Meta:
        ordering = ["public_slug", "id"]
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")
        constraints = [
            models.UniqueConstraint(fields=["organization", "public_slug"], name="unique_public_slug_per_org")
        ]

    def __str__(self):
        return self.public_slug

    def activity_parent(self):
        return self.system

    def text(self, prefix: str, language: str | None = None) -> str:
        return localised(self, prefix, language)


_text_fields(PublicPage, PUBLIC_TEXTS, MAX_PUBLIC_TEXT)


class AgreementVersion(TenantModel):
    """One version of a system's user agreement (Art. 16(1)(1)): its text and the day it takes effect.

    Versions are numbered 1, 2, … per system and never change once added; the current one is the
    latest already in effect, and every older one stays readable at its own public address.
    """

    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="agreement_versions",
        verbose_name=_("AI system"),
    )
    number = models.PositiveIntegerField(_("version"))
    effective_on = models.DateField(_("effective from"))

    system_path = "system"

    class Meta:
        ordering = ["system_id", "-number"]
        verbose_name = _("user agreement version")
        verbose_name_plural = _("user agreement versions")
        constraints = [
            models.UniqueConstraint(fields=["system", "number"], name="unique_agreement_version_per_system")
        ]

    def __str__(self):
        return f"v{self.number}"

    def activity_parent(self):
        return self.system

    def text(self, language: str | None = None) -> str:
        return localised(self, "text", language)


_text_fields(AgreementVersion, (("text", _("agreement text")),), MAX_AGREEMENT_TEXT)


class AgreementAcceptance(TenantModel):
    """The record that an end user (a pseudonymous id the company chose) accepted one agreement
    version at a moment, sent by the company's own product through the API before first use."""

    system = models.ForeignKey(
        "registry.AISystem", on_delete=models.CASCADE, related_name="+", verbose_name=_("AI system")
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("version")
    )
    end_user = models.CharField(
        _("end user"), max_length=200, help_text=_("A pseudonymous identifier chosen by the company.")
    )
    accepted_at = models.DateTimeField(_("accepted at"))

    system_path = "system"

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("user agreement acceptance")
        verbose_name_plural = _("user agreement acceptances")
        constraints = [
            models.UniqueConstraint(fields=["version", "end_user"], name="unique_acceptance_per_version_user")
        ]
        indexes = [models.Index(fields=["system", "end_user", "-accepted_at"])]

    def __str__(self):
        return f"{self.end_user} v{self.version.number}" if self.version_id else self.end_user


class ReportKind(models.TextChoices):
    ERROR = "error", _("An error")
    INCORRECT_OUTPUT = "incorrect_output", _("An incorrect or misleading result")
    HARM = "harm", _("Harm to me or to others")
    COMPLAINT = "complaint", _("A complaint")


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


TICKET_OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.TRIAGED, TicketStatus.IN_PROGRESS)


class TicketSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


MAX_REPORT_TEXT = 5000


class Ticket(TenantModel):
    """A report from a user of an AI system (an error, an incorrect result, harm, a complaint), sent
    through the public page without an account, and its handling inside the organization."""

    system = models.ForeignKey(
        "registry.AISystem", on_delete=models.CASCADE, related_name="tickets", verbose_name=_("AI system")
    )
    kind = models.CharField(_("kind of report"), max_length=20, choices=ReportKind.choices)
    message = models.TextField(_("what happened"), validators=[MaxLengthValidator(MAX_REPORT_TEXT)])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW, db_index=True
    )
    severity = models.CharField(_("severity"), max_length=10, choices=TicketSeverity.choices, blank=True)
    assignee = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    risk = models.ForeignKey(
        "risk.Risk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked risk"),
    )
    due_on = models.DateField(_("answer due on"))
    reply = models.TextField(_("reply to the reporter"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    system_path = "system"

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("user report")
        verbose_name_plural = _("user reports")
        indexes = [models.Index(fields=["organization", "status", "-received_at"])]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()}"

    def activity_parent(self):
        return self.system


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")


OBJECTION_ANSWER_WORKING_DAYS = 3  # Personal Data Law Art. 19-1


class Objection(TenantModel):
    """A person's objection to the automated processing of their personal data by an AI system
    (Personal Data Law Art. 19-1, TR-04), filed on the public page; the operator answers within
    3 working days, and the answer sent is recorded here."""

    system = models.ForeignKey(
        "registry.AISystem", on_delete=models.CASCADE, related_name="objections", verbose_name=_("AI system")
    )
    message = models.TextField(_("objection"), validators=[MaxLengthValidator(MAX_REPORT_TEXT)])
    contact_email = models.EmailField(_("contact e-mail"))
    language = models.CharField(_("language"), max_length=2, blank=True)
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
        db_index=True,
    )
    answer = models.TextField(_("answer sent"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    system_path = "system"

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("objection to automated processing")
        verbose_name_plural = _("objections to automated processing")

    def __str__(self):
        return f"#{self.pk}"

    def activity_parent(self):
        return self.system
