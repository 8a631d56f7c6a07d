"""Audit engagements and everything recorded in them.

An `Engagement` covers one or more AI systems of one organization. Its criteria, findings,
remediation actions and evidence requests belong to it; once the lead auditor signs the conclusion
off, the engagement is locked: the services refuse every change and the models refuse a save or a
delete (defence in depth, like approved classifications). Every row is a `TenantModel`, so each
change is written to the activity log with who made it.

Auditors (an object-scoped role) see an engagement when they are on its team (until its access
ends) or were granted one of its systems; they see the rest of an engagement's records through it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.catalogue import catalogue_check
from audit.choices import (
    FINAL_STATUSES,
    Conclusion,
    CriterionResult,
    CriterionSource,
    EngagementStatus,
    EngagementType,
    EvidenceRequestStatus,
    FilingStatus,
    FindingSeverity,
    RemediationStatus,
)
from kzai.core.models import RestrictedQuerySet, TenantModel


def _today() -> datetime.date:
    return timezone.localdate()


class EngagementQuerySet(RestrictedQuerySet):
    def _restrict_to_granted_systems(self, membership):
        by_system = super()._restrict_to_granted_systems(membership)
        active = Q(access_revoked_at__isnull=True) & (
            Q(access_until__isnull=True) | Q(access_until__gte=_today())
        )
        on_team = self.filter(active, Q(lead_auditor=membership) | Q(team=membership))
        return self.filter(Q(pk__in=by_system.values("pk")) | Q(pk__in=on_team.values("pk")))


class EngagementChildQuerySet(RestrictedQuerySet):
    """Records of an engagement: an auditor sees them when they see the engagement."""

    def _restrict_to_granted_systems(self, membership):
        visible = Engagement.objects.restrict(membership)
        return self.filter(**{f"{self.model.engagement_path}__in": visible.values("pk")})


class Engagement(TenantModel):
    """One audit of one or more AI systems, from planning to the lead auditor's sign-off."""

    title = models.CharField(_("title"), max_length=200)
    engagement_type = models.CharField(_("type of audit"), max_length=30, choices=EngagementType.choices)
    systems = models.ManyToManyField(
        "registry.AISystem", related_name="audit_engagements", verbose_name=_("AI systems in scope")
    )
    audit_firm = models.ForeignKey(
        "registry.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audit firm"),
        help_text=_("From the party register; leave empty for an internal audit."),
    )
    lead_auditor = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead auditor"),
    )
    team = models.ManyToManyField(
        "accounts.Membership", blank=True, related_name="+", verbose_name=_("audit team")
    )
    scope = models.TextField(_("scope"), blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True, editable=False)
    actual_end = models.DateField(_("actual end"), null=True, blank=True, editable=False)
    access_until = models.DateField(
        _("auditors' access until"),
        null=True,
        blank=True,
        help_text=_("The auditors see the systems in scope from the start of fieldwork until this day."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EngagementStatus.choices,
        default=EngagementStatus.PLANNED,
        editable=False,
        db_index=True,
    )
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=Conclusion.choices, blank=True, editable=False
    )
    conclusion_text = models.TextField(_("conclusion"), blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True, editable=False)
    access_revoked_at = models.DateTimeField(_("access revoked at"), null=True, blank=True, editable=False)

    system_path = "systems"
    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start", "-id"]
        verbose_name = _("audit engagement")
        verbose_name_plural = _("audit engagements")

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        """Signed off or cancelled: nothing in the engagement changes any more."""
        return self.status in FINAL_STATUSES

    @property
    def access_active(self) -> bool:
        return self.access_revoked_at is None and (self.access_until is None or self.access_until >= _today())

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if self.access_until and self.planned_start and self.access_until < self.planned_start:
            errors["access_until"] = _("Access cannot end before the engagement starts.")
        if self.lead_auditor_id and self.lead_auditor.organization_id != self.organization_id:
            errors["lead_auditor"] = _("Choose a member of this organization.")
        if self.audit_firm_id and self.audit_firm.organization_id != self.organization_id:
            errors["audit_firm"] = _("Choose a party of this organization.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_activity_snapshot", None) or {}
        if loaded.get("status") in FINAL_STATUSES:
            changed = {k for k, v in self.activity_snapshot().items() if loaded.get(k, v) != v}
            # Ending the auditors' access is the one thing that still happens after the end.
            if changed - {"access_revoked_at"}:
                raise ValidationError(_("A closed or cancelled engagement cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An audit engagement cannot be deleted; cancel it instead."))


