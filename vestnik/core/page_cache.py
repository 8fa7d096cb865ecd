"""A whole-page cache for anonymous readers.

Pages opt in (CachedPageMixin); a response is stored only when it is the same
for every anonymous reader: a GET without a session or message cookie, no
query string other than pagination, status 200, no Set-Cookie. Publishing
anything bumps a generation number that is part of every key, so stale pages
simply stop being found. The front cache in production (nginx) is purged
precisely instead, by the surrogate keys of `front_cache`.

A page is stored once per render in two forms, as it is and gzipped, so that a
hit is served precompressed to whoever accepts gzip (nginx always does, see
deploy/nginx/vestnik-proxy.conf) and nothing is compressed per request.

A miss renders once, however many readers ask at the same moment (single
flight): the first takes a short lock in the cache and renders; the others poll
the cache for its page. A lock outlives a holder that died by at most
`VESTNIK_CORE_PAGE_CACHE_LOCK_SECONDS`; a waiter gives up after
`VESTNIK_CORE_PAGE_CACHE_LOCK_WAIT_SECONDS` and renders the page itself, so a
reader is never held longer than that nor answered with an error. With the
cache unreachable nobody holds a lock, and every request renders.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

logger = logging.getLogger(__name__)

T = TypeVar("T")

GENERATION_KEY = "vestnik:page-cache:generation"
PERSONAL_COOKIES = ("sessionid", "messages")
CACHEABLE_QUERY_KEYS = frozenset({"page"})
# How often a waiter looks for the page another request is rendering: a render
# takes tens of milliseconds, a look one Redis round trip.
LOCK_POLL_SECONDS = 0.02


def _timeout() -> int:
    return int(getattr(settings, "VESTNIK_CORE_PAGE_CACHE_SECONDS", 600))


# The generation a reading request started with: read once, not once per fragment.
_pinned: ContextVar[int | None] = ContextVar("vestnik_page_cache_generation", default=None)


def storing() -> bool:
    """Whether a rendered page is kept at all (a zero timeout turns the store off).

    With nothing kept there is nothing to compress for the cache, and nothing
    for a concurrent request to wait for.
    """
    return _timeout() > 0


def current_generation() -> int:
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def invalidate_all() -> None:
    """Make every cached page stale at once (after a publish, a move, a settings change)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


@contextmanager
def generation_pinned() -> Iterator[None]:
    """Within the block every `current_generation()` is the one read on entering it.

    For a request that only reads (GET, HEAD): its page, fragments and
    remembered data then come from one generation, at the cost of one cache
    read instead of one per fragment. A publish meanwhile is seen by the next
    request, as it would be had it come a moment later.
    """
    try:
        generation = current_generation()
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        yield
        return
    token = _pinned.set(generation)
    try:
        yield
    finally:
        _pinned.reset(token)


def remember(name: str, build: Callable[[], T], *, timeout: int | None = None) -> T:
    """Cache a site-wide read until content changes (the same generation as pages).

    For data every page shows (menu, share networks): one cache read instead of
    a query per page view, and never staler than the pages themselves.
    """
    key = f"vestnik:data:{current_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    return value  # type: ignore[no-any-return]


def request_is_cacheable(request: HttpRequest) -> bool:
    if not getattr(settings, "VESTNIK_CORE_PAGE_CACHE_ENABLED", True):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    cookie_names = {settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES}
    if any(name in request.COOKIES for name in cookie_names):
        return False
    return set(request.GET.keys()) <= CACHEABLE_QUERY_KEYS


def cache_key(host: str, request: HttpRequest, generation: int) -> str:
    url = f"{host}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"vestnik:page:{generation}:{digest}"


def response_is_cacheable(response: HttpResponse) -> bool:
    return (
        getattr(response, "vestnik_page_cache", False) is True
        and response.status_code == 200
        and not response.cookies
        and not response.streaming
    )


def front_timeout() -> int:
    """Seconds nginx may keep a page; purges end it sooner, this bounds a missed purge."""
    return int(getattr(settings, "VESTNIK_CORE_FRONT_CACHE_SECONDS", _timeout()))


def accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def store(key: str, response: HttpResponse, front_cache_keys: set[str]) -> bytes:
    """Keep the page for every anonymous reader; returns its gzipped bytes."""
    headers = {
        name: response[name]
        # The policy names the nonce of the inline scripts in this very HTML.
        for name in ("Content-Type", "Content-Language", "Content-Security-Policy")
        if response.has_header(name)
    }
    compressed = compress_string(response.content)
    cache.set(
        key, (response.content, compressed, headers, sorted(front_cache_keys)), timeout=_timeout()
    )
    return compressed


def compressed_response_use(response: HttpResponse, compressed: bytes) -> None:
    """Answer with the gzipped bytes already made for the cache (the reader accepts gzip)."""
    response.content = compressed
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(compressed))
    patch_vary_headers(response, ("Accept-Encoding",))


def fetch(key: str, *, gzip: bool = False) -> tuple[HttpResponse, set[str]] | None:
    entry = cache.get(key)
    if entry is None or len(entry) != 4:
        return None
    content, compressed, headers, front_cache_keys = entry
    body = compressed if gzip else content
    response = HttpResponse(body)
    response["Content-Length"] = str(len(body))
    for name, value in headers.items():
        response[name] = value
    if gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    response["X-Page-Cache"] = "hit"
    response.vestnik_page_cache = True  # type: ignore[attr-defined]
    return response, set(front_cache_keys)


def _lock_seconds() -> int:
    return int(getattr(settings, "VESTNIK_CORE_PAGE_CACHE_LOCK_SECONDS", 10))


def _lock_wait_seconds() -> float:
    return float(getattr(settings, "VESTNIK_CORE_PAGE_CACHE_LOCK_WAIT_SECONDS", 5))


def _lock_key(key: str) -> str:
    return f"{key}:rendering"


def render_lock_acquire(key: str) -> str | None:
    """A token when this request is to render the page at `key`, None when another is.

    The lock expires by itself, so a worker killed mid-render holds it only
    `VESTNIK_CORE_PAGE_CACHE_LOCK_SECONDS`.
    """
    token = uuid.uuid4().hex
    return token if cache.add(_lock_key(key), token, timeout=_lock_seconds()) else None


def render_lock_release(key: str, token: str) -> None:
    # Only our own lock: one that expired during a very slow render may belong
    # to another request by now. (Between the read and the delete a new holder
    # could slip in; the cost would be one extra render, never a wrong page.)
    if cache.get(_lock_key(key)) == token:
        cache.delete(_lock_key(key))


def rendered_by_another(key: str, *, gzip: bool) -> tuple[HttpResponse, set[str]] | None:
    """Wait for the page another request is rendering; None means: render it yourself.

    Returns at once when nobody holds the lock any more without having stored
    the page (the page was not cacheable, the render failed, or the cache is
    unreachable); otherwise after at most the wait budget.
    """
    deadline = time.monotonic() + _lock_wait_seconds()
    while True:
        if (cached := fetch(key, gzip=gzip)) is not None:
            return cached
        if cache.get(_lock_key(key)) is None or time.monotonic() >= deadline:
            # One last look: the holder may have stored the page and left just now.
            return fetch(key, gzip=gzip)
        time.sleep(LOCK_POLL_SECONDS)
