from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import User
from kzai.core.roles import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, e.g. “CMDB sync”."),
    )
    read_only = forms.BooleanField(label=_("Read-only"), required=False)
    expires_at = forms.DateTimeField(
        label=_("Expires at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, email="", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif cleaned.get("password1"):
            validate_password(cleaned["password1"], User(email=self.email))
        return cleaned


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    notify_by_email = forms.BooleanField(
        label=_("Send notifications by e-mail"),
        required=False,
        help_text=_("When off, notifications appear in the portal only."),
    )
    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=[("", _("The organization's language")), *settings.LANGUAGES],
        required=False,
    )


class OrganizationLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of e-mails to members who have not chosen their own"),
        choices=[("", _("The portal's default language")), *settings.LANGUAGES],
        required=False,
    )
