"""Per-organization cache of data that is read on every page but changes rarely.

Keys always carry the organization's id (`kzai:org:<id>:<name>`), so nothing cached for one
organization is ever served to another; values computed for object-scoped roles (auditors, who see
only granted systems) are never cached here — callers compute those directly. A change forgets the
value at once and again when its transaction commits (a request that read the old rows while the
change was being made cannot leave them behind); the timeout bounds what a change made outside the
services (a bulk write that sends no signal) could leave stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

DEFAULT_TIMEOUT = 300  # seconds


def org_cache_key(organization_id: int, name: str) -> str:
    return f"kzai:org:{int(organization_id)}:{name}"


def org_cached(
    organization_id: int, name: str, compute: Callable[[], T], timeout: int = DEFAULT_TIMEOUT
) -> T:
    """`compute()`'s value for the organization, from the cache when it is there."""
    key = org_cache_key(organization_id, name)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def org_cache_forget(organization_id: int | None, *names: str) -> None:
    """Forget the named values of one organization, now and when the current transaction commits."""
    if organization_id is None:
        return
    keys = [org_cache_key(organization_id, name) for name in names]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
