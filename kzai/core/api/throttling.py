"""API throttles: per token (or signed-in session), per client address, and for invalid tokens.

Counts live in the default cache (Redis when REDIS_URL is set, so every web process shares them;
local memory in the demo). Rates come from settings.KZAI_API_THROTTLE_RATES and are read on each
request, so they follow the settings (and `override_settings` in tests).

The token and address throttles see every request, so they count in windows (`_WindowRateThrottle`:
one Redis round trip, a few bytes) rather than keeping DRF's list of every request's time, which at
600 requests a minute is pickled, sent, read back and unpickled twice per request. The throttle for
invalid tokens, which records only failures, keeps DRF's exact sliding log.
"""

import math
import time

from django.conf import settings
from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from kzai.core.cache import count_hit


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return settings.KZAI_API_THROTTLE_RATES.get(self.scope)


class _WindowRateThrottle(BaseThrottle):
    """`scope`'s rate ("N/period") over a sliding window estimated from two fixed ones.

    The requests of the current window, plus those of the previous window weighted by how much of it
    still lies within one period of now, must stay within N (the estimate Cloudflare and nginx-style
    limiters use; exact when requests are evenly spread). A refused request counts too, so a client
    that keeps sending while refused stays refused.
    """

    scope: str = ""
    cache_format = "throttle_%(scope)s_%(ident)s"

    def get_rate(self):
        return settings.KZAI_API_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):  # pragma: no cover - every subclass names its key
        raise NotImplementedError

    def allow_request(self, request, view):
        rate = self.get_rate()
        if rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        number, period = rate.split("/")
        duration = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
        hits, before = count_hit(key, duration)
        into_window = time.time() % duration
        if hits + before * (1 - into_window / duration) <= int(number):
            return True
        self._wait = duration - into_window  # by then this window's requests weigh less
        return False

    def wait(self):
        return getattr(self, "_wait", None)


class TokenRateThrottle(_WindowRateThrottle):
    """Requests per API token; a browser session calling the API is counted per user."""

    scope = "token"

    def get_cache_key(self, request, view):
        from kzai.accounts.models import ApiToken

        if isinstance(request.auth, ApiToken):
            # The stored hash (not the id) names the token: ids restart in a fresh test database.
            ident = f"token-{request.auth.key_hash[:32]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AddressRateThrottle(_WindowRateThrottle):
    """Requests per client address, whoever sends them (X-Forwarded-For only behind our proxy)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiAddressThrottleMiddleware:
    """Counts every API request against its address, before authentication and permissions.

    DRF checks throttles only after the permission check, so a request without credentials (or with
    a bad token) would never be counted there; here every request to /api/ is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            throttle = AddressRateThrottle()
            if not throttle.allow_request(request, None):
                return throttled_response(throttle.wait())
        return self.get_response(request)


def throttled_response(wait: float | None) -> JsonResponse:
    """429 with Retry-After, worded as DRF words it."""
    error = exceptions.Throttled(wait)
    response = JsonResponse({"detail": str(error.detail)}, status=429)
    response["Retry-After"] = str(max(1, math.ceil(wait or 1)))
    return response


class InvalidTokenThrottle(_SettingsRateThrottle):
    """Invalid bearer tokens per client address.

    Authentication fails before DRF's throttles run, so the token authentication asks this one
    directly: `wait_before_next(request)` before looking a token up, `record(request)` after an
    invalid one.
    """

    scope = "invalid_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def wait_before_next(self, request) -> float | None:
        """Seconds to wait when the address has used up its invalid tokens, else None."""
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.wait() or 1
        return None

    def record(self, request) -> None:
        if self.rate is None:
            return
        if self.wait_before_next(request) is None:
            self.throttle_success()
