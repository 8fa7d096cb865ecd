"""The front-cache keys of publications (see `core.front_cache`)."""

from __future__ import annotations

from typing import Any

# The library's filter choices (series, years, authors): any publication or series changes them.
PUBLICATION_FILTERS = "publications:filters"


def series_key(series_id: int) -> str:
    return f"publication-series:{series_id}"


def series_purge_keys(series: Any) -> set[str]:
    """A series' name is on its publications' pages and in the library's filter."""
    return {series_key(series.pk), PUBLICATION_FILTERS}
