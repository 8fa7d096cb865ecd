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


def statements(query: str) -> tuple[int, int]:
    """(total, how many search statements ran) for one search."""
    with CaptureQueriesContext(connection) as queries:
        total = search_articles(query=query).total
    return total, sum("WITH found AS" in q["sql"] for q in queries.captured_queries)


@override_settings(VESTNIK_SEARCH_CACHE_SECONDS=300)
class SearchCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")

    def setUp(self) -> None:
        cache.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.first = article_in_blog(self.blog, title="Зерно первое")

    def test_a_repeated_search_is_answered_from_the_cache(self) -> None:
        self.assertEqual(statements("зерно"), (1, 1))
        self.assertEqual(statements("зерна"), (1, 0))  # the same terms
        self.assertEqual(statements("пшеница"), (0, 1))

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
