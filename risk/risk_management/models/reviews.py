"""The annual review of the risk register (Art. 18(1)(4): update the risks at least once a year).

Each system in operation has one `ReviewSchedule` saying when the next review is due; a `Review`
walks through every risk and measure (`ReviewItem`) and ends with the officer's sign-off, which
freezes a JSON snapshot of the register as it stood. A completed review is never edited again: the
services refuse, and the API answers 400.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kzai.core.models import TenantModel
from risk.risk_management.choices import (
    MAX_REVIEW_INTERVAL_MONTHS,
    ReviewItemKind,
    ReviewItemOutcome,
    ReviewStatus,
    almaty_today,
)


class ReviewSchedule(TenantModel):
    """When a system's next risk review is due, and the interval the officer chose (≤ 12 months)."""

    system = models.OneToOneField(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="review_schedule",
        verbose_name=_("AI system"),
    )
    interval_months = models.PositiveSmallIntegerField(
        _("interval (months)"),
        default=MAX_REVIEW_INTERVAL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REVIEW_INTERVAL_MONTHS)],
        help_text=_("The law requires a review at least once a year; you may shorten the interval."),
    )
    first_due_on = models.DateField(
        _("first review due on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use 12 months after the first approved classification."),
    )
    last_completed_on = models.DateField(_("last review completed on"), null=True, blank=True)
    next_due_on = models.DateField(_("next review due on"), null=True, blank=True, editable=False)
    reviewer = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
        help_text=_("Receives the reminders; defaults to the system's officer."),
    )

    system_path = "system"

    class Meta:
        ordering = ["next_due_on", "id"]
        verbose_name = _("review schedule")
        verbose_name_plural = _("review schedules")

    def __str__(self):
        return str(_("Risk review schedule of %(system)s") % {"system": self.system})

    def activity_parent(self):
        return self.system


class Review(TenantModel):
    """One review of a system's risk register, from scheduled to signed off."""

    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="risk_reviews",
        verbose_name=_("AI system"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=[(c.value, c.label) for c in ReviewStatus if c != ReviewStatus.OVERDUE],
        default=ReviewStatus.SCHEDULED,
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    summary = models.TextField(_("summary"), blank=True)
    snapshot = models.JSONField(_("register snapshot"), null=True, blank=True, editable=False)

    system_path = "system"
    activity_exclude = ("created_at", "updated_at", "snapshot")

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            # At most one open (not completed) review per system at a time.
            models.UniqueConstraint(
                fields=["system"], condition=~models.Q(status="completed"), name="one_open_review_per_system"
            ),
        ]
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")

    def __str__(self):
        due = date_format(self.due_on, "DATE_FORMAT")
        return str(_("Risk review of %(system)s due %(due)s") % {"system": self.system, "due": due})

    @property
    def is_completed(self) -> bool:
        return self.status == ReviewStatus.COMPLETED

    @property
    def effective_status(self) -> str:
        """The stored status, or "overdue" for an open review past its due date (Asia/Almaty)."""
        if not self.is_completed and self.due_on < almaty_today():
            return ReviewStatus.OVERDUE
        return self.status

    def save(self, *args, **kwargs):
        # Defence in depth behind the services: a review loaded as completed is immutable.
        loaded = getattr(self, "_activity_snapshot", None) or {}
        if loaded.get("status") == ReviewStatus.COMPLETED:
            raise ValidationError(_("This review was signed off; a completed review cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_completed:
            raise ValidationError(_("This review was signed off; a completed review cannot be deleted."))
        return super().delete(*args, **kwargs)

    def get_effective_status_display(self):
        return ReviewStatus(self.effective_status).label

    def activity_parent(self):
        return self.system


class ReviewItem(TenantModel):
    """The review's record for one risk or measure: confirmed, changed (and how), or closed."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="items", verbose_name=_("review")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReviewItemKind.choices)
    risk = models.ForeignKey(
        "risk.Risk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risk"),
    )
    measure = models.ForeignKey(
        "risk.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measure"),
    )
    label = models.CharField(_("item"), max_length=200, help_text=_("The title when the review started."))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReviewItemOutcome.choices, default=ReviewItemOutcome.PENDING
    )
    note = models.TextField(_("what changed"), blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    system_path = "review__system"

    class Meta:
        ordering = ["review", "kind", "id"]
        verbose_name = _("review item")
        verbose_name_plural = _("review items")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label}"

    def activity_parent(self):
        return self.review
