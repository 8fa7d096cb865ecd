"""Log records as JSON lines, each tagged with the id of the request that wrote it.

Loaded by `logging.config.dictConfig` while Django configures itself, before
the app registry is ready: this module imports nothing from Django.

The request id lives in a context variable, set by
`vestnik.core.request_id.RequestIdMiddleware` for the length of a request, so
any log line written while serving it (a query warning, a cache failure, a
traceback) can be matched to nginx's access log and to the response header the
reader or the load balancer saw.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("vestnik_request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "request_id", "request_label"}
)
# Fields a request log line carries, in the order they are written.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")


class RequestIdFilter(logging.Filter):
    """Copy the current request id onto every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, ...

    A request log line adds method, path, status and duration_ms; an exception
    adds its traceback as one string field, so a multi-line traceback never
    splits a record across lines. Other `extra=` values are kept when they are
    plain JSON scalars; objects (Django passes the request itself) are not.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        # django.request reports failed requests with `status_code`.
        status_code = getattr(record, "status_code", None)
        if "status" not in entry and isinstance(status_code, int):
            entry["status"] = status_code
        for name, value in record.__dict__.items():
            if name in _RECORD_ATTRIBUTES or name in entry or name == "status_code":
                continue
            if value is None or isinstance(value, str | int | float | bool):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The human format for a terminal: time, level, logger, request id, message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_label)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_label = getattr(record, "request_id", None) or "-"
        return super().format(record)
