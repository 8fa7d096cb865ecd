"""The newsletters' settings, read when used (never at import time); docs/newsletters.md."""

from __future__ import annotations

import datetime

from django.conf import settings


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, f"VESTNIK_NEWSLETTERS_{name}", default))


def confirm_max_age() -> datetime.timedelta:
    """How long a confirmation link works; unconfirmed addresses are deleted after it."""
    return datetime.timedelta(days=_setting("UNCONFIRMED_DAYS", 7))


def link_max_age() -> datetime.timedelta:
    """How long the preferences and unsubscribe links in a message work."""
    return datetime.timedelta(days=_setting("LINK_DAYS", 365))


def confirmations_per_day() -> int:
    """Confirmation e-mails one address may be sent in 24 hours, whoever asks."""
    return int(_setting("CONFIRMATIONS_PER_DAY", 3))


def confirmation_interval() -> datetime.timedelta:
    """The least time between two confirmation e-mails to one address."""
    return datetime.timedelta(seconds=_setting("CONFIRMATION_INTERVAL_SECONDS", 120))


def requests_per_hour_per_network() -> int:
    """Subscription requests one network (`core.client_address`) may send in an hour."""
    return int(_setting("REQUESTS_PER_HOUR_PER_NETWORK", 30))


def send_rate() -> float:
    """Messages per second one delivery worker sends at most; 0 for no limit."""
    return _setting("SEND_RATE", 20)


def batch_size() -> int:
    """Messages one delivery task sends before it queues the next and lets others run."""
    return int(_setting("BATCH_SIZE", 500))


def lease() -> datetime.timedelta:
    """How long a delivery worker holds a mailing; a killed worker's is taken over after it."""
    return datetime.timedelta(seconds=_setting("LEASE_SECONDS", 300))


def max_failures() -> int:
    """Permanent (5xx) failures after which an address gets nothing more."""
    return int(_setting("MAX_FAILURES", 3))


def max_attempts() -> int:
    """Tries of one message answered with a temporary (4xx) refusal before it fails."""
    return int(_setting("MAX_ATTEMPTS", 5))


def retry_backoff() -> datetime.timedelta:
    """The wait after the first temporary refusal; doubled after each."""
    return datetime.timedelta(seconds=_setting("RETRY_BACKOFF_SECONDS", 600))


def alert_hour() -> int:
    """The hour (site time) the day's alerts go out, with what was published since the last."""
    return int(_setting("ALERT_HOUR", 9))


def digest_weekday() -> int:
    """The weekday of the digest, Monday 0."""
    return int(_setting("DIGEST_WEEKDAY", 0))


def digest_hour() -> int:
    return int(_setting("DIGEST_HOUR", 10))


def sender() -> str:
    """The From of newsletters; DEFAULT_FROM_EMAIL unless set apart."""
    return str(getattr(settings, "VESTNIK_NEWSLETTERS_FROM", settings.DEFAULT_FROM_EMAIL))
