"""How many API requests one client address may make a minute (`VESTNIK_API_ANON_RATE`),
or one API key at its own rate (`api.keys`).

Counted in the shared cache, per minute from an address's first request (a
fixed window), under a salted hash of the
address `core.client_address.client_ip` reports (the real client behind our own
proxies): nothing about the reader is stored. A request over the limit is
answered 429 with `Retry-After` (the seconds left in the minute) and the API's
error shape, code `rate_limited`. 0 turns the limit off. If the cache is down
the request is let through: a broken counter must not close the API.

A request with a valid key is counted under the key, not its address, at the
key's `rate_per_minute` (0: no limit).

Responses nginx serves from its cache never reach Django and are not counted.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from vestnik.api.keys import ValidKey
from vestnik.core.client_address import client_ip

logger = logging.getLogger(__name__)

DEFAULT_RATE = 120
WINDOW_SECONDS = 60


def anon_rate() -> int:
    """Requests a minute one address may make; 0 for no limit."""
    return int(getattr(settings, "VESTNIK_API_ANON_RATE", DEFAULT_RATE))


def _key(request: HttpRequest) -> str:
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:api-rate:{client_ip(request)}".encode()
    ).hexdigest()
    return f"vestnik:api:rate:{digest[:32]}"


def seconds_to_wait(request: HttpRequest, *, api_key: ValidKey | None = None) -> int | None:
    """Count this request; None if it may go on, else the seconds until the next window.

    With a valid key the key's own count and rate, else the address's.
    """
    if api_key is not None:
        return _counted(f"vestnik:api:rate:key:{api_key.id}", api_key.rate_per_minute)
    return _counted(_key(request), anon_rate())


def _counted(key: str, limit: int) -> int | None:
    if limit <= 0:
        return None
    now = time.time()
    try:
        # The window opens with the address's first request and its count expires with it.
        if cache.add(key, 0, timeout=WINDOW_SECONDS):
            cache.set(f"{key}:start", now, timeout=WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS)
            cache.set(f"{key}:start", now, timeout=WINDOW_SECONDS)
            count = 1
        if count <= limit:
            return None
        start = cache.get(f"{key}:start", now)
    except Exception:
        logger.warning("cache unavailable for the API's rate limit", exc_info=True)
        return None
    return max(1, min(WINDOW_SECONDS, int(float(start) + WINDOW_SECONDS - now + 0.999)))
