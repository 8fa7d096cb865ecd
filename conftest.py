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


@pytest.fixture(autouse=True)
def _wagtail_baseline_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    """Put back what Wagtail's migrations create before every transactional test.

    Transactional tests (live-server browser tests, concurrency tests) end with a
    flush that removes the root page, root collection and default locale; the
    next such test needs them to build a site.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or "transaction" in marker.args):
        return
    request.getfixturevalue("transactional_db")
    from django.conf import settings

    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
