"""Forms of the register's pages. They shape input; the services decide what is allowed."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.forms import TenantModelForm
from kzai.core.roles import Action
from registry import services
from registry.choices import DataUsePurpose, SyntheticMedium
from registry.fields import SECTION_TITLES, SYSTEM_FACTS, TAGS
from registry.models import AISystem, DataLibrary, Party, SystemComponent, SystemPartyLink
from registry.transfer import IMPORT_HELP, MAX_IMPORT_BYTES, too_big_message


def _formfield(field, **kwargs):
    # Links typed without a scheme are taken as https (Django 6's default, chosen now).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AISystemForm(TenantModelForm):
    synthetic_media = forms.MultipleChoiceField(
        label=_("Synthetic media"),
        choices=SyntheticMedium.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas."),
        max_length=500,
    )

    class Meta:
        model = AISystem
        formfield_callback = _formfield
        fields = [f.name for f in SYSTEM_FACTS if f.is_service_field]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "intended_purpose": forms.Textarea(attrs={"rows": 3}),
        }

    # Shown as fieldsets on the form page, in the declaration's order (tags are typed as names).
    SECTIONS = tuple(
        (title, tuple("tag_names" if f.kind == TAGS else f.name for f in SYSTEM_FACTS if f.section == key))
        for key, title in SECTION_TITLES.items()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tag_names", "").split(",") if t.strip()]

    def save_through_service(self):
        fields = self.service_fields(services.SYSTEM_FIELDS)
        if self.instance.pk:
            return services.ai_system_update(system=self.instance, tags=self.tags(), **fields)
        return services.ai_system_create(
            organization=self.membership.organization, tags=self.tags(), **fields
        )


class PartyForm(TenantModelForm):
    class Meta:
        model = Party
        formfield_callback = _formfield
        fields = sorted(services.PARTY_FIELDS, key=lambda n: Party._meta.get_field(n).creation_counter)
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 3})}

    def save_through_service(self):
        fields = self.service_fields(services.PARTY_FIELDS)
        if self.instance.pk:
            return services.party_update(party=self.instance, **fields)
        return services.party_create(organization=self.membership.organization, **fields)


class PartyLinkForm(TenantModelForm):
    class Meta:
        model = SystemPartyLink
        fields = sorted(
            services.LINK_FIELDS, key=lambda n: SystemPartyLink._meta.get_field(n).creation_counter
        )
        widgets = {
            "contract_signed_on": DATE,
            "contract_starts_on": DATE,
            "contract_expires_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, system, **kwargs):
        self.system = system
        super().__init__(*args, **kwargs)

    def save_through_service(self):
        fields = self.service_fields(services.LINK_FIELDS)
        if self.instance.pk:
            return services.party_link_update(link=self.instance, **fields)
        return services.party_link_create(system=self.system, **fields)


class ComponentForm(TenantModelForm):
    class Meta:
        model = SystemComponent
        fields = sorted(
            services.COMPONENT_FIELDS, key=lambda n: SystemComponent._meta.get_field(n).creation_counter
        )
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, system, **kwargs):
        self.system = system
        super().__init__(*args, **kwargs)

    def save_through_service(self):
        fields = self.service_fields(services.COMPONENT_FIELDS)
        if self.instance.pk:
            return services.component_update(component=self.instance, **fields)
        return services.component_create(system=self.system, **fields)


class DataLibraryForm(TenantModelForm):
    class Meta:
        model = DataLibrary
        fields = sorted(
            services.LIBRARY_FIELDS, key=lambda n: DataLibrary._meta.get_field(n).creation_counter
        )
        widgets = {
            "obtained_on": DATE,
            "last_provenance_review_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "lawful_basis": forms.Textarea(attrs={"rows": 2}),
            "personal_data_consent": forms.Textarea(attrs={"rows": 2}),
            "provenance_evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def save_through_service(self):
        fields = self.service_fields(services.LIBRARY_FIELDS)
        if self.instance.pk:
            return services.data_library_update(library=self.instance, **fields)
        return services.data_library_create(organization=self.membership.organization, **fields)


class LibraryUseForm(forms.Form):
    library = forms.ModelChoiceField(label=_("Data library"), queryset=DataLibrary.objects.none())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=DataUsePurpose.choices)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = DataLibrary.objects.restrict(membership, Action.VIEW).filter(
            archived_at__isnull=True
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=IMPORT_HELP)

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(too_big_message(file.size))
        return file
