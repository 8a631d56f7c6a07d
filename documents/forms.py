"""Forms of the documents pages; saves go through `documents.services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.catalogue.loader import catalogue
from kzai.core.roles import Action
from registry.models import AISystem


class _SystemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class DocumentForm(forms.Form):
    """A document's description and coverage, with its first file when created."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    systems = _SystemsField(
        label=_("AI systems"),
        queryset=AISystem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items = forms.MultipleChoiceField(
        label=_("Documentation items it covers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("File"), required=False)
    change_note = forms.CharField(label=_("Change note"), max_length=500, required=False)

    def __init__(self, *args, membership, with_file=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = (
            AISystem.objects.restrict(membership, Action.VIEW).active().order_by("name", "id")
        )
        self.fields["items"].choices = catalogue().choices()
        if not with_file:
            del self.fields["file"]
            del self.fields["change_note"]


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))
    change_note = forms.CharField(label=_("Change note"), max_length=500, required=False)


class PassportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))],
    )
