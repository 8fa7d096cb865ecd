"""«Самое читаемое»: ranking from the counts, the snapshot, the refresh interval and its purge."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from wagtail.models import PageViewRestriction

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.articles.services import analysis_index_page
from vestnik.core import front_cache
from vestnik.core.models import CachedUrlKey
from vestnik.readership.cache_keys import most_read_key
from vestnik.readership.models import MostReadList, PageViewDay
from vestnik.readership.most_read import (
    MostRead,
    most_read,
    most_read_articles,
    most_read_ranking,
    most_read_refresh,
)
from vestnik.readership.services import views_collect
from vestnik.site.services import site_setup

TODAY = datetime.date(2026, 3, 10)
FRONT_CACHE = {
    "nginx": {
        "BACKEND": "vestnik.core.front_cache.NginxPurgeBackend",
        "LOCATION": "http://127.0.0.1:9",
    }
}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def views(article: ArticlePage, *counts: tuple[int, int]) -> None:
    """`(days before TODAY, views)` rows for the article."""
    for days_ago, count in counts:
        PageViewDay.objects.create(
            page=article, day=TODAY - datetime.timedelta(days=days_ago), views=count
        )


class RankingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog()
        cls.old = article_in_blog(cls.blog, title="Старая статья", date=datetime.date(2026, 1, 5))
        cls.new = article_in_blog(cls.blog, title="Новая статья", date=datetime.date(2026, 3, 1))
        cls.popular = article_in_blog(cls.blog, title="Читаемая", date=datetime.date(2025, 12, 1))
        cls.analysis = article_in_blog(analysis_index_page(), title="Аналитика", publish=False)
        cls.analysis.co_authors.set([cls.blog.expert])
        cls.analysis.save_revision().publish()

    def rank(self, language: str = "ru", **kwargs: int) -> list[int]:
        return most_read_ranking(language=language, today=TODAY, **kwargs)

    def test_the_week_s_views_are_added_up_and_ranked(self) -> None:
        views(self.popular, (0, 5), (3, 10), (6, 10))  # 25 this week
        views(self.analysis, (1, 20))
        views(self.old, (2, 3))
        self.assertEqual(self.rank(), [self.popular.pk, self.analysis.pk, self.old.pk])

    def test_only_the_last_days_count_today_included(self) -> None:
        views(self.old, (7, 100), (0, 1))  # a week ago does not count
        views(self.new, (6, 2))
        self.assertEqual(self.rank(), [self.new.pk, self.old.pk])
        views(self.popular, (-1, 50))  # tomorrow's (a clock ahead) does not count either
        self.assertEqual(self.rank(), [self.new.pk, self.old.pk])

    def test_equal_counts_go_to_the_more_recent_article(self) -> None:
        views(self.old, (1, 4))
        views(self.new, (2, 4))
        views(self.popular, (0, 4))
        self.assertEqual(self.rank(), [self.new.pk, self.old.pk, self.popular.pk])

    def test_unread_articles_are_not_listed_and_the_limit_holds(self) -> None:
        views(self.old, (0, 0))
        self.assertEqual(self.rank(), [])
        views(self.new, (0, 3))
        views(self.popular, (0, 2))
        views(self.analysis, (0, 1))
        self.assertEqual(self.rank(limit=2), [self.new.pk, self.popular.pk])
        with override_settings(VESTNIK_READERSHIP_MOST_READ_LIMIT=1):
            self.assertEqual(self.rank(), [self.new.pk])

    def test_drafts_unpublished_and_private_articles_are_left_out(self) -> None:
        draft = article_in_blog(self.blog, title="Черновик", publish=False)
        views(draft, (0, 50))
        views(self.old, (0, 40))
        views(self.new, (0, 30))
        views(self.popular, (0, 1))
        self.old.unpublish()
        PageViewRestriction.objects.create(
            page=self.new, restriction_type=PageViewRestriction.PASSWORD, password="секрет"
        )
        self.assertEqual(self.rank(), [self.popular.pk])

    def test_a_private_blog_hides_its_articles(self) -> None:
        views(self.new, (0, 30))
        views(self.analysis, (0, 1))
        PageViewRestriction.objects.create(
            page=self.blog, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertEqual(self.rank(), [self.analysis.pk])

    def test_each_language_ranks_its_own_articles(self) -> None:
        english = english_translation(self.old, title="Old article in English")
        views(self.old, (0, 2))
        views(english, (0, 9))
        views(self.new, (0, 1))
        self.assertEqual(self.rank("ru"), [self.old.pk, self.new.pk])
        self.assertEqual(self.rank("en"), [english.pk])

    def test_only_articles_are_ranked(self) -> None:
        views(self.blog, (0, 100))
        views(self.new, (0, 1))
        self.assertEqual(self.rank(), [self.new.pk])

    def test_the_block_reads_its_articles_in_order_with_bylines(self) -> None:
        snapshot = MostRead("ru", (self.new.pk, self.analysis.pk, self.old.pk))
        self.old.unpublish()
        with self.assertNumQueries(3):  # the pages, their co-authors, their blogs
            articles = most_read_articles(snapshot)
        self.assertEqual([a.pk for a in articles], [self.new.pk, self.analysis.pk])
        self.assertEqual(
            [[author.display_name for author in a.listing_authors] for a in articles],
            [[self.blog.expert.display_name], [self.blog.expert.display_name]],
        )
        with self.assertNumQueries(0):
            self.assertEqual(most_read_articles(MostRead("ru")), [])


@override_settings(WAGTAILFRONTENDCACHE=FRONT_CACHE, TASKS=DUMMY_TASKS)
class RefreshTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog()
        cls.first = article_in_blog(cls.blog, title="Первая", date=datetime.date(2026, 3, 1))
        cls.second = article_in_blog(cls.blog, title="Вторая", date=datetime.date(2026, 3, 2))

    def setUp(self) -> None:
        cache.clear()
        self.now = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0))
        for language in ("ru", "en"):
            front_cache.cached_url_record(
                url=f"http://localhost/{language}-page/", keys=[most_read_key(language)]
            )

    def refresh(self, minutes: int = 0, **kwargs: bool) -> tuple[list[str], set[str]]:
        """The languages that changed, and the URLs purged (forgotten by the recorder)."""
        before = set(CachedUrlKey.objects.values_list("url", flat=True))
        with self.captureOnCommitCallbacks(execute=True):
            changed = most_read_refresh(
                now=self.now + datetime.timedelta(minutes=minutes), **kwargs
            )
        return changed, before - set(CachedUrlKey.objects.values_list("url", flat=True))

    def test_a_new_list_is_kept_shown_and_purged_in_its_language_only(self) -> None:
        views(self.first, (0, 3))
        self.assertEqual(self.refresh(), (["ru"], {"http://localhost/ru-page/"}))
        self.assertEqual(MostReadList.objects.get(language="ru").page_ids, [self.first.pk])
        self.assertEqual(MostReadList.objects.get(language="en").page_ids, [])
        with self.assertNumQueries(0):
            self.assertEqual(most_read("ru"), MostRead("ru", (self.first.pk,)))

    def test_within_the_interval_nothing_is_ranked_again(self) -> None:
        views(self.first, (0, 3))
        self.refresh()
        views(self.second, (0, 10))
        with self.assertNumQueries(1):  # both languages' rows, found fresh
            self.assertEqual(most_read_refresh(now=self.now + datetime.timedelta(minutes=59)), [])
        self.assertEqual(most_read("ru").page_ids, (self.first.pk,))
        # The page was rendered again since the purge, with the block.
        front_cache.cached_url_record(url="http://localhost/ru-page/", keys=[most_read_key("ru")])
        self.assertEqual(self.refresh(minutes=60), (["ru"], {"http://localhost/ru-page/"}))
        self.assertEqual(most_read("ru").page_ids, (self.second.pk, self.first.pk))

    def test_the_interval_is_a_setting(self) -> None:
        self.refresh()
        views(self.first, (0, 1))
        with override_settings(VESTNIK_READERSHIP_MOST_READ_REFRESH_SECONDS=60):
            self.assertEqual(self.refresh(minutes=1)[0], ["ru"])

    def test_an_unchanged_list_purges_nothing(self) -> None:
        views(self.first, (0, 3))
        self.refresh()
        front_cache.cached_url_record(url="http://localhost/ru-page/", keys=[most_read_key("ru")])
        views(self.first, (1, 1))  # more views, the same order
        self.assertEqual(self.refresh(minutes=60), ([], set()))

    def test_an_emptied_list_is_purged_and_shown_empty(self) -> None:
        views(self.first, (0, 3))
        self.refresh()
        front_cache.cached_url_record(url="http://localhost/ru-page/", keys=[most_read_key("ru")])
        # A week later nothing was read.
        self.assertEqual(self.refresh(minutes=8 * 24 * 60), (["ru"], {"http://localhost/ru-page/"}))
        self.assertFalse(most_read("ru"))

    def test_the_snapshot_outlives_the_cache(self) -> None:
        views(self.first, (0, 3))
        self.refresh()
        cache.clear()
        with self.assertNumQueries(1):
            self.assertEqual(most_read("ru").page_ids, (self.first.pk,))
        with self.assertNumQueries(0):
            self.assertEqual(most_read("ru").page_ids, (self.first.pk,))

    def test_nothing_ranked_yet_is_an_empty_list_read_once(self) -> None:
        with self.assertNumQueries(1):
            self.assertFalse(most_read("en"))
        with self.assertNumQueries(0):
            self.assertFalse(most_read("en"))

    def test_force_ranks_at_once(self) -> None:
        self.refresh()
        views(self.first, (0, 1))
        self.assertEqual(self.refresh(minutes=1, force=True)[0], ["ru"])

    def test_the_worker_s_collection_refreshes_the_list(self) -> None:
        PageViewDay.objects.create(page=self.second, day=timezone.localdate(), views=2)
        with self.captureOnCommitCallbacks(execute=True):
            views_collect()
        self.assertEqual(most_read("ru").page_ids, (self.second.pk,))
