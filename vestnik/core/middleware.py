"""Request middleware of the core app."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from vestnik.core import page_cache

logger = logging.getLogger(__name__)


class AnonymousPageCacheMiddleware:
    """Serve anonymous readers whole pages from the cache; see `page_cache`.

    A cache that is down never takes the site with it: failures are logged and
    the page is rendered as if nothing were cached.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not page_cache.request_is_cacheable(request):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            # Let CommonMiddleware answer 400 for a host we do not serve.
            return self.get_response(request)
        key = None
        try:
            key = page_cache.cache_key(host, request, page_cache.current_generation())
            cached = page_cache.fetch(key)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
            cached = None
        if cached is not None:
            return cached
        response = self.get_response(request)
        if key is not None and page_cache.response_is_cacheable(response):
            try:
                page_cache.store(key, response)
                response["X-Page-Cache"] = "miss"
            except Exception:
                logger.warning("page cache unavailable", exc_info=True)
        return response
