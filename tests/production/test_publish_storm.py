"""A publish purges a popular article; the readers who arrive together cost one render.

nginx (deploy/nginx/, started on loopback) holds them with its cache lock while
one request goes to the app; the app's own single flight covers what reaches
it anyway. Renders are counted where the app stores a rendered page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Nginx, fetch
from tests.production.conftest import nginx_in_front
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.core import page_cache
from vestnik.site.services import site_setup

pytestmark = [
    pytest.mark.needs("nginx"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READERS = 200


@pytest.fixture
def nginx(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[Nginx]:
    with nginx_in_front(live_server, tmp_path / "nginx", settings, workers=2) as server:
        yield server


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the pages the app rendered and stored, one entry per render."""
    stored: list[str] = []
    lock = threading.Lock()
    store = page_cache.store

    def counting_store(key: str, *args: Any, **kwargs: Any) -> bytes:
        with lock:
            stored.append(key)
        return store(key, *args, **kwargs)

    monkeypatch.setattr(page_cache, "store", counting_store)
    return stored


def test_readers_arriving_together_after_a_publish_cost_one_render(
    nginx: Nginx, renders: list[str]
) -> None:
    site_setup()
    article = article_in_blog(expert_with_blog(), title="Первая версия")
    url = nginx.url + article.url
    fetch(url)
    assert fetch(url)[1]["x-cache-status"] == "HIT"

    article = ArticlePage.objects.get(pk=article.pk)
    article.title = "Вторая версия"
    article.save_revision().publish()  # purges nginx once committed
    renders.clear()

    start = threading.Barrier(READERS)

    def read(_: int) -> tuple[int, bool]:
        start.wait()
        status, _headers, body = fetch(url, headers={"Accept-Encoding": "identity"})
        return status, "Вторая версия" in body

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        answers = list(pool.map(read, range(READERS)))

    assert answers == [(200, True)] * READERS
    assert len(renders) == 1
