"""Redis as cache and session store: the site outlives it and picks it up again.

Each test runs a private redis-server on a free loopback port and kills,
freezes or restarts it; nothing here is mocked.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import pytest

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, TestCase

from tests.harness import PrivateRedis, free_port
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.site.services import site_setup

# Short enough to wait out in a test, long enough that one request's cache calls
# all fall inside it on a busy machine; production keeps the default of 5 s.
BREAKER_SECONDS = 1.0


def cache_settings(url: str, **options: Any) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "vestnik.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "vestnik",
            "OPTIONS": {"CIRCUIT_BREAKER_SECONDS": BREAKER_SECONDS, **options},
        }
    }


def wait_out_the_breaker() -> None:
    time.sleep(BREAKER_SECONDS * 1.5)


class RedisTestCase(TestCase):
    redis: PrivateRedis

    def setUp(self) -> None:
        self.redis = PrivateRedis()
        self.addCleanup(self.redis.stop)
        self.redis.start()
        # The settings change resets Django's cache connections: the next
        # cache call builds a backend pointed at this server.
        self.enterContext(
            self.settings(
                CACHES=cache_settings(self.redis.url, socket_timeout=0.3),
                SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
            )
        )

    def page_keys(self) -> list[bytes]:
        return list(self.redis.client().scan_iter("vestnik:*:vestnik:page:*"))


# Skipped before setUpTestData where redis-server is not installed.
@pytest.mark.needs("redis-server")
class SiteWithoutRedisTests(RedisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog()
        cls.article = article_in_blog(cls.blog, title="Статья на случай отказа кэша")
        cls.editor = get_user_model().objects.create_superuser(
            "redaktor", "redaktor@example.org", "pw-redaktor"
        )

    def sign_in(self, client: Client) -> None:
        response = client.post("/admin/login/", {"username": "redaktor", "password": "pw-redaktor"})
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertEqual(client.get("/admin/").status_code, 200)

    def test_site_serves_uncached_while_redis_is_down_and_caches_again_when_it_returns(
        self,
    ) -> None:
        # Redis up: pages are cached there, editors' sessions too.
        self.assertEqual(self.client.get(self.article.url)["X-Page-Cache"], "miss")
        self.assertEqual(self.client.get(self.article.url)["X-Page-Cache"], "hit")
        self.assertTrue(self.page_keys())
        editor = Client()
        self.sign_in(editor)
        self.assertTrue(list(self.redis.client().scan_iter("*sessions.cached_db*")))
        self.assertEqual(self.client.get("/readyz").status_code, 200)

        self.redis.kill()

        # Pages are rendered for every request, none from the (gone) cache.
        for _ in range(3):
            response = self.client.get(self.article.url)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Статья на случай отказа кэша")
            self.assertNotEqual(response.get("X-Page-Cache"), "hit")
        self.assertEqual(self.client.get(self.blog.url).status_code, 200)
        self.assertEqual(self.client.get("/").status_code, 200)
        # The signed-in editor keeps working (the session is read from the database)...
        self.assertEqual(editor.get("/admin/").status_code, 200)
        self.assertEqual(editor.get(f"/admin/pages/{self.article.pk}/edit/").status_code, 200)
        # ...and signing in works.
        self.sign_in(Client())
        # The probes tell the truth.
        ready = self.client.get("/readyz")
        self.assertEqual(ready.status_code, 503)
        self.assertEqual(ready.json()["checks"]["cache"]["status"], "error")
        self.assertEqual(ready.json()["checks"]["database"], {"status": "ok"})
        self.assertEqual(self.client.get("/healthz").status_code, 200)

        # Redis comes back on the same address: caching resumes, nothing restarted.
        self.redis.start()
        wait_out_the_breaker()
        self.assertEqual(self.client.get(self.article.url)["X-Page-Cache"], "miss")
        self.assertEqual(self.client.get(self.article.url)["X-Page-Cache"], "hit")
        self.assertTrue(self.page_keys())
        self.assertEqual(editor.get("/admin/").status_code, 200)
        self.assertEqual(self.client.get("/readyz").status_code, 200)

    def test_signing_out_during_a_partition_does_not_survive_it(self) -> None:
        # Redis keeps its data but cannot be reached: the sign-out deletes the
        # session in the database only. When Redis answers again the cached
        # copy must not sign the editor back in.
        editor = Client()
        self.sign_in(editor)
        cookie = editor.cookies["sessionid"].value
        self.redis.freeze()
        self.assertEqual(editor.post("/admin/logout/").status_code, 302)
        self.redis.thaw()
        wait_out_the_breaker()
        replay = Client()
        replay.cookies["sessionid"] = cookie
        response = replay.get("/admin/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_a_publish_during_a_partition_is_not_undone_by_stale_pages(self) -> None:
        self.client.get(self.article.url)
        self.assertEqual(self.client.get(self.article.url)["X-Page-Cache"], "hit")
        self.redis.freeze()
        self.article.title = "Заголовок, исправленный без Redis"
        with self.captureOnCommitCallbacks(execute=True):  # purges run after the commit
            self.article.save_revision().publish()
        self.assertContains(self.client.get(self.article.url), "Заголовок, исправленный без Redis")
        self.redis.thaw()
        wait_out_the_breaker()
        self.assertContains(self.client.get(self.article.url), "Заголовок, исправленный без Redis")
        self.assertContains(self.client.get(self.article.url), "Заголовок, исправленный без Redis")


class BlackHole:
    """A TCP port that accepts connections and never answers, counting them."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.accepted:
            connection.close()


class CircuitBreakerTests(TestCase):
    def test_a_hanging_redis_costs_one_timeout_per_breaker_period_not_one_per_call(
        self,
    ) -> None:
        hole = BlackHole()
        self.addCleanup(hole.close)
        url = f"redis://127.0.0.1:{hole.port}/0"
        with (
            self.settings(
                CACHES=cache_settings(url, socket_timeout=0.2, CIRCUIT_BREAKER_SECONDS=60)
            ),
            self.assertLogs("vestnik.core.cache", "WARNING") as logs,
        ):
            self.assertIsNone(cache.get("a"))
            self.assertEqual(cache.get("b", "fallback"), "fallback")
            self.assertFalse(cache.add("c", 1))
            cache.set("d", 1)
            self.assertEqual(cache.get_many(["a", "b"]), {})
            self.assertFalse(cache.has_key("a"))
            with self.assertRaises(ValueError):
                cache.incr("counter")
            self.assertEqual(cache.get_or_set("e", 5), 5)
        # Only the first call reached the port; the rest were answered at once.
        self.assertEqual(len(hole.accepted), 1)
        self.assertEqual(len(logs.records), 1)
        self.assertIn("unavailable", logs.records[0].getMessage())

    def test_warnings_are_rate_limited_while_redis_stays_down(self) -> None:
        url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
        with (
            self.settings(CACHES=cache_settings(url, CIRCUIT_BREAKER_SECONDS=0)),
            self.assertLogs("vestnik.core.cache", "WARNING") as logs,
        ):
            for _ in range(20):
                self.assertIsNone(cache.get("a"))
        self.assertEqual(len(logs.records), 1)

    def test_a_password_in_the_url_never_reaches_the_log(self) -> None:
        url = f"redis://:s3cret-password@127.0.0.1:{free_port()}/0"
        with (
            self.settings(CACHES=cache_settings(url)),
            self.assertLogs("vestnik.core.cache", "WARNING") as logs,
        ):
            cache.get("a")
        self.assertNotIn("s3cret", logs.output[0])
        self.assertIn("127.0.0.1", logs.output[0])
