"""The events app's settings, read when used (never at import time)."""

from __future__ import annotations

from django.conf import settings


def min_form_seconds() -> float:
    """A form sent back sooner than this after it was handed out is a bot's."""
    return float(getattr(settings, "VESTNIK_EVENTS_MIN_FORM_SECONDS", 3))


def form_max_age_seconds() -> int:
    """A form stamp older than this is refused (the reader reloads the page)."""
    return int(getattr(settings, "VESTNIK_EVENTS_FORM_MAX_AGE_SECONDS", 24 * 3600))


def reminder_hours() -> int:
    """Reminders go to those registered for events starting within this many hours."""
    return int(getattr(settings, "VESTNIK_EVENTS_REMINDER_HOURS", 24))
