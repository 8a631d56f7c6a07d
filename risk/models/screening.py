"""The banned-practice screen: the seven prohibited capabilities of Art. 17(3), one record per run."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kzai.core.models import TenantModel
from risk.choices import ScreeningResult


class Screening(TenantModel):
    """One run of the banned-practice screen on a system: who, when, every answer, the result.

    `answers` maps each practice id (KZ-AI-PROH-01…07) to `{"present": bool, "exception": id or "",
    "basis": text}`; `findings` lists the ids present without a valid exception. Any finding marks
    the system prohibited.
    """

    system = models.ForeignKey(
        "registry.AISystem", on_delete=models.CASCADE, related_name="screenings", verbose_name=_("AI system")
    )
    library_version = models.ForeignKey(
        "risk.RequirementLibraryVersion",
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("library version"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    result = models.CharField(_("result"), max_length=12, choices=ScreeningResult.choices, db_index=True)
    findings = models.JSONField(_("prohibited capabilities found"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    performed_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("performed by"),
    )

    system_path = "system"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("banned-practice screening")
        verbose_name_plural = _("banned-practice screenings")

    def __str__(self):
        day = date_format(timezone.localdate(self.created_at), "DATE_FORMAT")
        return f"{self.system.code} — {self.get_result_display()} ({day})"

    def save(self, *args, **kwargs):
        # A screening records what was answered, by whom, when: a new run is a new row, never an edit.
        if self.pk is not None and getattr(self, "_activity_snapshot", None):
            raise ValidationError(
                _("A screening is a record and cannot be changed; screen the system again.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A screening is a record and cannot be deleted."))

    def activity_parent(self):
        return self.system