class EngagementChild(TenantModel):
    """Base of the records inside an engagement: locked with it."""

    engagement_path = "engagement"
    objects = EngagementChildQuerySet.as_manager()

    class Meta:
        abstract = True

    def _engagement(self) -> Engagement:
        return self.engagement

    def _check_unlocked(self, verb):
        engagement = Engagement.objects.filter(pk=self._engagement().pk).only("status").first()
        if engagement is not None and engagement.is_locked:
            raise ValidationError(
                _("The engagement is signed off or cancelled: its records cannot be %(verb)s.")
                % {"verb": verb}
            )

    def save(self, *args, **kwargs):
        self._check_unlocked(_("changed"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_unlocked(_("deleted"))
        return super().delete(*args, **kwargs)

    def activity_parent(self):
        return self._engagement()


class Criterion(EngagementChild):
    """What the auditors check: an obligation of a system, a check the audit type requires, or a
    criterion the team adds; with the result and notes they record."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("engagement")
    )
    source = models.CharField(_("source"), max_length=20, choices=CriterionSource.choices)
    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("AI system"),
    )
    obligation = models.ForeignKey(
        "risk.Obligation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_criteria",
        verbose_name=_("obligation"),
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=CriterionResult.choices, default=CriterionResult.NOT_ASSESSED
    )
    notes = models.TextField(_("notes"), blank=True)
    assessed_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    system_path = "engagement__systems"

    class Meta:
        ordering = ["engagement_id", "order", "id"]
        verbose_name = _("audit criterion")
        verbose_name_plural = _("audit criteria")

    def __str__(self):
        return f"{self.code} {self.title_text}".strip()

    @property
    def title_text(self) -> str:
        """The criterion's title in the reader's language (the law's text for generated ones)."""
        if self.source == CriterionSource.OBLIGATION and self.obligation_id:
            return self.obligation.requirement.title_text
        if self.source == CriterionSource.CATALOGUE:
            check = catalogue_check(self.code)
            if check is not None:
                return check.title
        return self.title

    @property
    def description_text(self) -> str:
        if self.source == CriterionSource.CATALOGUE:
            check = catalogue_check(self.code)
            if check is not None:
                return check.text
        if self.source == CriterionSource.OBLIGATION and self.obligation_id:
            return self.obligation.requirement.text_text
        return self.description

    def clean(self):
        if self.source == CriterionSource.CUSTOM and not self.title.strip():
            raise ValidationError({"title": _("Give the criterion a title.")})


class Finding(EngagementChild):
    """A nonconformity or observation the auditors record, with their recommendation."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="audit_findings", verbose_name=_("engagement")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("criterion"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=FindingSeverity.choices)
    recommendation = models.TextField(_("recommendation"), blank=True)
    raised_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )

    system_path = "engagement__systems"

    class Meta:
        ordering = ["engagement_id", "id"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")

    def __str__(self):
        return self.title

    def clean(self):
        if self.criterion_id and self.criterion.engagement_id != self.engagement_id:
            raise ValidationError({"criterion": _("Choose a criterion of this engagement.")})


class RemediationAction(EngagementChild):
    """What the organization does about a finding; the auditor verifies it is done."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="actions", verbose_name=_("finding")
    )
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=RemediationStatus.choices, default=RemediationStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows the action is done."))
    verified_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    engagement_path = "finding__engagement"
    system_path = "finding__engagement__systems"

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("remediation action")
        verbose_name_plural = _("remediation actions")

    def __str__(self):
        return self.description[:80]

    def _engagement(self):
        return self.finding.engagement

    def clean(self):
        if self.owner_id and self.owner.organization_id != self.organization_id:
            raise ValidationError({"owner": _("Choose a member of this organization.")})


class EvidenceRequest(EngagementChild):
    """The auditor asks for a document or an answer; the organization responds; the auditor accepts
    it or returns it with a reason. Each step is a change in the activity log (the history)."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="evidence_requests", verbose_name=_("engagement")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence_requests",
        verbose_name=_("criterion"),
    )
    request = models.TextField(_("request"))
    requested_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    due_on = models.DateField(_("answer by"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EvidenceRequestStatus.choices,
        default=EvidenceRequestStatus.OPEN,
    )
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # Versions of the organization's documents given in response (documents of systems in scope).
    versions = models.ManyToManyField(
        "documents.DocumentVersion",
        blank=True,
        related_name="audit_evidence_requests",
        verbose_name=_("documents given"),
    )

    system_path = "engagement__systems"

    class Meta:
        ordering = ["engagement_id", "id"]
        verbose_name = _("evidence request")
        verbose_name_plural = _("evidence requests")

    def __str__(self):
        return self.request[:80]

    def clean(self):
        if self.criterion_id and self.criterion.engagement_id != self.engagement_id:
            raise ValidationError({"criterion": _("Choose a criterion of this engagement.")})


class TrustedListFiling(TenantModel):
    """An application to put a system on a sector body's list of trusted high-risk systems
    (KZ-AI-HR-03): its checklist and the sector body's 10 + 5 working-day clock."""

    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="trusted_list_filings",
        verbose_name=_("AI system"),
    )
    sector_body = models.CharField(_("sector state body"), max_length=300)
    application_ready = models.BooleanField(_("application prepared"), default=False)
    copyright_document = models.CharField(
        _("copyright certificate or agreement"),
        max_length=300,
        blank=True,
        help_text=_("Number and date of the certificate of copyright registration, or of the agreement."),
    )
    audit_engagement = models.ForeignKey(
        Engagement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audit with a positive report"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FilingStatus.choices,
        default=FilingStatus.PREPARING,
        editable=False,
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True, editable=False)
    completeness_due_on = models.DateField(_("completeness check due"), null=True, blank=True, editable=False)
    complete_on = models.DateField(_("found complete on"), null=True, blank=True, editable=False)
    publication_due_on = models.DateField(_("publication due"), null=True, blank=True, editable=False)
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)

    system_path = "system"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("trusted-list filing")
        verbose_name_plural = _("trusted-list filings")

    def __str__(self):
        return f"{self.system.code} · {self.sector_body}"

    def activity_parent(self):
        return self.system

    def clean(self):
        if self.audit_engagement_id and self.audit_engagement.organization_id != self.organization_id:
            raise ValidationError({"audit_engagement": _("Choose an engagement of this organization.")})


