"""Sign-in with a second factor, enrolment in the profile, and the organization's requirement."""

import time
from base64 import b32encode

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from kzai.accounts import services
from kzai.accounts.models import User
from kzai.accounts.two_factor import (
    pending_authenticator,
    qr_code_svg,
    two_factor_disable,
    two_factor_enable,
    two_factor_enabled,
    two_factor_recovery_codes_renew,
    two_factor_required,
    verify_code,
)
from kzai.core.roles import Action
from kzai.core.views import TenantMixin, apply_validation_error

PENDING_KEY = "kzai_two_factor_pending"
PENDING_SECONDS = 5 * 60


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _safe_next(request, value) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return "/"


class SignInView(auth_views.LoginView):
    """The password step; a person with two-factor sign-in is asked for a code before being signed in."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("two_factor_verify")


def two_factor_verify(request):
    """The second step of sign-in (or of a session that must still pass a second factor)."""
    pending = request.session.get(PENDING_KEY) or {}
    if request.user.is_authenticated:
        user, backend = request.user, None
        next_url = request.POST.get("next") or request.GET.get("next")
    elif pending and time.time() - pending.get("at", 0) < PENDING_SECONDS:
        user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
        backend, next_url = pending.get("backend"), pending.get("next")
    else:
        user = None
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Sign in again to continue."))
        return redirect("login")
    if user.is_authenticated and getattr(user, "is_verified", lambda: False)() and request.user == user:
        return redirect(_safe_next(request, next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_code(user, form.cleaned_data["code"])
        if device is not None:
            if not request.user.is_authenticated:
                login(request, user, backend=backend)
            otp_login(request, device)
            request.session.pop(PENDING_KEY, None)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(left)s are left. Make new ones in your profile.")
                    % {"left": left},
                )
            return redirect(_safe_next(request, next_url))
        form.add_error("code", _("That code is not right, or it was already used."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url or ""})


def _secret(device) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
def two_factor_setup(request):
    """Turn on two-factor sign-in (scan, confirm with a code), renew recovery codes, or turn it off."""
    user = request.user
    memberships = getattr(request, "memberships", [])
    required = two_factor_required(user, memberships)
    enabled = two_factor_enabled(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = CodeForm(request.POST if action == "enable" else None)
    codes = None
    try:
        if action == "enable" and not enabled and form.is_valid():
            device, codes = two_factor_enable(user=user, code=form.cleaned_data["code"])
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on."))
        elif action == "renew" and enabled:
            codes = two_factor_recovery_codes_renew(user=user)
            messages.success(request, _("New recovery codes made; the old ones no longer work."))
        elif action == "disable" and enabled:
            two_factor_disable(user=user, memberships=memberships)
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two_factor_setup")
    except ValidationError as error:
        if action == "enable":
            apply_validation_error(form, error)
        else:
            messages.error(request, " ".join(error.messages))
    enabled = two_factor_enabled(user)
    context = {"enabled": enabled, "required": required, "codes": codes, "form": form}
    if not enabled:
        device = pending_authenticator(user)
        context.update(qr_svg=qr_code_svg(device.config_url), secret=_secret(device))
    if enabled:
        context["codes_left"] = sum(d.token_set.count() for d in StaticDevice.objects.filter(user=user))
    context["next"] = _safe_next(request, request.GET.get("next")) if request.GET.get("next") else ""
    return render(request, "accounts/two_factor_setup.html", context)


class OrganizationTwoFactorView(TenantMixin, View):
    """An administrator requires (or stops requiring) two-factor sign-in for every member."""

    def get_required_action(self):
        return Action.MANAGE_MEMBERS if self.request.method == "POST" else Action.VIEW

    def post(self, request):
        required = request.POST.get("require_two_factor") == "on"
        services.organization_two_factor_set(organization=self.organization, required=required)
        if required:
            messages.success(request, _("Every member now signs in with two-factor authentication."))
        else:
            messages.success(request, _("Two-factor sign-in is required of administrators only."))
        return redirect("members")


organization_two_factor = OrganizationTwoFactorView.as_view()
