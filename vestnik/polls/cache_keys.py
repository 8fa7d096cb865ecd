"""The front-cache keys of polls (see `core.front_cache`)."""

from __future__ import annotations

POLL_ARCHIVE = "polls"
SITE_POLL = "poll:site"  # the poll widget's choice of poll, on every page


def poll_key(poll_id: int) -> str:
    return f"poll:{poll_id}"
