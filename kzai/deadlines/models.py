"""One deadline mechanism every app feeds.

Anything with a due date (an annual risk review, an obligation, later a document's expiry, a
contract's end, a remediation) keeps one `Deadline` row in step through `deadline_sync`; reminders
and digests read only this table, so a new kind of deadline needs no new reminder code.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
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


class Deadline(TenantModel):
    """A due date owed by some object of an organization, with who answers for it."""

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
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    source = GenericForeignKey("content_type", "object_id")
    url = models.CharField(_("link"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, db_index=True)

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
        return f"{self.title} ({self.due_on:%Y-%m-%d})"
