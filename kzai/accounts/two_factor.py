"""Two-factor sign-in: a TOTP authenticator app, with single-use recovery codes (django-otp).

Who must use it: every organization administrator (settings.KZAI_TWO_FACTOR_FOR_ADMINS), staff, and
every member of an organization that requires it (`Organization.require_two_factor`). A person who
must but has not enrolled is sent to enrolment before anything else; a person who has enrolled is
asked for a code at sign-in. API tokens are not affected: a token is itself a second, separately
issued secret that is never typed in.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kzai.core.roles import Role

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"


def two_factor_required(user, memberships) -> bool:
    """Whether this person must sign in with a second factor (whatever organization is active)."""
    if user.is_staff or user.is_superuser:
        return True
    for membership in memberships:
        if membership.organization.require_two_factor:
            return True
        if settings.KZAI_TWO_FACTOR_FOR_ADMINS and membership.role == Role.ADMIN:
            return True
    return False


def two_factor_enabled(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being enrolled (not yet confirmed); the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def qr_code_svg(text: str) -> str:
    """The text as a QR code, an inline SVG drawn on the server (no script, no outside service)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.KZAI_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_enable(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; returns it and new recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token((code or "").strip().replace(" ", "")):
        raise ValidationError({"code": _("That code is not right. Enter the six digits your app shows now.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, _new_recovery_codes(user)


@transaction.atomic
def two_factor_recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not two_factor_enabled(user):
        raise ValidationError(_("Two-factor sign-in is not turned on."))
    return _new_recovery_codes(user)


@transaction.atomic
def two_factor_disable(*, user, memberships) -> None:
    """Remove the authenticator and the recovery codes, unless this person must use them."""
    if two_factor_required(user, memberships):
        raise ValidationError(_("Your organization requires two-factor sign-in: it cannot be turned off."))
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def verify_code(user, code: str):
    """The device (authenticator or a recovery code, used up) that accepts the code, else None.

    Each device slows down repeated wrong codes (django-otp's throttling).
    """
    code = (code or "").strip().replace(" ", "")
    if not code or len(code) > 16:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


# Where a person who still owes a second factor may go: enrolment and verification themselves,
# signing out, the language switch and the static files those pages need.
_OPEN_PATHS = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/jsi18n/", "/static/", "/healthz")


class TwoFactorRequiredMiddleware:
    """Sends a signed-in person who must use two-factor sign-in to verification or enrolment first.

    Runs after the OTP middleware (which knows whether this session passed a second factor) and after
    the active-organization middleware (which loaded the person's memberships).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PATHS)
            and two_factor_required(user, getattr(request, "memberships", []))
        ):
            enrolled = two_factor_enabled(user)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Two-factor sign-in is required: finish it in the browser first.")},
                    status=403,
                )
            target = reverse("two_factor_verify" if enrolled else "two_factor_setup")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)
