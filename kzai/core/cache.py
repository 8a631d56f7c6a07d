"""Per-organization cache of data that is read on every page but changes rarely.

Keys always carry the organization's id (`kzai:org:<id>:<name>`), so nothing cached for one
organization is ever served to another; values computed for object-scoped roles (auditors, who see
only granted systems) are never cached here — callers compute those directly. A change forgets the
value at once and again when its transaction commits (a request that read the old rows while the
change was being made cannot leave them behind); the timeout bounds what a change made outside the
services (a bulk write that sends no signal) could leave stale.

Also here: the Redis cache backend the settings name (Django's, reusing its client) and the
windowed hit counter the API throttles use.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
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


class _OneClientPerPool(RedisCacheClient):
    """Django builds a new `redis.Redis` (with its table of ~200 response callbacks) for every cache
    call, five per API request (throttles). One client per connection pool serves
    them all (a client holds no connection of its own: each command borrows one from the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache with one client per pool, and its raw client for atomic counters."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def raw_client(self):
        return self._cache.get_client(write=True)


def count_hit(key: str, duration: int) -> tuple[int, int]:
    """Count one hit in `key`'s current window of `duration` seconds; return the hits counted in this
    window (this one included) and in the one before, for the rate limits.

    On Redis one round trip (INCR, EXPIRE, GET), atomic across web processes; on another cache (the
    demo's local memory) with `add`/`incr`.
    """
    window = int(time.time() // duration)
    current, previous = f"{key}:{window}", f"{key}:{window - 1}"
    redis_cache = caches["default"]
    if isinstance(redis_cache, RedisCache):
        current_key = redis_cache.make_and_validate_key(current)
        with redis_cache.raw_client().pipeline(transaction=False) as pipe:
            pipe.incr(current_key)
            pipe.expire(current_key, 2 * duration)
            pipe.get(redis_cache.make_and_validate_key(previous))
            hits, _expiry, before = pipe.execute()
        return int(hits), int(before or 0)
    if cache.add(current, 1, 2 * duration):
        hits = 1
    else:
        try:
            hits = cache.incr(current)
        except ValueError:  # expired between the two calls
            cache.add(current, 1, 2 * duration)
            hits = 1
    return hits, int(cache.get(previous) or 0)
