"""A Redis cache that the site outlives.

Django's RedisCache raises when Redis cannot be reached, and every page reads
the cache (the page cache, the menu, sessions), so a dead Redis would take the
site down with it. This backend answers like an empty cache instead: reads
miss, writes are dropped, and pages are rendered from the database.

Three details make that cheap and safe:

- Short socket timeouts, and a circuit breaker: after a failure the backend
  stops talking to Redis for a few seconds, so a dead or unroutable Redis costs
  one timeout per few seconds per process, not one per cache call.
- One warning per minute per process, not one per request.
- Writes dropped during an outage (a publish bumping the page generation, a
  sign-out deleting a cached session) would leave stale entries behind if Redis
  only became unreachable and kept its data. So when Redis answers again after
  such a drop, the backend clears the cache before using it: a cold cache is
  slower, a stale one shows withdrawn pages or keeps a signed-out editor in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

import redis.exceptions

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Failures of the service rather than of our code: Redis is gone, slow, still
# loading its data after a restart (BusyLoadingError is a ConnectionError), out
# of memory under `noeviction`, or a replica after a failover.
UNAVAILABLE = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.ReadOnlyError,
)
# Redis on the same network answers in a millisecond; anything slower means it
# is in trouble and the page should be rendered rather than wait. A REDIS_URL
# query string (`?socket_timeout=2`) overrides these.
DEFAULT_CLIENT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
DEFAULT_BREAKER_SECONDS = 5.0
WARNING_INTERVAL_SECONDS = 60.0


class CircuitBreaker:
    """Whether to talk to one Redis, shared by every thread of a process.

    Django builds a cache backend per thread, so the state lives here, keyed
    by the server list, rather than on the backend.
    """

    def __init__(self, name: str, open_seconds: float) -> None:
        self.name = name
        self.open_seconds = open_seconds
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self._failing = False
        self._dropped_writes = False
        self._warned_at: float | None = None

    def allows_call(self) -> bool:
        return time.monotonic() >= self._retry_at

    def needs_clearing(self) -> bool:
        return self._failing and self._dropped_writes

    def record_failure(self, error: Exception, *, write: bool) -> None:
        now = time.monotonic()
        with self._lock:
            self._failing = True
            self._retry_at = now + self.open_seconds
            self._dropped_writes = self._dropped_writes or write
            warn = self._warned_at is None or now - self._warned_at >= WARNING_INTERVAL_SECONDS
            if warn:
                self._warned_at = now
        if warn:
            logger.warning(
                "Redis cache %s unavailable (%s: %s); serving uncached, retrying every %ss",
                self.name,
                type(error).__name__,
                error,
                self.open_seconds,
            )

    def record_dropped_write(self) -> None:
        self._dropped_writes = True

    def record_success(self) -> None:
        if not self._failing:
            return
        with self._lock:
            was_failing, self._failing = self._failing, False
            self._dropped_writes = False
            self._warned_at = None
        if was_failing:
            logger.info("Redis cache %s reachable again", self.name)


_breakers: dict[tuple[str, ...], CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(servers: Iterable[str], open_seconds: float) -> CircuitBreaker:
    key = tuple(servers)
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None:
            # The name goes into logs: keep the host, never the password.
            name = ",".join(server.rpartition("@")[2] for server in key)
            breaker = _breakers[key] = CircuitBreaker(name, open_seconds)
        breaker.open_seconds = open_seconds
        return breaker


class ResilientRedisCache(RedisCache):
    """RedisCache that behaves as an empty cache while Redis is unreachable.

    OPTIONS take Django's RedisCache options (passed to redis-py's connection
    pool) plus CIRCUIT_BREAKER_SECONDS, how long to leave Redis alone after a
    failure (default 5).
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        open_seconds = float(options.pop("CIRCUIT_BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._options = {**DEFAULT_CLIENT_OPTIONS, **options}
        self.breaker = _breaker_for(self._servers, open_seconds)  # type: ignore[attr-defined]

    def _call(self, call: Callable[[], T], fallback: T, *, write: bool) -> T:
        breaker = self.breaker
        if not breaker.allows_call():
            if write:
                breaker.record_dropped_write()
            return fallback
        try:
            if breaker.needs_clearing():
                self._cache.clear()
            result = call()
        except UNAVAILABLE as error:
            breaker.record_failure(error, write=write)
            return fallback
        breaker.record_success()
        return result

    def ping(self) -> None:
        """Ask Redis directly, past the breaker; raises when it does not answer (readiness)."""
        self._cache.get_client(write=True).ping()

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._call(partial(super().add, key, value, timeout, version), False, write=True)

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        return self._call(partial(super().get, key, default, version), default, write=False)

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._call(partial(super().set, key, value, timeout, version), None, write=True)

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._call(partial(super().touch, key, timeout, version), False, write=True)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(partial(super().delete, key, version), False, write=True)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._call(partial(super().get_many, keys, version), {}, write=False)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(partial(super().has_key, key, version), False, write=False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # The count is unknown while Redis is away; ValueError is what incr
        # raises for a missing key, which callers already handle.
        result = self._call(partial(super().incr, key, delta, version), None, write=True)
        if result is None:
            raise ValueError(f"Key {key!r} not available: the Redis cache is unreachable.")
        return int(result)

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        return self._call(partial(super().set_many, data, timeout, version), list(data), write=True)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._call(partial(super().delete_many, keys, version), None, write=True)

    def clear(self) -> None:
        self._call(partial(super().clear), None, write=True)
