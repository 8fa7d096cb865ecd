"""A clean 503 while the database is unreachable, instead of a 500 or a dropped connection.

When PostgreSQL restarts, fails over or is briefly overloaded, every request that
touches it raises `OperationalError` (cannot connect, connection terminated,
server starting up) or `InterfaceError` (a connection already closed). Those are
not bugs in the request: the reader should see "try again shortly" with
`Retry-After`, monitors and nginx should see a 503 (which the front cache never
stores), and the log should get a one-line warning with the cause, not a 500
with a traceback per request. Recovery needs nothing from us: Django's
`conn_health_checks` drop a dead persistent connection before reuse and the
next request reconnects.

Where the error surfaces decides how it is caught:

- in a view or while rendering its template response (sessions and
  `request.user` are loaded lazily, so in practice every query of an anonymous
  or signed-in request runs there): Django offers it to `process_exception`;
- in another middleware (a session save, a redirect lookup on a 404): Django
  has already turned it into a 500 response by the time it reaches us, so the
  `got_request_exception` signal, sent while the exception is being handled,
  marks the request and `__call__` swaps that 500 for the 503 (Django has
  logged the traceback as an error by then; this path is rare).

The 503 page renders without the database: no context processors, no base
template with menus or settings, the language taken from the URL.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

# Errors that mean "the database is not reachable now", not "this query is wrong":
# IntegrityError, ProgrammingError and DataError stay 500s (or a view's own answer).
OUTAGE_ERRORS = (OperationalError, InterfaceError)
MARK = "_vestnik_database_outage"


def retry_after_seconds() -> int:
    return int(getattr(settings, "VESTNIK_CORE_OUTAGE_RETRY_AFTER", 30))


def _wants_json(request: HttpRequest) -> bool:
    # polls.js and API clients ask for JSON; a browser navigating (or posting a
    # form without JavaScript) prefers HTML, and so does "*/*".
    preferred = request.get_preferred_type(["text/html", "application/json"])
    return preferred == "application/json"


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 for this request: JSON for scripts, a small page for readers."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    retry_after = retry_after_seconds()
    response: HttpResponse
    with translation.override(language):
        if _wants_json(request):
            response = JsonResponse(
                {
                    "ok": False,
                    "error": "unavailable",
                    "message": gettext(
                        "The site is temporarily unavailable. Please try again in a minute."
                    ),
                },
                status=503,
            )
        else:
            # No request: context processors (settings, user) would query the database.
            content = render_to_string(
                "503.html", {"language": language, "retry_after": retry_after}
            )
            response = HttpResponse(content, status=503)
        response["Content-Language"] = language
    response["Retry-After"] = str(retry_after)
    # Neither the front cache nor a browser may keep the outage page.
    add_never_cache_headers(response)
    # The middleware has logged the cause; Django's own "Service Unavailable"
    # error line (django.utils.log.log_response) would only repeat it without one.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _mark_outage(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Sent from inside Django's exception handling, so sys.exc_info() is the error.
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OUTAGE_ERRORS):
        setattr(request, MARK, True)


class DatabaseOutageMiddleware:
    """Answer 503 with `Retry-After` when a request fails because the database is down.

    Listed before the middleware that may query the database (sessions,
    authentication, redirects) so that it sees their failures too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(_mark_outage, dispatch_uid="vestnik.core.db_outage")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, MARK, False):
            return database_unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        # One line per request: during an outage a traceback each time would
        # bury everything else in the log.
        logger.warning(
            "database unavailable, answered 503: %s: %s",
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
            extra={"status_code": 503},
        )
        return database_unavailable_response(request)
