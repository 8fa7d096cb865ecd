"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings):  # type: ignore[no-untyped-def]
    """Each test starts with an empty cache: the page cache must never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
