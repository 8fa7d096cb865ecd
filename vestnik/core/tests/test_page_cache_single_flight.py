"""One render per miss: readers arriving together wait for the first one's page.

The middleware is driven directly with a view that counts its renders, so the
tests need no database; the cache is the test settings' own (LocMemCache,
shared by the threads of this process) or, for the outage, a Redis that is not
there.
"""

from __future__ import annotations

import gzip
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from tests.harness import free_port
from vestnik.core import page_cache
from vestnik.core.middleware import AnonymousPageCacheMiddleware

PAGE = "<html><body>" + "Северный морской путь. " * 400 + "</body></html>"


class CountingView:
    """A page that takes `seconds` to render and counts how often it was rendered."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.renders = 0
        self._lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with self._lock:
            self.renders += 1
        if self.seconds:
            time.sleep(self.seconds)
        response = HttpResponse(PAGE, content_type="text/html; charset=utf-8")
        response.vestnik_page_cache = True  # type: ignore[attr-defined]
        return response


def page_request(path: str = "/stati/severnyy-put/", **headers: str) -> HttpRequest:
    return RequestFactory().get(path, headers=headers)


def key_of(request: HttpRequest) -> str:
    return page_cache.cache_key(request.get_host(), request, page_cache.current_generation())


# Short budgets, so that the tests that wait do not wait long.
@override_settings(
    VESTNIK_CORE_PAGE_CACHE_LOCK_SECONDS=5, VESTNIK_CORE_PAGE_CACHE_LOCK_WAIT_SECONDS=0.5
)
class SingleFlightTests(SimpleTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_concurrent_misses_render_the_page_once(self) -> None:
        view = CountingView(seconds=0.2)
        middleware = AnonymousPageCacheMiddleware(view)
        with ThreadPoolExecutor(max_workers=20) as pool:
            responses = list(pool.map(lambda _: middleware(page_request()), range(20)))
        self.assertEqual(view.renders, 1)
        self.assertEqual({response.status_code for response in responses}, {200})
        self.assertEqual({response.content.decode() for response in responses}, {PAGE})
        self.assertEqual(
            sorted(response["X-Page-Cache"] for response in responses), ["hit"] * 19 + ["miss"]
        )

    def test_a_waiter_renders_itself_when_the_holder_died(self) -> None:
        request = page_request()
        # A worker took the lock and was killed before storing the page.
        self.assertIsNotNone(page_cache.render_lock_acquire(key_of(request)))
        view = CountingView()
        response = AnonymousPageCacheMiddleware(view)(request)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode(), PAGE)
        self.assertEqual(view.renders, 1)

    def test_the_lock_is_released_when_the_page_is_not_cacheable(self) -> None:
        def not_cacheable(request: HttpRequest) -> HttpResponse:
            return HttpResponse("personal", status=404)

        request = page_request()
        AnonymousPageCacheMiddleware(not_cacheable)(request)
        self.assertIsNotNone(page_cache.render_lock_acquire(key_of(request)))

    def test_the_lock_is_released_when_the_render_fails(self) -> None:
        def broken(request: HttpRequest) -> HttpResponse:
            raise RuntimeError("template error")

        request = page_request()
        with self.assertRaises(RuntimeError):
            AnonymousPageCacheMiddleware(broken)(request)
        self.assertIsNotNone(page_cache.render_lock_acquire(key_of(request)))

    def test_readers_that_accept_gzip_get_the_precompressed_page(self) -> None:
        view = CountingView()
        middleware = AnonymousPageCacheMiddleware(view)
        rendered = middleware(page_request(accept_encoding="gzip, br"))
        cached = middleware(page_request(accept_encoding="gzip, br"))
        plain = middleware(page_request())
        self.assertEqual(view.renders, 1)
        for response in (rendered, cached):
            self.assertEqual(response["Content-Encoding"], "gzip")
            self.assertEqual(int(response["Content-Length"]), len(response.content))
            self.assertEqual(gzip.decompress(response.content).decode(), PAGE)
            self.assertIn("Accept-Encoding", response["Vary"])
        self.assertFalse(plain.has_header("Content-Encoding"))
        self.assertEqual(plain.content.decode(), PAGE)


class RedisDownTests(SimpleTestCase):
    def test_every_request_renders_without_a_lock_and_without_waiting(self) -> None:
        unreachable = {
            "default": {
                "BACKEND": "vestnik.core.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
                "OPTIONS": {"CIRCUIT_BREAKER_SECONDS": 60},
            }
        }
        view = CountingView()
        with (
            override_settings(CACHES=unreachable, VESTNIK_CORE_PAGE_CACHE_LOCK_WAIT_SECONDS=30),
            self.assertLogs("vestnik.core.cache", "WARNING"),
            mock.patch.object(page_cache.time, "sleep") as sleep,
        ):
            middleware = AnonymousPageCacheMiddleware(view)
            responses = [middleware(page_request()) for _ in range(3)]
        self.assertEqual([response.status_code for response in responses], [200] * 3)
        self.assertEqual(view.renders, 3)
        # Nobody waited for a lock that no one could hold.
        sleep.assert_not_called()
