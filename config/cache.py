"""The shared cache: Redis, and the database cache while Redis does not answer.

allauth keeps its rate-limit counters and the TOTP codes already used (replay protection) in
Django's default cache (``allauth.core.internal.ratelimit`` uses ``cache.add`` as a lock and
``cache.get``/``cache.set`` for each hit history; ``allauth.mfa.totp`` uses ``cache.add``). With
Redis alone, a Redis outage made every sign-in a 500. A per-process fallback (local memory)
would let each web process count on its own, multiplying the limits by the number of
processes, so the fallback is the database cache (``createcachetable``): still one store for
every web process, on the database we cannot work without anyway.

When a Redis call fails with a connection error or timeout, this process uses the database
cache for ``REDIS_RETRY_SECONDS`` before trying Redis again, so an outage costs at most one
short connection attempt per process per interval. What it gives up (docs/operations.md):
counters written to Redis before the outage are not seen in the database cache, so a limit
can restart from zero once per outage, and a TOTP code used in the 30 s before the switch
could be used once more.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_RETRY_SECONDS = 30.0
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
# Shared by every thread of the process: one failed attempt switches them all.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class RedisWithDatabaseFallback(BaseCache):
    """CACHES backend: LOCATION is the Redis URL, OPTIONS["FALLBACK"] the alias of the
    database cache (a separate entry, so ``createcachetable`` knows its table)."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = dict(params.get("OPTIONS", {}))
        self.fallback_alias = options.pop("FALLBACK")
        shared = {key: params[key] for key in ("TIMEOUT", "KEY_PREFIX", "VERSION") if key in params}
        self.location = location
        self.redis = RedisCache(location, {**shared, "OPTIONS": options})

    @property
    def database(self) -> BaseCache:
        return caches[self.fallback_alias]

    # -- which store ---------------------------------------------------------------------------

    def redis_down(self) -> bool:
        return time.monotonic() < _down_until.get(self.location, 0.0)

    def redis_answers(self) -> bool:
        """Ask Redis now (for /healthz), whatever the last call found."""
        try:
            self.redis.get("healthz")
        except REDIS_DOWN:
            return False
        with _lock:
            _down_until.pop(self.location, None)
        return True

    def _call(self, method: str, *args: Any) -> Any:
        if not self.redis_down():
            try:
                return getattr(self.redis, method)(*args)
            except REDIS_DOWN as exc:
                with _lock:
                    _down_until[self.location] = time.monotonic() + REDIS_RETRY_SECONDS
                logger.warning(
                    "cache: Redis unavailable (%s); using the database cache for %d s",
                    type(exc).__name__, REDIS_RETRY_SECONDS,
                )
        return getattr(self.database, method)(*args)

    # -- the cache API, each call to whichever store is up ---------------------------------------

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call("add", key, value, timeout, version)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", key, default, version)

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        return self._call("set", key, value, timeout, version)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call("touch", key, timeout, version)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._call("delete", key, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        return self._call("get_many", keys, version)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._call("has_key", key, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return self._call("incr", key, delta, version)

    def set_many(self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list:
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        return self._call("delete_many", keys, version)

    def clear(self) -> None:
        return self._call("clear")

    def close(self, **kwargs: Any) -> None:
        self.redis.close(**kwargs)
