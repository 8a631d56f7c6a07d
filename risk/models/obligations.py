"""Obligations: what the law asks of one system, derived from its facts and kept in step."""

import re

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kzai.core.models import TenantModel
from risk.choices import ObligationStatus, WithdrawnCause


def withdrawn_label(*, in_force: bool, cause: str, version: str | None) -> str:
    """Why an obligation no longer applies, in the reader's language ("" while it applies).

    A function of the columns, so lists read as column values say it as the model does."""
    if in_force:
        return ""
    if cause == WithdrawnCause.LIBRARY and version is not None:
        return _("No longer applicable (library %(version)s)") % {"version": version}
    return _("No longer applicable (%(cause)s)") % {"cause": dict(WithdrawnCause.choices).get(cause, cause)}


def review_label(*, needs_review: bool, review_changes: dict) -> str:
    """What changed in the requirement, for an obligation returned for review ("" otherwise)."""
    if not needs_review:
        return ""
    from risk.choices import RequirementField

    labels = dict(RequirementField.choices)
    fields = ", ".join(str(labels.get(f, f)) for f in review_changes.get("fields", []))
    return _("Requirement changed in library %(version)s: %(fields)s. Check the status again.") % {
        "version": review_changes.get("to", ""),
        "fields": fields,
    }


class Obligation(TenantModel):
    """One requirement of the library as it applies to one system.

    Derived by `risk.services.obligations.obligations_sync`; never deleted. When the requirement
    stops applying (facts changed, a new library version), the row stays with `in_force=False`
    and the cause, so nothing recorded is lost; if it applies again, the same row comes back.
    """

    # Indexes: an import writes a hundred thousand obligations, and each index costs on every row.
    # The organization, the system, the code, the status and `in_force` are served by the composite
    # indexes below (their leading columns, including the system's cascade and the organization's
    # protection), and `created_at` is never filtered or ordered on: none has an index of its own.
    # Foreign keys: only the system's is a constraint in the database. The others point at data
    # that is never deleted (the organization, the library's versions and requirements, members,
    # who are deactivated), their values are the system's own or the library's, and the ORM still
    # applies their `on_delete` (PROTECT, SET_NULL are Django's): a constraint would check each row
    # an import writes, five lookups a row, costing more than writing the row. No list filters by
    # requirement or library version, and versions are never deleted: those have no index either
    # (the responsible member's serves "my obligations").
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="obligations",
        verbose_name=_("AI system"),
        db_index=False,
    )
    requirement = models.ForeignKey(
        "risk.Requirement",
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("requirement"),
        db_constraint=False,
        db_index=False,
    )
    # The stable id, kept here so an obligation follows its requirement across library versions.
    code = models.CharField(_("requirement id"), max_length=40)
    library_version = models.ForeignKey(
        "risk.RequirementLibraryVersion",
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("library version"),
        db_constraint=False,
        db_index=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ObligationStatus.choices,
        default=ObligationStatus.NOT_STARTED,
    )
    not_applicable_reason = models.TextField(_("reason it does not apply"), blank=True)
    responsible = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible member"),
        db_constraint=False,
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    recurrence = models.CharField(_("recurrence"), max_length=10, blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    urgent = models.BooleanField(
        _("urgent"),
        default=False,
        help_text=_("Raised for a prohibited capability found in a system in operation."),
    )

    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("The requirement changed in substance in a new library version: check the status again."),
    )
    # {"from": "2026.1", "to": "2026.2", "fields": ["text", "binds", …]}: what changed, for the
    # reader (labels rendered at read time) and for the activity log.
    review_changes = models.JSONField(_("what changed in the requirement"), default=dict, blank=True)

    in_force = models.BooleanField(_("applies"), default=True)
    withdrawn_at = models.DateTimeField(_("no longer applicable since"), null=True, blank=True)
    withdrawn_cause = models.CharField(
        _("why it no longer applies"), max_length=10, choices=WithdrawnCause.choices, blank=True
    )
    withdrawn_by_version = models.ForeignKey(
        "risk.RequirementLibraryVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by library version"),
        db_constraint=False,
        db_index=False,
    )

    system_path = "system"

    class Meta:
        ordering = ["system_id", "requirement__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "code"], name="one_obligation_per_system_and_requirement"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "in_force", "status"]),
            # The orders of the API list and of the obligations page: a page is read from the index
            # instead of sorting every obligation of the organization.
            models.Index(fields=["organization", "in_force", "system", "code"], name="obligation_api_order"),
            models.Index(
                fields=["organization", "in_force", "-urgent", "due_on", "system", "code"],
                name="obligation_page_order",
            ),
        ]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self):
        return f"{self.system.code} · {self.code}"

    @property
    def recurrence_label(self) -> str:
        """The ISO 8601 period of the library ("P12M") as people read it ("12 months")."""
        match = re.fullmatch(r"P(\d+)([YMWD])", self.recurrence or "")
        if not match:
            return self.recurrence
        count, unit = int(match.group(1)), match.group(2)
        labels = {
            "Y": ngettext("%(n)d year", "%(n)d years", count),
            "M": ngettext("%(n)d month", "%(n)d months", count),
            "W": ngettext("%(n)d week", "%(n)d weeks", count),
            "D": ngettext("%(n)d day", "%(n)d days", count),
        }
        return labels[unit] % {"n": count}

    def activity_parent(self):
        return self.system

    @property
    def withdrawn_label(self) -> str:
        version = self.withdrawn_by_version.version if self.withdrawn_by_version_id else None
        return withdrawn_label(in_force=self.in_force, cause=self.withdrawn_cause, version=version)

    @property
    def review_label(self) -> str:
        """ "Requirement changed in library 2026.2: text, article" in the reader's language."""
        return review_label(needs_review=self.needs_review, review_changes=self.review_changes)

    @property
    def counts_for_score(self) -> bool:
        return self.in_force and self.status != ObligationStatus.NOT_APPLICABLE

    def clean(self):
        errors = {}
        if self.status == ObligationStatus.NOT_APPLICABLE and not self.not_applicable_reason.strip():
            errors["not_applicable_reason"] = _("Say why the obligation does not apply to this system.")
        if self.responsible_id and self.responsible.organization_id != self.organization_id:
            errors["responsible"] = _("Choose a member of this organization.")
        if errors:
            raise ValidationError(errors)


class ObligationEvidence(TenantModel):
    """A link from an obligation to what proves it is met: a URL, a free reference, or (once the
    documents app exists) a document through the generic `target` slot."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("obligation")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True, max_length=500)
    reference = models.CharField(
        _("reference"),
        max_length=300,
        blank=True,
        help_text=_("E.g. an order number or a folder on a share."),
    )
    # Reserved for the documents app: a versioned evidence file will be linked here.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    added_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    system_path = "obligation__system"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")

    def __str__(self):
        return self.title

    def activity_parent(self):
        return self.obligation.system

    def clean(self):
        if not (self.url or self.reference.strip() or self.target_id):
            raise ValidationError({"url": _("Give a link or a reference.")})
        if self.obligation_id and self.obligation.organization_id != self.organization_id:
            raise ValidationError({"obligation": _("Choose an obligation of this organization.")})
