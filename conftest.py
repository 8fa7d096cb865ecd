"""Project-wide pytest fixtures and hooks."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import pytest

from tests.harness import tool_problem


def _tools(item: pytest.Item) -> list[str]:
    """The system tools a test runs: `@pytest.mark.needs(...)`; `browser` means Chromium."""
    tools = [tool for marker in item.iter_markers("needs") for tool in marker.args]
    if item.get_closest_marker("browser") is not None:
        tools.append("chromium")
    return tools


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip a test whose system tool is missing, as a `skip` mark: before any fixture.

    A test skipped from a fixture has already set up its database (and a
    transactional one leaves it to the next test); a mark is decided first.
    """
    for item in items:
        for tool in _tools(item):
            if (problem := tool_problem(tool)) is not None and not problem.required:
                item.add_marker(pytest.mark.skip(reason=problem.missing))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Where CI requires a tool (VESTNIK_REQUIRE_*), its absence fails, before any fixture."""
    for tool in _tools(item):
        if (problem := tool_problem(tool)) is not None and problem.required:
            pytest.fail(problem.message, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: Any
) -> Generator[None, Any, Any]:
    """Empty the database before a `serialized_rollback` test loads its snapshot.

    The snapshot is the database as migrations left it, loaded back row by row
    with the original primary keys. A transactional test without it ends with a
    flush that lets `post_migrate` create the content types and permissions again
    under new keys, and one limited by `available_apps` leaves the other apps'
    rows; either way the load then hits a unique constraint
    (`wagtailcore_locale.language_code`, `django_content_type`). Flushing first,
    without `post_migrate`, gives the snapshot the empty database it expects.
    `_django_db_helper` is pytest-django's fixture that performs the load.
    """
    if fixturedef.argname == "_django_db_helper" and _restores_snapshot(request.node):
        request.getfixturevalue("django_db_setup")
        from django.core.management import call_command
        from django.db import connection

        if getattr(connection, "_test_serialized_contents", None):
            with request.getfixturevalue("django_db_blocker").unblock():
                call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        result = yield
        # The snapshot's content types have their original ids; the per-process
        # cache may still hold the ids a flush in an earlier test gave them.
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        return result
    return (yield)


def _restores_snapshot(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("serialized_rollback"))


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
    from django.contrib.contenttypes.models import ContentType

    # An earlier test's flush or snapshot gave the content types other ids than
    # the ones this process has cached.
    ContentType.objects.clear_cache()

    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Any]:
    """A real SMTP server on loopback that Django's SMTP backend sends to.

    Read what arrived from `smtp_server.messages` (`email.message.EmailMessage`).
    """
    from tests.harness import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
        yield server
