"""Forms of the officer's public-side pages; each saves through a service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.public import services
from registry.public.models import AgreementVersion, PublicPage


class PublicPageForm(forms.ModelForm):
    """The public address and the texts per language (kk, ru, en) of a system's public page."""

    class Meta:
        model = PublicPage
        fields = services.PUBLIC_PAGE_FIELDS

    def __init__(self, *args, membership=None, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.system = system

    def _post_clean(self):
        pass  # the service validates the model (it knows whether the page is published)

    def save_through_service(self):
        return services.public_page_save(
            system=self.system, **{name: self.cleaned_data[name] for name in services.PUBLIC_PAGE_FIELDS}
        )


class AgreementVersionForm(forms.ModelForm):
    """A new version of the user agreement: its text per language and the day it takes effect."""

    class Meta:
        model = AgreementVersion
        fields = ("effective_on", *services.AGREEMENT_TEXT_FIELDS)
        widgets = {"effective_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"effective_on": _("The day from which this version applies (Asia/Almaty).")}

    def __init__(self, *args, membership=None, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.system = system

    def _post_clean(self):
        pass  # number and organization are set by the service, which validates the whole model

    def save_through_service(self):
        return services.agreement_version_add(
            system=self.system,
            effective_on=self.cleaned_data["effective_on"],
            **{name: self.cleaned_data[name] for name in services.AGREEMENT_TEXT_FIELDS},
        )


class PublicPageFilterForm(forms.Form):
    published = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", _("Published")), ("no", _("Not published"))],
    )
