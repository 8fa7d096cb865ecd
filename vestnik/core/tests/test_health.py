"""/healthz and /readyz: what a load balancer and a process manager see.

The Redis-down answer of /readyz is in test_redis_resilience.py, against a
real Redis that is killed.
"""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

from django.test import TestCase


class HealthzTests(TestCase):
    def test_liveness_answers_without_touching_the_database(self) -> None:
        with self.assertNumQueries(0):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})

    def test_probes_are_never_cached(self) -> None:
        for url in ("/healthz", "/readyz"):
            with self.subTest(url=url):
                self.client.get(url)
                response = self.client.get(url)
                self.assertIn("no-store", response["Cache-Control"])
                self.assertNotIn("X-Page-Cache", response)

    def test_probes_have_no_language_prefix(self) -> None:
        # An English browser is not redirected to /en/: probes send no Accept-Language anyway.
        for url in ("/healthz", "/readyz"):
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
            self.assertEqual(response.status_code, 200)

    def test_probes_only_answer_reads(self) -> None:
        self.assertEqual(self.client.post("/healthz").status_code, 405)
        self.assertEqual(self.client.head("/readyz").status_code, 200)


class ReadyzTests(TestCase):
    def test_ready_when_database_cache_and_storage_answer(self) -> None:
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {
                "status": "ok",
                "checks": {
                    "database": {"status": "ok"},
                    "cache": {"status": "ok"},
                    "storage": {"status": "ok"},
                },
            },
        )

    def test_a_fresh_install_without_a_media_directory_yet_is_ready(self) -> None:
        # The storage creates MEDIA_ROOT on the first upload.
        with (
            tempfile.TemporaryDirectory() as parent,
            self.settings(MEDIA_ROOT=Path(parent) / "media" / "not-yet"),
        ):
            self.assertEqual(self.client.get("/readyz").status_code, 200)

    def test_unusable_media_storage_is_named_with_a_503(self) -> None:
        # A file where the media directory should be: uploads cannot work.
        with (
            tempfile.NamedTemporaryFile() as occupied,
            self.settings(MEDIA_ROOT=Path(occupied.name) / "media"),
            self.assertLogs("vestnik.core.health", "WARNING"),
        ):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["status"], "error")
        self.assertEqual(body["checks"]["storage"]["status"], "error")
        self.assertEqual(body["checks"]["storage"]["reason"], "media location is not a directory")
        self.assertEqual(body["checks"]["database"], {"status": "ok"})
        self.assertEqual(body["checks"]["cache"], {"status": "ok"})

    def test_a_failing_check_reports_the_kind_of_error_not_its_details(self) -> None:
        # A Redis URL with a password, where nothing listens: the public answer
        # names the error class; the address and password stay in the log only.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"redis://:s3cret@127.0.0.1:{port}/0"
        caches = {"default": {"BACKEND": "vestnik.core.cache.ResilientRedisCache", "LOCATION": url}}
        with (
            self.settings(CACHES=caches),
            self.assertLogs("vestnik.core.health", "WARNING") as logs,
        ):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            response.json()["checks"]["cache"], {"status": "error", "reason": "ConnectionError"}
        )
        self.assertNotIn(b"127.0.0.1", response.content)
        self.assertIn("Traceback", logs.output[0])
