"""Sign-in lockout after repeated failures (django-axes), as kzai shows and records it."""

from __future__ import annotations

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def username_from_request(request, credentials=None) -> str | None:
    """The e-mail address tried, lower-cased so that changing its case does not escape the lockout."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    return value.strip().lower()[:254] if isinstance(value, str) else value


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed sign-in attempts. Sign-in is locked for %(minutes)s minutes; try again later "
        "or ask an administrator of your organization to unlock your account."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, with the lockout explained, answered with 429 Too Many Requests."""
    username = username_from_request(request, credentials) or ""
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "lockout_message": lockout_message(),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "registration/login.html", context, status=429)


def locked_usernames(usernames) -> set[str]:
    """Which of these (lower-cased) e-mail addresses are locked out right now."""
    usernames = [u.lower() for u in usernames]
    if not usernames:
        return set()
    since = timezone.now() - get_cool_off()
    rows = AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since).values_list(
        "username", "failures_since_start"
    )
    totals: dict[str, int] = {}
    for username, failures in rows:
        totals[username] = totals.get(username, 0) + failures
    limit = settings.AXES_FAILURE_LIMIT
    return {username for username, failures in totals.items() if failures >= limit}


def on_user_locked_out(sender, request, username, ip_address, **kwargs):
    """Record a new lockout on every active membership of the account, once per lockout.

    django-axes signals again on each refused attempt during the lockout; only the failure that
    reached the limit is recorded.
    """
    if getattr(request, "axes_failures_since_start", None) != get_failure_limit(request, None):
        return
    from kzai.accounts.services import sign_in_lockout_record

    sign_in_lockout_record(email=username or "", ip_address=ip_address or "")
