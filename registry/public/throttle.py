"""The per-address budget of the anonymous public endpoints (forms, label verification).

Counts live in the default cache (Redis in production, shared by every web process), per scope
and client address, in a fixed window.
"""

from __future__ import annotations

from django.core.cache import cache


def client_address(request) -> str:
    # REMOTE_ADDR is the proxy's when deployed behind one; the proxy must set it from the client
    # (e.g. a trusted X-Forwarded-For rewrite), never from a header the client controls.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_budget(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request against its address; True once the address used up `limit` in the window."""
    key = f"kzai:{scope}:{client_address(request)}"
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit
