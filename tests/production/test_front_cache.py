"""The front cache as it runs in production: nginx with deploy/nginx/, purged precisely.

nginx (started here on loopback with the shipped configuration) sits in front
of the test server; every assertion reads nginx's own `X-Cache-Status`.
"""

from __future__ import annotations

from typing import Any

import pytest

from wagtail.models import PageViewRestriction

from tests.harness import Nginx, fetch
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage, ShareNetwork
from vestnik.core.models import CachedUrlKey
from vestnik.polls.factories import poll_with_options
from vestnik.polls.models import ResultsVisibility
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country

pytestmark = [
    pytest.mark.needs("nginx"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site() -> dict[str, Any]:
    site_setup()
    turkey = Country.objects.create(
        name_ru="Турция", name_en="Turkey", slug="turtsiya", iso_code="TR"
    )
    japan = Country.objects.create(
        name_ru="Япония", name_en="Japan", slug="yaponiya", iso_code="JP"
    )
    blog_a = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
    blog_b = expert_with_blog("Павел Орлов", "Павла Орлова")
    article_a = article_in_blog(blog_a, title="Анкара наращивает оборонный заказ", publish=False)
    article_a.countries = [turkey]
    article_a.save_revision().publish()
    article_b = article_in_blog(
        blog_b, title="Токио открывает тихоокеанские маршруты", publish=False
    )
    article_b.countries = [japan]
    article_b.save_revision().publish()
    return {
        "blog_a": blog_a,
        "blog_b": blog_b,
        # As published: the in-memory objects above still say «draft».
        "article_a": ArticlePage.objects.get(pk=article_a.pk),
        "article_b": ArticlePage.objects.get(pk=article_b.pk),
    }


def cache_status(nginx: Nginx, path: str, **headers: str) -> tuple[str, str]:
    status, response_headers, body = fetch(nginx.url + path, headers=headers)
    assert status == 200, (path, status)
    return response_headers.get("x-cache-status", ""), body


def warm(nginx: Nginx, *paths: str) -> None:
    for path in paths:
        cache_status(nginx, path)
        assert cache_status(nginx, path)[0] == "HIT", path


def test_anonymous_pages_are_served_by_nginx_and_editors_bypass_it(
    nginx: Nginx, site: dict[str, Any]
) -> None:
    path = site["article_a"].url
    first, _ = cache_status(nginx, path)
    second, body = cache_status(nginx, path)
    assert (first, second) == ("MISS", "HIT")
    assert "Анкара наращивает оборонный заказ" in body

    _, headers, _ = fetch(nginx.url + path)
    assert "x-accel-expires" not in headers  # nginx's instruction, not the reader's
    assert "must-revalidate" in headers["cache-control"]
    # A hit has no request id of its own (the stored one was the render's);
    # a bypass carries the id nginx gave it, which the app has logged.
    assert "x-request-id" not in headers

    editor, _ = cache_status(nginx, path, Cookie="sessionid=editor-session")
    assert editor == "BYPASS"
    bypass = fetch(nginx.url + path, headers={"Cookie": "sessionid=editor-session"})[1]
    assert len(bypass["x-request-id"]) == 32
    assert cache_status(nginx, path)[0] == "HIT"


def test_publishing_purges_the_article_its_blog_and_home_but_not_unrelated_pages(
    nginx: Nginx, site: dict[str, Any]
) -> None:
    article_a, article_b = site["article_a"], site["article_b"]
    blog_a, blog_b = site["blog_a"], site["blog_b"]
    touched = [article_a.url, blog_a.url, "/", "/feeds/articles.rss", "/countries/turtsiya/"]
    untouched = [article_b.url, blog_b.url, "/countries/yaponiya/"]
    warm(nginx, *touched, *untouched)

    article_a.title = "Анкара меняет оборонный заказ"
    article_a.save_revision().publish()

    for path in touched:
        status, body = cache_status(nginx, path)
        assert status == "MISS", path
        assert "Анкара меняет оборонный заказ" in body, path
    for path in untouched:
        assert cache_status(nginx, path)[0] == "HIT", path


def test_unpublishing_removes_the_page_from_nginx_at_once(
    nginx: Nginx, site: dict[str, Any]
) -> None:
    article_b, blog_b = site["article_b"], site["blog_b"]
    warm(nginx, article_b.url, blog_b.url, site["article_a"].url)
    article_b.unpublish()
    status, _, _ = fetch(nginx.url + article_b.url)
    assert status == 404
    blog_status, blog_body = cache_status(nginx, blog_b.url)
    assert blog_status == "MISS"
    assert "Токио открывает тихоокеанские маршруты" not in blog_body
    assert cache_status(nginx, site["article_a"].url)[0] == "HIT"


def test_making_a_page_private_purges_it_and_the_pages_listing_it(
    nginx: Nginx, site: dict[str, Any]
) -> None:
    article_a, blog_a = site["article_a"], site["blog_a"]
    warm(nginx, article_a.url, blog_a.url, "/", site["article_b"].url)
    PageViewRestriction.objects.create(
        page=article_a, restriction_type=PageViewRestriction.PASSWORD, password="secret-word"
    )
    status, headers, body = fetch(nginx.url + article_a.url)
    assert status == 200
    assert headers.get("x-cache-status") != "HIT"
    assert 'name="password"' in body
    assert "Первый абзац" not in body  # the article's text stays behind the password
    for path in (blog_a.url, "/"):
        listing_status, listing = cache_status(nginx, path)
        assert listing_status == "MISS", path
        assert "Анкара наращивает оборонный заказ" not in listing, path
    assert cache_status(nginx, site["article_b"].url)[0] == "HIT"


def test_making_a_blog_private_purges_its_articles(nginx: Nginx, site: dict[str, Any]) -> None:
    article_a, blog_a = site["article_a"], site["blog_a"]
    warm(nginx, article_a.url, blog_a.url)
    PageViewRestriction.objects.create(page=blog_a, restriction_type=PageViewRestriction.LOGIN)
    for path in (article_a.url, blog_a.url):
        status, headers, _ = fetch(nginx.url + path)
        assert status == 302, path
        assert "/_util/login/" in headers["location"], path


def test_moving_a_page_purges_its_old_address(nginx: Nginx, site: dict[str, Any]) -> None:
    article_a, blog_a, blog_b = site["article_a"], site["blog_a"], site["blog_b"]
    old_path = article_a.url
    warm(nginx, old_path, blog_a.url, blog_b.url)
    article_a.move(blog_b, pos="last-child")
    article_a.refresh_from_db()
    # Wagtail leaves a redirect at the old address; nginx must not answer with the old page.
    status, headers, _ = fetch(nginx.url + old_path)
    assert status == 301
    assert headers["location"].endswith(article_a.url)
    assert cache_status(nginx, blog_a.url)[0] == "MISS"
    moved_status, moved_body = cache_status(nginx, blog_b.url)
    assert moved_status == "MISS"
    assert "Анкара наращивает оборонный заказ" in moved_body


def test_share_labels_purge_only_pages_with_share_links(nginx: Nginx, site: dict[str, Any]) -> None:
    article_a, blog_a = site["article_a"], site["blog_a"]
    warm(nginx, article_a.url, site["article_b"].url, blog_a.url)
    network = ShareNetwork.objects.get(name="Telegram")
    network.legal_label = "Пометка, изменённая редактором"
    network.save()
    for path in (article_a.url, site["article_b"].url):
        status, body = cache_status(nginx, path)
        assert status == "MISS"
        assert "Пометка, изменённая редактором" in body
    assert cache_status(nginx, blog_a.url)[0] == "HIT"


def test_poll_result_visibility_purges_the_pages_showing_the_poll(
    nginx: Nginx, site: dict[str, Any]
) -> None:
    poll = poll_with_options(
        "Станет ли Каспий главным маршрутом?", results_visibility=ResultsVisibility.AFTER_VOTING
    )
    article_a = site["article_a"]
    warm(nginx, "/", article_a.url)
    assert CachedUrlKey.objects.filter(key=f"poll:{poll.pk}").exists()
    poll.results_visibility = ResultsVisibility.ALWAYS
    poll.save()
    assert cache_status(nginx, "/")[0] == "MISS"
    assert cache_status(nginx, article_a.url)[0] == "MISS"


def test_polls_and_search_are_never_stored(nginx: Nginx, site: dict[str, Any]) -> None:
    poll = poll_with_options("Станет ли Каспий главным маршрутом?")
    for path in (
        f"/polls/{poll.pk}/",
        "/search/?q=%D0%90%D0%BD%D0%BA%D0%B0%D1%80%D0%B0",
        f"/polls/{poll.pk}/results/",
    ):
        statuses = {fetch(nginx.url + path)[1].get("x-cache-status") for _ in range(2)}
        assert "HIT" not in statuses, path
