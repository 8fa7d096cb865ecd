"""HTTP behaviour shared by every endpoint: validators, caching, CORS, HEAD and OPTIONS.

Each URL pattern of the API is wrapped (`urls_wrapped`), outside django-ninja:

- a GET answered 200 gets a strong `ETag` (a digest of the body) and a
  `Last-Modified` (when this very body was first served, remembered in the
  cache), and `If-None-Match` / `If-Modified-Since` are answered 304;
- `Cache-Control: public, max-age=…` unless the endpoint set its own; the
  front-cache keys the endpoint noted (`core.front_cache.depends_on`) are
  recorded for the URL, the way the page middleware records a page's, so a
  publish purges the API's copies in nginx with the pages they mirror;
- `Access-Control-Allow-Origin: *` on GET, HEAD and OPTIONS: the data is public;
- HEAD is a GET without a body, OPTIONS a CORS preflight for reading;
- every other request counts toward its address's limit (`api.throttle`),
  answered 429 `rate_limited` with `Retry-After` over it; a request with an API
  key (`api.keys`) counts toward the key's own limit instead, and a key that is
  unknown or revoked is answered 401 `invalid_api_key` (never taken as anonymous:
  the client must learn its key is wrong), counted toward the address's limit.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from vestnik.api.errors import error_response
from vestnik.api.keys import ValidKey, api_key_used, presented_key, valid_key
from vestnik.api.throttle import seconds_to_wait
from vestnik.core import front_cache, page_cache

logger = logging.getLogger(__name__)

# Seconds a browser or a shared cache may keep a response without asking again;
# nginx keeps it longer and is purged by key when what it shows changes.
DEFAULT_MAX_AGE = 300
SEEN_SECONDS = 60 * 60 * 24 * 30
READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": (
        "If-None-Match, If-Modified-Since, Accept, Authorization, X-Api-Key"
    ),
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After, Link",
    "Access-Control-Max-Age": "86400",
}

View = Callable[..., HttpResponse]


def _first_served(etag: str) -> datetime.datetime:
    """When a body with this digest was first served: its honest Last-Modified."""
    now = timezone.now().replace(microsecond=0)
    try:
        seen = cache.get_or_set(f"vestnik:api:seen:{etag}", now, timeout=SEEN_SECONDS)
    except Exception:
        logger.warning("cache unavailable for the API's Last-Modified", exc_info=True)
        return now
    return seen if isinstance(seen, datetime.datetime) else now


def _cors(response: HttpResponse) -> HttpResponse:
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def _validated(request: HttpRequest, response: HttpResponse, keys: set[str]) -> HttpResponse:
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
    last_modified = _first_served(etag)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(calendar.timegm(last_modified.utctimetuple()))
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=DEFAULT_MAX_AGE)
    if front_cache.enabled() and keys:
        try:
            front_cache.cached_url_record(url=request.build_absolute_uri(), keys=keys)
            response["X-Accel-Expires"] = str(page_cache.front_timeout())
        except Exception:
            logger.warning("could not record front-cache keys", exc_info=True)
    conditional = get_conditional_response(
        request,
        etag=etag,
        last_modified=calendar.timegm(last_modified.utctimetuple()),
        response=response,
    )
    return conditional if conditional is not None else response


def _rate_limited(wait: int, *, keyed: bool) -> HttpResponse:
    who = "with your API key" if keyed else "from your address"
    response = error_response(
        "rate_limited", f"Too many requests {who}; try again in {wait} s.", 429
    )
    response["Retry-After"] = str(wait)
    # Never kept by a browser or nginx: it is this address's answer, for this minute.
    response["Cache-Control"] = "no-store"
    return response


# Poll results change with every ballot, not with a publish: never kept here.
UNCACHED_PREFIXES = ("/api/v1/polls/",)


def _render(
    view: View, request: HttpRequest, *args: Any, **kwargs: Any
) -> tuple[HttpResponse, set[str]]:
    with front_cache.collecting() as keys:
        response = view(request, *args, **kwargs)
    return response, set(keys)


# As pages say it (`core.middleware`): whether the app's cache answered.
CACHE_HEADER = "X-Page-Cache"


def _missed(rendered: tuple[HttpResponse, set[str]]) -> tuple[HttpResponse, set[str]]:
    rendered[0][CACHE_HEADER] = "miss"
    return rendered


def _rendered(
    view: View, request: HttpRequest, *args: Any, **kwargs: Any
) -> tuple[HttpResponse, set[str]]:
    """The view's answer, kept until content changes (the page cache's generation).

    Like a page, a JSON answer is the same for every reader and only a publish
    (or a move, a privacy change) changes it, which moves the generation on: a
    repeat is one cache read instead of the queries and rendering of the view.
    Only 200s are kept; the cache being down means rendering every time.
    """
    if not page_cache.storing() or request.path.startswith(UNCACHED_PREFIXES):
        return _missed(_render(view, request, *args, **kwargs))
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
    try:
        key = f"vestnik:api:{page_cache.current_generation()}:{digest}"
        kept = cache.get(key)
    except Exception:
        logger.warning("cache unavailable for the API", exc_info=True)
        return _missed(_render(view, request, *args, **kwargs))
    if kept is not None:
        content, content_type, cache_control, keys = kept
        response = HttpResponse(content, content_type=content_type)
        if cache_control:
            response["Cache-Control"] = cache_control
        response[CACHE_HEADER] = "hit"
        return response, set(keys)
    response, keys = _render(view, request, *args, **kwargs)
    if response.status_code == 200 and not response.streaming:
        try:
            cache.set(
                key,
                (
                    response.content,
                    response.get("Content-Type", "application/json"),
                    response.get("Cache-Control", ""),
                    sorted(keys),
                ),
                timeout=page_cache.front_timeout(),
            )
        except Exception:
            logger.warning("could not keep an API answer", exc_info=True)
    return _missed((response, keys))


def _invalid_key() -> HttpResponse:
    response = error_response(
        "invalid_api_key", "This API key is unknown or revoked; send none to read anonymously.", 401
    )
    response["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
    response["Cache-Control"] = "no-store"
    return response


def http_wrapped(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = "GET, HEAD, OPTIONS"
            return _cors(response)
        api_key: ValidKey | None = None
        raw_key = presented_key(request)
        if raw_key is not None:
            api_key = valid_key(raw_key)
            if api_key is None:
                # Counted as the address's: random keys must not get round its limit.
                wait = seconds_to_wait(request)
                if wait is not None:
                    return _cors(_rate_limited(wait, keyed=False))
                return _cors(_invalid_key())
        wait = seconds_to_wait(request, api_key=api_key)
        if wait is not None:
            return _cors(_rate_limited(wait, keyed=api_key is not None))
        if api_key is not None:
            api_key_used(api_key)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        if request.method != "GET":
            return view(request, *args, **kwargs)
        response, keys = _rendered(view, request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            response = _validated(request, response, keys)
        _cors(response)
        if head:
            request.method = "HEAD"
            response.content = b""
        return response

    return wrapped


def urls_wrapped(patterns: list[Any]) -> list[Any]:
    """The URL patterns with each view wrapped by `http_wrapped` (resolvers recursed into)."""
    wrapped: list[Any] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            pattern.url_patterns[:] = urls_wrapped(list(pattern.url_patterns))
            wrapped.append(pattern)
        elif isinstance(pattern, URLPattern):
            wrapped.append(
                URLPattern(
                    pattern.pattern,
                    http_wrapped(pattern.callback),
                    pattern.default_args,
                    pattern.name,
                )
            )
        else:
            wrapped.append(pattern)
    return wrapped
