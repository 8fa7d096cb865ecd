"""The JSON API behind nginx with deploy/nginx/: cached like pages, purged by the same keys.

`/api/v1/` goes through the site's `location /` (vestnik-proxy.conf): one cache
zone, one purge listener. The API records each response's front-cache keys for
its URL (api/http.py, as the page middleware does for a page), so a publish
purges the API's copies with the pages showing the same thing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.harness import Nginx, fetch
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.site.services import site_setup

pytestmark = [
    pytest.mark.needs("nginx"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def get(nginx: Nginx, path: str) -> tuple[int, str, Any]:
    status, response_headers, body = fetch(nginx.url + path)
    return status, response_headers.get("x-cache-status", ""), json.loads(body)


def gzipped(nginx: Nginx, path: str) -> str:
    """The cache status of the gzipped copy (the body is compressed: not read)."""
    _, headers, _ = fetch(nginx.url + path, headers={"Accept-Encoding": "gzip"})
    return headers.get("x-cache-status", "")


def test_api_answers_are_cached_and_purged_with_the_pages(nginx: Nginx) -> None:
    site_setup()
    a = article_in_blog(expert_with_blog("Ирина Соколова", "Ирины Соколовой"), title="Анкара")
    b = article_in_blog(expert_with_blog("Павел Орлов", "Павла Орлова"), title="Токио")
    detail_a, detail_b = f"/api/v1/articles/{a.pk}/", f"/api/v1/articles/{b.pk}/"
    listing = "/api/v1/articles/?language=ru&limit=5"
    for path in (detail_a, detail_b, listing):
        assert get(nginx, path)[:2] == (200, "MISS"), path
        assert get(nginx, path)[:2] == (200, "HIT"), path
    # The gzip copy is a key of its own, and purged with the other.
    assert gzipped(nginx, detail_a) == "MISS"
    assert gzipped(nginx, detail_a) == "HIT"

    article = ArticlePage.objects.get(pk=a.pk)
    article.title = "Анкара меняет курс"
    article.save_revision().publish()

    status, cache, data = get(nginx, detail_a)
    assert (status, cache, data["title"]) == (200, "MISS", "Анкара меняет курс")
    assert gzipped(nginx, detail_a) == "MISS"
    status, cache, data = get(nginx, listing)
    assert (status, cache) == (200, "MISS")
    assert "Анкара меняет курс" in [item["title"] for item in data["results"]]
    # An article the publish did not touch stays in the cache.
    assert get(nginx, detail_b)[1] == "HIT"

    article.unpublish()
    status, cache, data = get(nginx, detail_a)
    assert (status, data["error"]["code"]) == (404, "not_found")
    assert cache != "HIT"


def test_refusals_and_preflights_are_never_cached(nginx: Nginx, settings: Any) -> None:
    site_setup()
    assert get(nginx, "/api/v1/articles/999999/")[:2] == (404, "MISS")
    assert get(nginx, "/api/v1/articles/999999/")[:2] == (404, "MISS")
    settings.VESTNIK_API_ANON_RATE = 1
    settings.VESTNIK_CORE_TRUSTED_PROXIES = ["127.0.0.1"]
    first = get(nginx, "/api/v1/topics/")
    assert first[0] == 200
    refused = get(nginx, "/api/v1/countries/")
    assert (refused[0], refused[2]["error"]["code"]) == (429, "rate_limited")
    settings.VESTNIK_API_ANON_RATE = 0
    # The 429 was not kept: the same URL now answers.
    assert get(nginx, "/api/v1/countries/")[0] == 200
