"""The risk register (Art. 18(1)): the known and foreseeable risks of each AI system, assessed for
the intended use and for foreseeable misuse, and the targeted measures adopted against them.

Scores are stored (not only computed) so that the organisation-wide list can filter and sort by
them in the database; the register services keep them in step with likelihood and severity.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.models import TenantModel
from risk.risk_management.choices import (
    BAND_BADGES,
    MEASURE_DONE_STATUSES,
    Likelihood,
    MeasureKind,
    MeasureStatus,
    RiskCategory,
    RiskOrigin,
    RiskStatus,
    Severity,
    almaty_today,
    band_for,
    band_label,
)

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(TenantModel):
    """One risk of one AI system: what may go wrong, how likely, how bad, and who answers for it."""

    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="register_risks",
        verbose_name=_("AI system"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=RiskCategory.choices)
    origin = models.CharField(
        _("arises in"),
        max_length=30,
        choices=RiskOrigin.choices,
        default=RiskOrigin.INTENDED_USE,
        help_text=_(
            "Whether the risk arises in the intended use or under foreseeable misuse (Art. 18(1)(2))."
        ),
    )
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1–5)"), validators=SCALE, choices=Likelihood.choices
    )
    severity = models.PositiveSmallIntegerField(
        _("severity (1–5)"), validators=SCALE, choices=Severity.choices
    )
    inherent_score = models.PositiveSmallIntegerField(_("inherent score"), editable=False, default=1)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood (1–5)"),
        validators=SCALE,
        choices=Likelihood.choices,
        null=True,
        blank=True,
        help_text=_("Likelihood once the measures are in place; empty until assessed."),
    )
    residual_severity = models.PositiveSmallIntegerField(
        _("residual severity (1–5)"), validators=SCALE, choices=Severity.choices, null=True, blank=True
    )
    residual_score = models.PositiveSmallIntegerField(
        _("residual score"), null=True, blank=True, editable=False
    )
    owner = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.IDENTIFIED
    )
    catalogue_key = models.CharField(
        _("catalogue entry"), max_length=80, blank=True, help_text=_("Set when picked from the catalogue.")
    )

    system_path = "system"
    activity_exclude = ("created_at", "updated_at", "inherent_score", "residual_score")

    class Meta:
        ordering = ["-inherent_score", "title", "id"]
        indexes = [
            models.Index(fields=["organization", "system", "inherent_score"]),
            # The risk list's order (the default ordering): a page is read from the index.
            models.Index(fields=["organization", "-inherent_score", "title", "id"], name="risk_list_order"),
        ]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self):
        return self.title

    def compute_scores(self) -> None:
        """Inherent = L × S; residual only when both residual values are assessed."""
        if self.likelihood and self.severity:
            self.inherent_score = self.likelihood * self.severity
        if self.residual_likelihood and self.residual_severity:
            self.residual_score = self.residual_likelihood * self.residual_severity
        else:
            self.residual_score = None

    @property
    def inherent_band(self):
        return band_for(self.inherent_score)

    @property
    def residual_band(self):
        return band_for(self.residual_score)

    @property
    def inherent_band_label(self) -> str:
        return band_label(self.inherent_band)

    @property
    def residual_band_label(self) -> str:
        return band_label(self.residual_band)

    @property
    def inherent_badge(self):
        return BAND_BADGES[self.inherent_band]

    @property
    def residual_badge(self):
        return BAND_BADGES.get(self.residual_band, "")

    def activity_parent(self):
        return self.system


class Measure(TenantModel):
    """A targeted measure (control) adopted against one or more risks of a system (Art. 18(1)(3))."""

    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="register_measures",
        verbose_name=_("AI system"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    risks = models.ManyToManyField(Risk, related_name="measures", verbose_name=_("risks"))
    owner = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows the measure works."))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    catalogue_key = models.CharField(_("catalogue entry"), max_length=80, blank=True)

    system_path = "system"

    class Meta:
        ordering = ["due_on", "title", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    @property
    def is_overdue(self) -> bool:
        """Past its due date (Asia/Almaty) and not yet implemented, verified or cancelled."""
        return bool(self.due_on) and self.due_on < almaty_today() and self.status not in MEASURE_DONE_STATUSES

    def __str__(self):
        return self.title

    def activity_parent(self):
        return self.system
