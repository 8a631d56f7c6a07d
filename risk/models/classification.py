"""Classification: the versioned questionnaire per system and its result (Art. 17(1)–(2))."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.models import TenantModel
from registry.choices import AutonomyLevel, RiskLevel
from risk.choices import AffectedDomain, AutonomyAnswer, ClassificationStatus, DisruptionImpact

LEVEL_ORDER = {"minimal": 0, "low": 0, "medium": 1, "high": 2}


class Classification(TenantModel):
    """One attempt to classify a system: answers, the portal's suggestion, the declared levels.

    The current classification of a system is its latest approved one; approving a new one marks
    the previous one superseded. Declaring a level lower than suggested needs a justification,
    which is printed wherever the level is shown.
    """

    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="classifications",
        verbose_name=_("AI system"),
    )
    questionnaire_version = models.CharField(_("questionnaire version"), max_length=20)
    library_version = models.ForeignKey(
        "risk.RequirementLibraryVersion",
        on_delete=models.PROTECT,
        related_name="classifications",
        verbose_name=_("library version"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ClassificationStatus.choices,
        default=ClassificationStatus.DRAFT,
        db_index=True,
    )

    # Answers
    disruption_impact = models.CharField(
        _("impact of disruption or termination"), max_length=30, choices=DisruptionImpact.choices
    )
    affected_domains = models.JSONField(
        _("domains with significant negative consequences"),
        default=list,
        blank=True,
        help_text=_("Where disruption may have significant negative consequences (Art. 17(1), high)."),
    )
    critical_ict_infrastructure = models.BooleanField(_("critical ICT infrastructure object"), default=False)
    state_information_resource = models.BooleanField(
        _("forms state electronic information resources"), default=False
    )
    autonomy = models.CharField(_("who has the final word"), max_length=30, choices=AutonomyAnswer.choices)
    answer_notes = models.TextField(_("notes on the answers"), blank=True)

    # Result
    suggested_risk_level = models.CharField(
        _("suggested risk level"), max_length=10, choices=RiskLevel.choices
    )
    suggested_autonomy_level = models.CharField(
        _("suggested autonomy level"), max_length=10, choices=AutonomyLevel.choices
    )
    rationale = models.TextField(_("rationale"))
    # The rationale as data: [{"key": "risk_medium", "params": {"impact": "…"}, "warning": false}],
    # rendered from the library's texts in the reader's language (risk.suggestion.render_reasons).
    reasons = models.JSONField(_("rationale lines"), default=list, blank=True)
    declared_risk_level = models.CharField(_("declared risk level"), max_length=10, choices=RiskLevel.choices)
    declared_autonomy_level = models.CharField(
        _("declared autonomy level"), max_length=10, choices=AutonomyLevel.choices
    )
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("Required when a declared level is lower than the suggested one."),
    )

    prepared_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    approved_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    system_path = "system"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        indexes = [models.Index(fields=["system", "status", "-approved_at"])]

    def __str__(self):
        return f"{self.system.code} — {self.get_declared_risk_level_display()} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        # Defence in depth behind the services: an approved classification is a record of what was
        # decided and by whom. Once loaded as approved or superseded, the only change allowed is
        # approved → superseded (a newer one was approved); a superseded one never changes.
        loaded = getattr(self, "_activity_snapshot", None) or {}
        if loaded.get("status", ClassificationStatus.DRAFT) != ClassificationStatus.DRAFT:
            changed = {k for k, v in self.activity_snapshot().items() if loaded.get(k, v) != v}
            superseding = (
                loaded["status"] == ClassificationStatus.APPROVED
                and self.status == ClassificationStatus.SUPERSEDED
                and changed == {"status"}
            )
            if changed and not superseding:
                raise ValidationError(
                    _("An approved classification cannot be changed; start a new one instead.")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != ClassificationStatus.DRAFT:
            raise ValidationError(_("An approved classification cannot be deleted; it is kept as history."))
        return super().delete(*args, **kwargs)

    def activity_parent(self):
        return self.system

    @property
    def rationale_display(self) -> str:
        """The rationale in the reader's language (the stored text for rationales kept as text)."""
        from risk.suggestion import rationale_text

        return rationale_text(self.reasons) if self.reasons else self.rationale

    @property
    def rationale_lines(self) -> list:
        """The rationale in the reader's language: [(text, citation, warning)]."""
        from risk.suggestion import render_reasons

        return render_reasons(self.reasons) if self.reasons else []

    @property
    def declared_below_suggestion(self) -> bool:
        return LEVEL_ORDER[self.declared_risk_level] < LEVEL_ORDER[self.suggested_risk_level] or (
            LEVEL_ORDER[self.declared_autonomy_level] < LEVEL_ORDER[self.suggested_autonomy_level]
        )

    def clean(self):
        errors = {}
        domains = self.affected_domains
        if not isinstance(domains, list) or any(d not in AffectedDomain.values for d in domains):
            errors["affected_domains"] = _("Choose among: %(choices)s.") % {
                "choices": ", ".join(AffectedDomain.values)
            }
        elif len(set(domains)) != len(domains):
            errors["affected_domains"] = _("Each domain once.")
        if (
            self.declared_risk_level in LEVEL_ORDER
            and self.suggested_risk_level in LEVEL_ORDER
            and self.declared_autonomy_level in LEVEL_ORDER
            and self.suggested_autonomy_level in LEVEL_ORDER
            and self.declared_below_suggestion
            and not self.justification.strip()
        ):
            errors["justification"] = _(
                "You declared a level lower than the suggested one: say why. The justification is "
                "stored and shown wherever the level is shown."
            )
        if self.system_id and self.system.organization_id != self.organization_id:
            errors["system"] = _("Choose a system of this organization.")
        if errors:
            raise ValidationError(errors)
