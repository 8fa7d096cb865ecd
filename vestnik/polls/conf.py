"""The polls app's settings, read at call time so tests and operators can change them.

Every setting is optional; the defaults suit one institute's site. Which
proxies' X-Forwarded-For counts is a site-wide setting (core.client_address).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"VESTNIK_POLLS_{name}", default)


def rate_limit() -> int:
    """Ballots one client address may cast in one poll per window.

    Generous on purpose: a ministry or a university may put hundreds of readers
    behind one address, and the one-ballot-per-respondent rule does the real work.
    """
    return int(_get("RATE_LIMIT", 500))


def rate_window_seconds() -> int:
    return int(_get("RATE_WINDOW_SECONDS", 60 * 60))


def cookie_name() -> str:
    return str(_get("COOKIE_NAME", "vestnik_respondent"))


def cookie_max_age() -> int:
    return int(_get("COOKIE_MAX_AGE", 60 * 60 * 24 * 365 * 2))


def archive_page_size() -> int:
    return int(_get("ARCHIVE_PAGE_SIZE", 20))
