"""AI systems: the unified register at the heart of kzai."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet, TenantModel
from registry.choices import (
    AutonomyLevel,
    DecisionRole,
    Deployment,
    HostedWhere,
    InteractionChannel,
    LifecycleStage,
    OrganizationRole,
    RiskLevel,
    Sector,
    SyntheticMedium,
)
from registry.fields import CLASSIFICATION_FACTS  # noqa: F401 (re-exported for the risk app)
from registry.validators import system_contradictions

country_code_validator = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO 3166 country code, e.g. KZ."))
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", _("Use up to 40 letters, digits, dots, hyphens or underscores.")
)


class Tag(TenantModel):
    name = models.CharField(_("name"), max_length=50)

    visible_to_object_scoped_roles = True

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_tag_per_org")]

    def __str__(self):
        return self.name


class AISystemQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class AISystem(TenantModel):
    """An AI system the organization owns, possesses or uses (Art. 1: an informatisation object
    based on one or more AI models)."""

    # Identification
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("internal code"),
        max_length=40,
        validators=[code_validator],
        help_text=_("Unique within the organization, e.g. CRM-SCORE-01."),
    )
    description = models.TextField(_("description"), blank=True)
    intended_purpose = models.TextField(
        _("intended purpose"), help_text=_("What the system is for; risks are assessed against it.")
    )
    business_unit = models.CharField(_("business unit"), max_length=200, blank=True)
    responsible_officer = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    technical_owner = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("technical owner"),
    )
    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=20,
        choices=LifecycleStage.choices,
        default=LifecycleStage.DESIGN,
        db_index=True,
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="systems", verbose_name=_("tags"))
    organization_role = models.CharField(
        _("our role under the law"),
        max_length=20,
        choices=OrganizationRole.choices,
        db_index=True,
        help_text=_("Owner, possessor or user of the system (Art. 15, Art. 16)."),
    )

    # What the system does: facts that drive classification and obligations
    generates_synthetic_content = models.BooleanField(_("generates synthetic content"), default=False)
    synthetic_media = models.JSONField(
        _("synthetic media"), default=list, blank=True, help_text=_("Which media: text, image, audio, video.")
    )
    interacts_with_natural_persons = models.BooleanField(_("interacts with natural persons"), default=False)
    interaction_channel = models.CharField(
        _("interaction channel"), max_length=20, blank=True, choices=InteractionChannel.choices
    )
    decision_role = models.CharField(
        _("decisions on people's rights"),
        max_length=10,
        choices=DecisionRole.choices,
        default=DecisionRole.NONE,
        help_text=_("Whether it takes or prepares decisions that create, change or end a person's rights."),
    )
    processes_personal_data = models.BooleanField(_("processes personal data"), default=False)
    processes_biometric_data = models.BooleanField(_("processes biometric data"), default=False)
    recognises_emotions = models.BooleanField(_("recognises emotions"), default=False)
    profiles_people = models.BooleanField(_("scores or profiles people"), default=False)
    consumer_facing = models.BooleanField(_("part of goods or services sold to consumers"), default=False)
    critical_ict_infrastructure = models.BooleanField(
        _("critical ICT infrastructure object"),
        default=False,
        help_text=_("The system is, or runs on, a critically important object of ICT infrastructure."),
    )
    state_information_resource = models.BooleanField(
        _("forms state electronic information resources"),
        default=False,
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, db_index=True)

    # Technology and hosting
    deployment = models.CharField(
        _("deployment"), max_length=20, choices=Deployment.choices, default=Deployment.ON_PREMISES
    )
    hosting_country = models.CharField(
        _("country of hosting"), max_length=2, default="KZ", validators=[country_code_validator]
    )
    data_leaves_kazakhstan = models.BooleanField(_("data leaves Kazakhstan"), default=False)
    uses_foreign_platform = models.BooleanField(_("sends data to a foreign AI platform"), default=False)
    user_agreement_url = models.URLField(_("user agreement URL"), blank=True)
    user_agreement_version = models.CharField(_("user agreement version"), max_length=50, blank=True)
    support_contact = models.CharField(
        _("support contact"),
        max_length=200,
        blank=True,
        help_text=_("Where users report errors and ask for explanations."),
    )

    # Classification state, written only by the risk app's services (denormalised for lists).
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True, db_index=True
    )
    autonomy_level = models.CharField(
        _("autonomy level"), max_length=10, choices=AutonomyLevel.choices, blank=True
    )
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    first_classified_at = models.DateTimeField(_("first classified at"), null=True, blank=True)
    classification_stale = models.BooleanField(_("classification out of date"), default=False)
    is_prohibited = models.BooleanField(
        _("has a prohibited capability"),
        default=False,
        help_text=_("Set by the banned-practice screen; such a system cannot be put into operation."),
    )
    has_contradictions = models.BooleanField(
        _("contradicts its screen or classification"),
        default=False,
        db_index=True,
        help_text=_(
            "Set by the risk app: a register fact contradicts an answer of the banned-practice screen "
            "or of the classification, and no explanation has been recorded yet."
        ),
    )

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)

    system_path = ""

    objects = AISystemQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("AI system")
        verbose_name_plural = _("AI systems")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="unique_system_code_per_org"),
        ]
        indexes = [
            models.Index(fields=["organization", "archived_at", "name"]),
            # The register's default order (active systems by name): a page is read from the index.
            # Its search is served by trigram indexes on PostgreSQL (migration 0006).
            models.Index(
                fields=["organization", "name", "id"],
                name="system_register_order",
                condition=models.Q(archived_at__isnull=True),
            ),
            # Every page of the register (and of the API) counts its active systems: read from this
            # narrow index (index-only, ~1 ms at 10,000 systems) rather than the table (~4 ms).
            models.Index(
                fields=["organization"],
                name="system_active_count",
                condition=models.Q(archived_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def clean(self):
        errors = {}
        media = self.synthetic_media or []
        if not isinstance(media, list) or any(m not in SyntheticMedium.values for m in media):
            errors["synthetic_media"] = _("Choose among: %(choices)s.") % {
                "choices": ", ".join(SyntheticMedium.values)
            }
        elif self.generates_synthetic_content and not media:
            errors["synthetic_media"] = _("Say which media the synthetic content is in.")
        elif not self.generates_synthetic_content and media:
            errors["synthetic_media"] = _(
                "Only systems that generate synthetic content have synthetic media."
            )
        errors.update(system_contradictions(self))
        for field in ("responsible_officer", "technical_owner"):
            member = getattr(self, field)
            if member is not None and member.organization_id != self.organization_id:
                errors[field] = _("Choose a member of this organization.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class SystemComponent(TenantModel):
    """A model or component the system is built on (Art. 1: one or more AI models)."""

    system = models.ForeignKey(
        AISystem, on_delete=models.CASCADE, related_name="components", verbose_name=_("AI system")
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=100, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    provider_party = models.ForeignKey(
        "registry.Party",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("provider (party)"),
    )
    hosted_where = models.CharField(
        _("hosted where"), max_length=20, choices=HostedWhere.choices, default=HostedWhere.ON_PREMISES
    )
    notes = models.TextField(_("notes"), blank=True)

    system_path = "system"

    class Meta:
        ordering = ["system_id", "name"]
        verbose_name = _("component")
        verbose_name_plural = _("components")

    def __str__(self):
        return f"{self.name} {self.version}".strip()

    def activity_parent(self):
        return self.system

    def clean(self):
        if self.provider_party_id and self.provider_party.organization_id != self.organization_id:
            raise ValidationError({"provider_party": _("Choose a party of this organization.")})
