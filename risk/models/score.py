"""The compliance score, one row per organization per day, so the overview can show its trend."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet


class ComplianceScoreSnapshot(models.Model):
    """The organization's compliance score (met / applicable obligations) as it stood on one day.

    Taken by the daily sweep (`risk.services.score.compliance_score_snapshots_take`), at most one per
    organization and day (a unique constraint makes a repeated sweep harmless). It is a measurement,
    not compliance data: nothing is edited here, so it is not a tracked model and has no activity
    record. It covers every system of the organization, so object-scoped roles (auditors, who see
    only the systems granted to them) are not shown it: `restrict()` gives them nothing.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    taken_on = models.DateField(_("day"))
    met = models.PositiveIntegerField(_("obligations met"))
    applicable = models.PositiveIntegerField(_("obligations that apply"))

    system_path = None
    visible_to_object_scoped_roles = False

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "taken_on"], name="one_score_snapshot_per_day")
        ]
        verbose_name = _("compliance score snapshot")
        verbose_name_plural = _("compliance score snapshots")

    def __str__(self):
        return f"{self.taken_on}: {self.met}/{self.applicable}"

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.applicable) if self.applicable else None
