"""The readership's settings, read when used (never at import time); docs/readership.md."""

from __future__ import annotations

from django.conf import settings


def _setting(name: str, default: str) -> str:
    return str(getattr(settings, f"VESTNIK_READERSHIP_{name}", default))


def enabled() -> bool:
    """Whether pages carry the view beacon and the endpoint counts anything."""
    return _setting("ENABLED", "on").lower() not in {"off", "0", "false", "no"}


def redis_url() -> str:
    """Where views are aggregated before the task worker writes them to the database.

    Empty: straight into the database (the embedded install, one process).
    """
    return _setting("REDIS_URL", getattr(settings, "REDIS_URL", "") or "")


def view_log_path() -> str:
    """nginx's log of view beacons (deploy/nginx/vestnik-readership.conf), read by the worker."""
    return _setting("VIEW_LOG", "")


def most_read_days() -> int:
    """The days «Самое читаемое» adds up (this week)."""
    return int(_setting("MOST_READ_DAYS", "7"))


def most_read_limit() -> int:
    """How many articles «Самое читаемое» lists."""
    return int(_setting("MOST_READ_LIMIT", "5"))


def most_read_refresh_seconds() -> int:
    """The least time between two rankings of «Самое читаемое» (the worker asks every minute)."""
    return int(_setting("MOST_READ_REFRESH_SECONDS", "3600"))
