"""Request ids: one id per request, from nginx or made here, in every log line.

nginx sets `X-Request-ID` to its own `$request_id` and writes it to its access
log; we keep that id when it looks like one (so a log search finds both sides)
and make a new one otherwise, since the header may come from anyone on the
internet when nginx is not in front. The id goes back in the response header
and into a context variable that `vestnik.core.logging.RequestIdFilter` reads.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vestnik.core.logging import request_id_var

HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; load balancers send UUIDs. Anything
# longer or with other characters could forge or garble log lines.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,127}")

access_logger = logging.getLogger("vestnik.request")


def request_id_from(request: HttpRequest) -> str:
    incoming = request.headers.get(HEADER, "")
    if VALID_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Tag the request, its log lines and its response with one id; log the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_logger.log(
                logging.WARNING if response.status_code >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
