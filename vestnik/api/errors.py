"""The one JSON shape of every refusal of the API: `{"error": {"code": ..., "message": ...}}`.

Codes are stable and meant for programs; messages are for people and may change.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from vestnik.polls.services import BallotRefused

CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


class ApiError(Exception):
    """A refusal with its own code, raised by an endpoint (a bad cursor, a bad filter)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.status = status


def error_response(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for error in errors:
        where = ".".join(
            str(part) for part in error.get("loc", ()) if part not in ("query", "body")
        )
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return "; ".join(parts) or "Invalid request."


def exception_handlers_register(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.code, exc.message, exc.status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response("not_found", "Not found.", 404)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response("invalid", _validation_message(list(exc.errors)), 400)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response("unauthorized", "Unauthorized.", 401)

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = error_response("rate_limited", "Too many requests; try again later.", 429)
        if exc.wait is not None:
            response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = CODES_BY_STATUS.get(exc.status_code, "error")
        return error_response(code, str(exc.message), exc.status_code)

    @api.exception_handler(BallotRefused)
    def ballot_refused(request: HttpRequest, exc: BallotRefused) -> HttpResponse:
        # The same codes as the HTML endpoint's JSON answers (polls.views._refused).
        return error_response(exc.code, exc.message, exc.status)
