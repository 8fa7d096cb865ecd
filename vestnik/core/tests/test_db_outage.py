"""The 503 a reader or a script gets while the database is unreachable.

Views and a middleware here raise the errors Django raises when PostgreSQL is
down; tests/faults/test_postgres_restart.py stops a real PostgreSQL under
gunicorn and checks the same answers end to end.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, SimpleTestCase, TestCase, override_settings
from django.urls import re_path

from vestnik.core.db_outage import database_unavailable_response

DOWN = (
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'
)


def page_view(request: HttpRequest) -> HttpResponse:
    raise OperationalError(DOWN)


def closed_view(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def integrity_view(request: HttpRequest) -> HttpResponse:
    raise IntegrityError("duplicate key value violates unique constraint")


def ok_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    re_path(r"^(?:en/)?down/$", page_view),
    re_path(r"^(?:en/)?closed/$", closed_view),
    re_path(r"^(?:en/)?integrity/$", integrity_view),
    re_path(r"^(?:en/)?ok/$", ok_view),
]


class SessionSaveFailsMiddleware:
    """Fails after the view, as a session save does when PostgreSQL went away meanwhile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.get_response(request)
        raise OperationalError("terminating connection due to administrator command")


OUTAGE_MIDDLEWARE = [
    "vestnik.core.db_outage.DatabaseOutageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=OUTAGE_MIDDLEWARE)
class DatabaseOutageTests(SimpleTestCase):
    def setUp(self) -> None:
        self.client = Client(raise_request_exception=False)

    def test_reader_gets_a_russian_503_page_with_retry_after(self) -> None:
        response = self.client.get("/down/", HTTP_ACCEPT=BROWSER_ACCEPT)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertEqual(response["Content-Language"], "ru")
        self.assertTrue(response["Content-Type"].startswith("text/html"))
        self.assertIn("no-store", response["Cache-Control"])
        self.assertContains(response, '<html lang="ru">', status_code=503)
        self.assertTemplateUsed(response, "503.html")

    def test_language_comes_from_the_url(self) -> None:
        response = self.client.get("/en/down/", HTTP_ACCEPT_LANGUAGE="ru")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Content-Language"], "en")
        self.assertContains(response, '<html lang="en">', status_code=503)
        self.assertContains(response, "The site is temporarily unavailable", status_code=503)

    def test_scripts_get_json(self) -> None:
        # polls.js votes with Accept: application/json and shows "message".
        response = self.client.post("/en/down/", HTTP_ACCEPT="application/json")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertEqual(
            response.json(),
            {
                "ok": False,
                "error": "unavailable",
                "message": "The site is temporarily unavailable. Please try again in a minute.",
            },
        )

    def test_form_post_without_javascript_gets_the_page(self) -> None:
        response = self.client.post("/down/", {"option": "1"}, HTTP_ACCEPT=BROWSER_ACCEPT)
        self.assertEqual(response.status_code, 503)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_any_accept_gets_the_page(self) -> None:
        response = self.client.get("/down/", HTTP_ACCEPT="*/*")
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_a_closed_connection_is_an_outage_too(self) -> None:
        self.assertEqual(self.client.get("/closed/").status_code, 503)

    def test_other_database_errors_stay_server_errors(self) -> None:
        # A violated constraint is a bug or a race to handle in the view, not an outage.
        self.assertEqual(self.client.get("/integrity/").status_code, 500)

    @override_settings(
        MIDDLEWARE=[*OUTAGE_MIDDLEWARE, f"{__name__}.SessionSaveFailsMiddleware"],
    )
    def test_failure_in_a_later_middleware_is_a_503(self) -> None:
        response = self.client.get("/en/ok/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertContains(response, '<html lang="en">', status_code=503)

    def test_a_healthy_request_is_left_alone(self) -> None:
        response = self.client.get("/ok/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Retry-After", response)

    @override_settings(VESTNIK_CORE_OUTAGE_RETRY_AFTER=5)
    def test_retry_after_is_a_setting(self) -> None:
        self.assertEqual(self.client.get("/down/")["Retry-After"], "5")


class OutagePageTests(TestCase):
    def test_the_page_renders_without_a_query(self) -> None:
        request = RequestFactory().get("/", HTTP_ACCEPT=BROWSER_ACCEPT)
        with self.assertNumQueries(0):
            response = database_unavailable_response(request)
        self.assertEqual(response.status_code, 503)
        self.assertNotIn(b"{%", response.content)
