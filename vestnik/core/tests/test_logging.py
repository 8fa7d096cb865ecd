"""Structured logs: JSON lines, each with the id of the request that wrote it."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import TestCase, override_settings
from django.urls import path

from vestnik.core.logging import JsonFormatter, RequestIdFilter, TextFormatter
from vestnik.settings.base import logging_config


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the printer caught fire")


def logging_view(request: HttpRequest) -> HttpResponse:
    logging.getLogger("vestnik.test").info("inside the view", extra={"article_id": 7})
    return HttpResponse("ok")


urlpatterns = [path("boom/", failing_view), path("talk/", logging_view)]


@contextmanager
def captured_lines(formatter: logging.Formatter) -> Iterator[list[str]]:
    """Lines the root logger writes while inside, formatted as production would."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    lines: list[str] = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        lines.extend(stream.getvalue().splitlines())


def records(lines: list[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines]


class RequestIdTests(TestCase):
    def test_an_incoming_request_id_is_kept_and_returned(self) -> None:
        with captured_lines(JsonFormatter()) as lines:
            response = self.client.get(
                "/healthz", HTTP_X_REQUEST_ID="0f3c9a4b2d1e4f5a8b7c6d5e4f3a2b1c"
            )
        self.assertEqual(response["X-Request-ID"], "0f3c9a4b2d1e4f5a8b7c6d5e4f3a2b1c")
        (line,) = [r for r in records(lines) if r["logger"] == "vestnik.request"]
        self.assertEqual(line["request_id"], "0f3c9a4b2d1e4f5a8b7c6d5e4f3a2b1c")
        self.assertEqual(line["method"], "GET")
        self.assertEqual(line["path"], "/healthz")
        self.assertEqual(line["status"], 200)
        self.assertIsInstance(line["duration_ms"], float)
        self.assertEqual(line["level"], "INFO")
        self.assertEqual(line["message"], "GET /healthz 200")
        self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")

    def test_a_missing_or_malformed_id_is_replaced_by_a_new_one(self) -> None:
        seen = set()
        for incoming in (None, "short", "x" * 200, "id with spaces", 'evil"}\n{"level":"ERROR'):
            with self.subTest(incoming=incoming):
                headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
                request_id = self.client.get("/healthz", **headers)["X-Request-ID"]
                self.assertRegex(request_id, r"^[0-9a-f]{32}$")
                seen.add(request_id)
        self.assertEqual(len(seen), 5)

    def test_every_line_written_while_serving_a_request_carries_its_id(self) -> None:
        with (
            override_settings(ROOT_URLCONF=__name__),
            captured_lines(JsonFormatter()) as lines,
        ):
            response = self.client.get("/talk/")
        request_id = response["X-Request-ID"]
        by_logger = {r["logger"]: r for r in records(lines)}
        self.assertEqual(by_logger["vestnik.test"]["request_id"], request_id)
        self.assertEqual(by_logger["vestnik.test"]["article_id"], 7)
        self.assertEqual(by_logger["vestnik.request"]["request_id"], request_id)
        # Outside a request there is no id.
        with captured_lines(JsonFormatter()) as lines:
            logging.getLogger("vestnik.test").warning("between requests")
        self.assertIsNone(records(lines)[0]["request_id"])

    def test_a_failed_request_logs_its_traceback_in_one_line(self) -> None:
        self.client.raise_request_exception = False
        with (
            override_settings(ROOT_URLCONF=__name__),
            captured_lines(JsonFormatter()) as lines,
        ):
            response = self.client.get("/boom/")
        self.assertEqual(response.status_code, 500)
        parsed = records(lines)  # every line is a whole JSON object
        error = next(r for r in parsed if r["logger"] == "django.request")
        self.assertEqual(error["level"], "ERROR")
        self.assertEqual(error["status"], 500)
        self.assertEqual(error["request_id"], response["X-Request-ID"])
        self.assertIn("Traceback (most recent call last)", error["exception"])
        self.assertIn("RuntimeError: the printer caught fire", error["exception"])
        access = next(r for r in parsed if r["logger"] == "vestnik.request")
        self.assertEqual((access["status"], access["level"]), (500, "WARNING"))

    def test_text_format_shows_the_request_id_too(self) -> None:
        with captured_lines(TextFormatter()) as lines:
            response = self.client.get("/healthz")
        self.assertTrue(
            any(f"[{response['X-Request-ID']}] GET /healthz 200" in line for line in lines)
        )


class LogFormatSettingTests(TestCase):
    def test_log_format_chooses_the_formatter(self) -> None:
        self.assertEqual(logging_config("json")["handlers"]["console"]["formatter"], "json")
        self.assertEqual(logging_config("text")["handlers"]["console"]["formatter"], "text")
        self.assertEqual(settings.LOGGING["handlers"]["console"]["filters"], ["request_id"])

    def test_an_unknown_log_format_is_a_clear_configuration_error(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "LOG_FORMAT must be 'json' or 'text'"):
            logging_config("xml")

    def test_production_writes_json_lines_by_default(self) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"LOG_FORMAT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="vestnik.settings.production",
            SECRET_KEY="k" * 60,
            DATABASE_URL="sqlite:///:memory:",
        )
        script = (
            "import django, logging; django.setup(); "
            "logging.getLogger('vestnik.probe').warning('hello from production')"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        (line,) = [json.loads(line) for line in result.stderr.splitlines() if "hello" in line]
        self.assertEqual(line["logger"], "vestnik.probe")
        self.assertEqual(line["level"], "WARNING")
        self.assertEqual(line["message"], "hello from production")
        self.assertIsNone(line["request_id"])
