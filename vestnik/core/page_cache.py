"""A whole-page cache for anonymous readers.

Pages opt in (CachedPageMixin); a response is stored only when it is the same
for every anonymous reader: a GET without a session or message cookie, no
query string other than pagination, status 200, no Set-Cookie. Publishing
anything bumps a generation number that is part of every key, so stale pages
simply stop being found. The front cache in production (nginx) is purged
precisely instead, by the surrogate keys of `front_cache`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

GENERATION_KEY = "vestnik:page-cache:generation"
PERSONAL_COOKIES = ("sessionid", "messages")
CACHEABLE_QUERY_KEYS = frozenset({"page"})


def _timeout() -> int:
    return int(getattr(settings, "VESTNIK_CORE_PAGE_CACHE_SECONDS", 600))


def current_generation() -> int:
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


def store(key: str, response: HttpResponse, front_cache_keys: set[str]) -> None:
    headers = {
        name: response[name]
        # The policy names the nonce of the inline scripts in this very HTML.
        for name in ("Content-Type", "Content-Language", "Content-Security-Policy")
        if response.has_header(name)
    }
    cache.set(key, (response.content, headers, sorted(front_cache_keys)), timeout=_timeout())


def fetch(key: str) -> tuple[HttpResponse, set[str]] | None:
    entry = cache.get(key)
    if entry is None or len(entry) != 3:
        return None
    content, headers, front_cache_keys = entry
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    response.vestnik_page_cache = True  # type: ignore[attr-defined]
    return response, set(front_cache_keys)
