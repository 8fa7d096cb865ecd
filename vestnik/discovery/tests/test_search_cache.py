"""Cached search answers: repeated searches skip the statement; any index write ends them."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.discovery.search.selectors import search_articles
from vestnik.discovery.search.services import search_index_rebuild
from vestnik.site.services import site_setup


def statements(query: str, language: str | None = "ru") -> tuple[int, int]:
    """(total, how many search statements ran) for one search."""
    with CaptureQueriesContext(connection) as queries:
        total = search_articles(query=query, language=language).total
    return total, sum("WITH found AS" in q["sql"] for q in queries.captured_queries)


@override_settings(VESTNIK_SEARCH_CACHE_SECONDS=300)
class SearchCacheTestCase(TestCase):
    """One expert's blog with one published article, «Зерно первое», and an empty cache."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")

    def setUp(self) -> None:
        cache.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.first = article_in_blog(self.blog, title="Зерно первое")


class SearchCacheTests(SearchCacheTestCase):
    def test_a_repeated_search_is_answered_from_the_cache(self) -> None:
        self.assertEqual(statements("зерно"), (1, 1))
        self.assertEqual(statements("зерна"), (1, 0))  # the same terms
        self.assertEqual(statements("пшеница"), (0, 1))

    def test_each_language_and_every_language_have_their_own_answers(self) -> None:
        self.assertEqual(statements("зерно"), (1, 1))
        self.assertEqual(statements("зерно", "en"), (0, 1))
        self.assertEqual(statements("зерно", None), (1, 1))
        self.assertEqual(statements("зерно", "en"), (0, 0))
        self.assertEqual(statements("зерно", None), (1, 0))

    def test_publishing_ends_cached_answers(self) -> None:
        self.assertEqual(statements("зерно"), (1, 1))
        with self.captureOnCommitCallbacks(execute=True):
            second = article_in_blog(self.blog, title="Зерно второе")
        self.assertEqual(statements("зерно"), (2, 1))
        with self.captureOnCommitCallbacks(execute=True):
            second.unpublish()
        self.assertEqual(statements("зерно"), (1, 1))
        with self.captureOnCommitCallbacks(execute=True):
            self.first.title = "Рожь"
            self.first.save_revision().publish()
        self.assertEqual(statements("зерно"), (0, 1))

    def test_a_rebuild_ends_cached_answers(self) -> None:
        self.assertEqual(statements("зерно"), (1, 1))
        with self.captureOnCommitCallbacks(execute=True):
            search_index_rebuild()
        self.assertEqual(statements("зерно"), (1, 1))


class SearchPageFragmentTests(SearchCacheTestCase):
    """/search/ keeps its rendered results per query string until the next publish."""

    def test_a_repeated_search_page_runs_no_search_and_shows_the_same_results(self) -> None:
        first = self.client.get("/search/", {"q": "зерно"})
        with CaptureQueriesContext(connection) as queries:
            again = self.client.get("/search/", {"q": "зерно"})
        self.assertFalse(any("WITH found AS" in q["sql"] for q in queries.captured_queries))
        self.assertIn("/zerno-pervoe/", again.content.decode())
        self.assertEqual(first.content.decode().count('class="card search-hit"'), 1)
        self.assertEqual(again.content.decode().count('class="card search-hit"'), 1)
        # Another query string is another fragment.
        self.assertNotIn(
            "/zerno-pervoe/", self.client.get("/search/", {"q": "пшеница"}).content.decode()
        )

    def test_publishing_changes_the_search_page_at_once(self) -> None:
        self.client.get("/search/", {"q": "зерно"})
        with self.captureOnCommitCallbacks(execute=True):
            article_in_blog(self.blog, title="Зерно второе")
        html = self.client.get("/search/", {"q": "зерно"}).content.decode()
        self.assertIn("/zerno-vtoroe/", html)
        with self.captureOnCommitCallbacks(execute=True):
            self.first.unpublish()
        html = self.client.get("/search/", {"q": "зерно"}).content.decode()
        self.assertNotIn("/zerno-pervoe/", html)
        self.assertIn("/zerno-vtoroe/", html)

    def test_each_language_and_every_language_are_their_own_fragments(self) -> None:
        self.client.get("/search/", {"q": "зерно"})
        english = self.client.get("/en/search/", {"q": "зерно"}).content.decode()
        self.assertNotIn("/zerno-pervoe/", english)
        every = self.client.get("/en/search/", {"q": "зерно", "lang": "all"}).content.decode()
        self.assertIn("/zerno-pervoe/", every)

    def test_the_title_names_the_query_on_a_cached_page(self) -> None:
        self.client.get("/search/", {"q": "  зерно   первое "})
        html = self.client.get("/search/", {"q": "  зерно   первое "}).content.decode()
        self.assertIn("<title>Поиск: зерно первое", html)
