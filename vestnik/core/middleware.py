"""Request middleware of the core app."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from vestnik.core import front_cache, page_cache

logger = logging.getLogger(__name__)


class ContentGenerationMiddleware:
    """A reading request sees one content generation throughout (`page_cache.generation_pinned`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with page_cache.generation_pinned():
            return self.get_response(request)


class AnonymousPageCacheMiddleware:
    """Serve anonymous readers whole pages from the cache; see `page_cache`.

    A cache that is down never takes the site with it: failures are logged and
    the page is rendered as if nothing were cached.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not page_cache.request_is_cacheable(request):
            response = self.get_response(request)
            if getattr(response, "vestnik_page_cache", False):
                # A cacheable page seen by someone with a session: it is theirs alone.
                patch_cache_control(response, private=True)
            return response
        try:
            host = request.get_host()
        except DisallowedHost:
            # Let CommonMiddleware answer 400 for a host we do not serve.
            return self.get_response(request)
        if not page_cache.storing():
            response = self._render(request, None, gzip=False)
            if page_cache.response_is_cacheable(response):
                response["X-Page-Cache"] = "miss"
            return response
        key = None
        gzip = page_cache.accepts_gzip(request)
        try:
            key = page_cache.cache_key(host, request, page_cache.current_generation())
            cached = page_cache.fetch(key, gzip=gzip)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
            cached = None
        lock = None
        if cached is None and key is not None:
            # Single flight: one request renders, readers arriving meanwhile wait for its page.
            try:
                lock = page_cache.render_lock_acquire(key)
                if lock is None:
                    cached = page_cache.rendered_by_another(key, gzip=gzip)
            except Exception:
                logger.warning("page cache unavailable", exc_info=True)
        if cached is not None:
            response, keys = cached
            self._offer_to_front_cache(request, response, keys)
            return response
        try:
            response = self._render(request, key, gzip=gzip)
        finally:
            if lock is not None and key is not None:
                try:
                    page_cache.render_lock_release(key, lock)
                except Exception:
                    logger.warning("page cache unavailable", exc_info=True)
        return response

    def _render(self, request: HttpRequest, key: str | None, *, gzip: bool) -> HttpResponse:
        with front_cache.collecting() as keys:
            response = self.get_response(request)
        if page_cache.response_is_cacheable(response):
            if key is not None:
                try:
                    compressed = page_cache.store(key, response, keys)
                    response["X-Page-Cache"] = "miss"
                    if gzip:
                        page_cache.compressed_response_use(response, compressed)
                except Exception:
                    logger.warning("page cache unavailable", exc_info=True)
            self._offer_to_front_cache(request, response, keys)
        return response

    def _offer_to_front_cache(
        self, request: HttpRequest, response: HttpResponse, keys: set[str]
    ) -> None:
        """Let nginx keep the page, once we know which keys will purge it.

        `X-Accel-Expires` is read and removed by nginx; browsers get a page that
        they must revalidate, so a purge reaches readers at once.
        """
        if not front_cache.enabled() or not keys:
            return
        try:
            front_cache.cached_url_record(url=request.build_absolute_uri(), keys=keys)
        except Exception:
            # Unrecorded means unpurgeable: then nginx must not keep it.
            logger.warning("could not record front-cache keys", exc_info=True)
            return
        response["X-Accel-Expires"] = str(page_cache.front_timeout())
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
