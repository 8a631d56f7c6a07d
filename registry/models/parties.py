"""Parties around AI systems (developer, integrator, supplier…) and the contracts that bind them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet, TenantModel
from registry.choices import PartyKind, PartyRole
from registry.models.systems import AISystem, country_code_validator
from registry.validators import validate_bin, validate_bin_or_iin, validate_iin


class PartyQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Party(TenantModel):
    """A counterparty in the organization's party register."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=PartyKind.choices)
    identifier = models.CharField(
        _("BIN/IIN"),
        max_length=12,
        blank=True,
        help_text=_("12-digit BIN of a legal entity or IIN of a person; required for Kazakhstani parties."),
    )
    foreign_registration_number = models.CharField(
        _("foreign registration number"), max_length=100, blank=True
    )
    country = models.CharField(_("country"), max_length=2, default="KZ", validators=[country_code_validator])
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)

    # Auditors read the party register of the organizations they audit.
    visible_to_object_scoped_roles = True

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "identifier"],
                condition=~models.Q(identifier=""),
                name="unique_party_identifier_per_org",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        kazakhstani = self.kind in (PartyKind.LEGAL_ENTITY, PartyKind.INDIVIDUAL_ENTREPRENEUR) or (
            self.kind == PartyKind.NATURAL_PERSON and self.country == "KZ"
        )
        if self.kind == PartyKind.FOREIGN_COMPANY:
            if self.country == "KZ":
                errors["country"] = _(
                    "A foreign company is registered outside Kazakhstan: choose its country."
                )
            if self.identifier:
                errors["identifier"] = _(
                    "Foreign companies have no BIN; use the foreign registration number."
                )
        elif kazakhstani and not self.identifier:
            errors["identifier"] = _("A Kazakhstani party needs its BIN or IIN.")
        elif self.identifier:
            validator = {
                PartyKind.LEGAL_ENTITY: validate_bin,
                PartyKind.INDIVIDUAL_ENTREPRENEUR: validate_bin_or_iin,
                PartyKind.NATURAL_PERSON: validate_iin,
            }[self.kind]
            try:
                validator(self.identifier)
            except ValidationError as error:
                errors["identifier"] = error.messages
        if errors:
            raise ValidationError(errors)


class SystemPartyLink(TenantModel):
    """A party's role around one system, with the contract that governs it."""

    system = models.ForeignKey(
        AISystem, on_delete=models.CASCADE, related_name="party_links", verbose_name=_("AI system")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="system_links", verbose_name=_("party")
    )
    role = models.CharField(_("role"), max_length=30, choices=PartyRole.choices)
    contract_reference = models.CharField(_("contract reference"), max_length=200, blank=True)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    contract_starts_on = models.DateField(_("contract starts on"), null=True, blank=True)
    contract_expires_on = models.DateField(_("contract expires on"), null=True, blank=True, db_index=True)
    ai_terms_reviewed = models.BooleanField(_("AI-use terms reviewed"), default=False)
    liability_allocation_reviewed = models.BooleanField(_("allocation of liability reviewed"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    system_path = "system"

    past_date_fields = ("contract_signed_on",)

    class Meta:
        ordering = ["system_id", "role", "party__name"]
        verbose_name = _("party link")
        verbose_name_plural = _("party links")
        constraints = [
            models.UniqueConstraint(fields=["system", "party", "role"], name="unique_party_role_per_system"),
        ]

    def __str__(self):
        return f"{self.party} — {self.get_role_display()} ({self.system.code})"

    def activity_parent(self):
        return self.system

    def clean(self):
        errors = {}
        if self.system_id and self.system.organization_id != self.organization_id:
            errors["system"] = _("Choose a system of this organization.")
        if self.party_id and self.party.organization_id != self.organization_id:
            errors["party"] = _("Choose a party of this organization.")
        start, end = self.contract_starts_on, self.contract_expires_on
        if start and end and end < start:
            errors["contract_expires_on"] = _("The contract cannot expire before it starts.")
        if errors:
            raise ValidationError(errors)