class Comment(EngagementChild):
    """A remark of an auditor or an officer on a criterion, an evidence request or a finding.

    Attributable (the author) and kept: comments are never deleted, only their author corrects
    them, and nothing changes after the sign-off (the engagement's lock)."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="comments", verbose_name=_("engagement")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("criterion"),
    )
    evidence_request = models.ForeignKey(
        EvidenceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("evidence request"),
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("finding"),
    )
    author = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"))

    system_path = "engagement__systems"
    TARGETS = ("criterion", "evidence_request", "finding")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("audit comment")
        verbose_name_plural = _("audit comments")

    def __str__(self):
        return self.text[:80]

    @property
    def target(self):
        return self.criterion or self.evidence_request or self.finding

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Comments are kept: correct the text instead."))

    def clean(self):
        targets = [name for name in self.TARGETS if getattr(self, f"{name}_id")]
        if len(targets) != 1:
            raise ValidationError(_("A comment is on one criterion, evidence request or finding."))
        target = getattr(self, targets[0])
        if target.engagement_id != self.engagement_id:
            raise ValidationError({targets[0]: _("Choose a record of this engagement.")})
        if not self.text.strip():
            raise ValidationError({"text": _("Write the comment.")})


REPORT_LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]


class EngagementReport(TenantModel):
    """One rendering of the final audit report: the PDF stored as a document version.

    Rendered after the sign-off, so it is not locked with the engagement's records; each
    rendering is a new version of the engagement's report document."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="reports", verbose_name=_("engagement")
    )
    version = models.OneToOneField(
        "documents.DocumentVersion",
        on_delete=models.PROTECT,
        related_name="audit_report",
        verbose_name=_("version"),
    )
    language = models.CharField(_("language"), max_length=5, choices=REPORT_LANGUAGES)
    issued_at = models.DateTimeField(_("issued at"))

    engagement_path = "engagement"
    system_path = "engagement__systems"
    objects = EngagementChildQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("audit report")
        verbose_name_plural = _("audit reports")

    def __str__(self):
        return f"{self.engagement} ({self.language})"

    def activity_parent(self):
        return self.engagement
