"""Project-wide pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _clean_request_state() -> Iterator[None]:
    """Each test starts in Russian with an empty cache.

    A request to /en/ leaves English active in the test thread (Django only
    re-activates a language at the next request), and the page cache must never
    leak pages between tests.
    """
    from django.core.cache import cache
    from django.utils import translation

    translation.activate("ru")
    cache.clear()
    yield
    cache.clear()
    translation.activate("ru")
