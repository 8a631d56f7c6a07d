"""Data libraries (Art. 1, Art. 27): the data sets a system was trained, tuned or evaluated on."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet, TenantModel
from registry.choices import CopyrightStatus, DataSource, DataUsePurpose
from registry.models.parties import Party
from registry.models.systems import AISystem


class DataLibraryQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class DataLibrary(TenantModel):
    """A data library with its producer, lawful basis, consent, copyright and provenance."""

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    producer = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_libraries",
        verbose_name=_("producer"),
        help_text=_("The data library producer (Art. 27(2)(5))."),
    )
    source = models.CharField(_("source"), max_length=20, choices=DataSource.choices)
    lawful_basis = models.TextField(_("lawful basis"), blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    contains_personal_data = models.BooleanField(_("contains personal data"), default=False)
    personal_data_consent = models.TextField(
        _("consent for personal data"),
        blank=True,
        help_text=_("On what consent the personal data was obtained."),
    )
    copyright_status = models.CharField(
        _("copyright status"), max_length=20, choices=CopyrightStatus.choices, default=CopyrightStatus.UNKNOWN
    )
    obtained_on = models.DateField(_("date obtained"), null=True, blank=True)
    provenance_evidence = models.TextField(_("provenance evidence"), blank=True)
    last_provenance_review_on = models.DateField(_("last provenance review"), null=True, blank=True)
    non_targeted_public_extraction = models.BooleanField(
        _("built by non-targeted extraction of personal data from public sources"),
        default=False,
        help_text=_("Prohibited by the amended Personal Data Law: such a library must not be used."),
    )
    systems = models.ManyToManyField(
        AISystem,
        through="DataLibraryUse",
        related_name="data_libraries",
        blank=True,
        verbose_name=_("AI systems"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)

    system_path = "uses__system"

    objects = DataLibraryQuerySet.as_manager()

    past_date_fields = ("obtained_on", "last_provenance_review_on")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("data library")
        verbose_name_plural = _("data libraries")

    def __str__(self):
        return self.name

    @property
    def is_unlawful_extraction(self) -> bool:
        """The flag the register raises: personal data scraped without a target from public sources."""
        return self.non_targeted_public_extraction and self.contains_personal_data

    def clean(self):
        errors = {}
        if self.producer_id and self.producer.organization_id != self.organization_id:
            errors["producer"] = _("Choose a party of this organization.")
        if (
            self.contains_personal_data
            and not self.personal_data_consent.strip()
            and not self.lawful_basis.strip()
        ):
            errors["personal_data_consent"] = _(
                "Personal data needs the consent it was obtained on, or another lawful basis."
            )
        if self.non_targeted_public_extraction and not self.contains_personal_data:
            errors["contains_personal_data"] = _(
                "Non-targeted extraction of personal data means the library contains personal data."
            )
        if (
            self.obtained_on
            and self.last_provenance_review_on
            and self.last_provenance_review_on < self.obtained_on
        ):
            errors["last_provenance_review_on"] = _("A provenance review cannot predate obtaining the data.")
        if errors:
            raise ValidationError(errors)


class DataLibraryUse(TenantModel):
    """Which system uses which data library, and for what (training, tuning, evaluation)."""

    system = models.ForeignKey(
        AISystem, on_delete=models.CASCADE, related_name="data_library_uses", verbose_name=_("AI system")
    )
    library = models.ForeignKey(
        DataLibrary, on_delete=models.CASCADE, related_name="uses", verbose_name=_("data library")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=DataUsePurpose.choices)

    system_path = "system"

    class Meta:
        ordering = ["system_id", "library_id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "library", "purpose"], name="unique_library_use"),
        ]
        verbose_name = _("data library use")
        verbose_name_plural = _("data library uses")

    def __str__(self):
        return f"{self.library} → {self.system.code} ({self.get_purpose_display()})"

    def activity_parent(self):
        return self.system

    def clean(self):
        errors = {}
        if self.system_id and self.system.organization_id != self.organization_id:
            errors["system"] = _("Choose a system of this organization.")
        if self.library_id and self.library.organization_id != self.organization_id:
            errors["library"] = _("Choose a data library of this organization.")
        if errors:
            raise ValidationError(errors)
