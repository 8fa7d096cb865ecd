"""The API's HTTP contract over the test client: validators, CORS, and query budgets."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Topic

pytestmark = pytest.mark.django_db

# Queries one list page or one article may make, whatever the number of items.
LIST_QUERIES = 8
DETAIL_QUERIES = 15


def _articles(count: int) -> list[ArticlePage]:
    site_setup()
    blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
    co_author = expert_with_blog("Ирина Соколова", "Ирины Соколовой").expert
    kz = Country.objects.get_or_create(
        slug="kz", defaults={"name_ru": "Казахстан", "name_en": "Kazakhstan", "iso_code": "KZ"}
    )[0]
    energy = Topic.objects.get_or_create(
        slug="energy", defaults={"name_ru": "Энергетика", "name_en": "Energy"}
    )[0]
    made = []
    for number in range(count):
        article = article_in_blog(
            blog,
            title=f"Статья о транзите номер {number}",
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            footnotes={str(n): f"<p>Сноска {n}.</p>" for n in range(1, 3)},
        )
        article.countries.set([kz])
        article.topics.set([energy])
        article.co_authors.set([co_author])  # type: ignore[attr-defined]
        article.save_revision().publish()
        made.append(article)
    return made


@pytest.mark.parametrize("count", [3, 20])
def test_the_article_list_query_budget_does_not_grow_with_items(
    client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    _articles(count)
    client.get("/api/v1/articles/?limit=100")  # warm the per-process caches (site, locales)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/api/v1/articles/?limit=100")
    results = response.json()["results"]
    assert len(results) == count
    assert {a["countries"][0]["slug"] for a in results} == {"kz"}
    assert len(results[0]["authors"]) == 2


@pytest.mark.parametrize("count", [3, 20])
def test_the_article_detail_query_budget_does_not_grow_with_items(
    client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    article = _articles(count)[-1]
    url = f"/api/v1/articles/{article.pk}/"
    client.get(url)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    assert response.json()["id"] == article.pk


def test_validators_answer_304_on_a_list_and_a_detail(client: Client) -> None:
    article = _articles(1)[0]
    for url in ("/api/v1/articles/", f"/api/v1/articles/{article.pk}/", "/api/v1/experts/"):
        first = client.get(url)
        assert first.status_code == 200
        etag, modified = first["ETag"], first["Last-Modified"]
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        assert not_modified["ETag"] == etag
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_change_changes_the_etag(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    article = _articles(1)[0]
    url = f"/api/v1/articles/{article.pk}/"
    etag = client.get(url)["ETag"]
    article.title = "Новый заголовок"
    # The publish moves the cache's generation on when it commits, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["title"] == "Новый заголовок"


def test_cors_on_get_head_options_and_errors(client: Client) -> None:
    site_setup()
    get = client.get("/api/v1/articles/", HTTP_ORIGIN="https://example.org")
    assert get["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in get["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/articles/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="If-None-Match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    missing = client.get("/api/v1/articles/999999/", HTTP_ORIGIN="https://example.org")
    assert missing.status_code == 404
    assert missing["Access-Control-Allow-Origin"] == "*"
    assert missing.json()["error"]["code"] == "not_found"


def test_a_repeat_is_served_from_the_cache_until_a_publish(
    client: Client, django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    articles = _articles(3)
    url = f"/api/v1/articles/{articles[0].pk}/"
    first = client.get(url)
    with django_assert_max_num_queries(1):
        repeat = client.get(url)
    assert repeat.content == first.content
    assert (first["X-Page-Cache"], repeat["X-Page-Cache"]) == ("miss", "hit")
    client.get("/api/v1/articles/?limit=2")
    with django_assert_max_num_queries(1):
        client.get("/api/v1/articles/?limit=2")
    with django_capture_on_commit_callbacks(execute=True):
        articles[0].save_revision().publish()
    # The publish moved the generation on: the next answer is rendered afresh.
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 1
