"""The front-cache keys of events (see `core.front_cache`)."""

from __future__ import annotations

# The events index, its yearly archives and the calendar feed: every event.
EVENT_LISTS = "events"
