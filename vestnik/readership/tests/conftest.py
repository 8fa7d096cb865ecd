"""Fixtures shared by the readership tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from vestnik.readership.counting import salts_forget

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture(autouse=True)
def fresh_salts() -> Iterator[None]:
    """Each test's database has its own salts: forget the ones this process read."""
    salts_forget()
    yield
    salts_forget()


@pytest.fixture
def article(db: None) -> Any:
    from vestnik.articles.factories import article_in_blog, expert_with_blog
    from vestnik.site.services import site_setup

    site_setup()
    return article_in_blog(expert_with_blog())


@pytest.fixture
def private_redis() -> Iterator[Any]:
    """A throwaway redis-server; the readership aggregates in it."""
    from tests.harness import PrivateRedis, tool_required

    tool_required("redis-server")
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()
