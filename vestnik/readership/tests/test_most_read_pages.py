"""«Самое читаемое» as readers get it: on the home and article pages, cached, in both languages."""

from __future__ import annotations

import datetime
import re

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vestnik.articles.factories import article_in_blog, english_translation
from vestnik.core.models import CachedUrlKey
from vestnik.readership.cache_keys import most_read_key
from vestnik.readership.models import PageViewDay
from vestnik.readership.most_read import most_read_refresh
from vestnik.site.tests.content import site_with_blog_and_country

FRONT_CACHE = {
    "nginx": {
        "BACKEND": "vestnik.core.front_cache.NginxPurgeBackend",
        "LOCATION": "http://127.0.0.1:9",
    }
}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BLOCK = re.compile(r'<section class="most-read".*?</section>', re.S)


@override_settings(WAGTAILFRONTENDCACHE=FRONT_CACHE, TASKS=DUMMY_TASKS)
class MostReadPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, _country = site_with_blog_and_country()
        cls.read = article_in_blog(
            cls.blog, title="Каспийский транзит", date=datetime.date(2026, 3, 1)
        )
        cls.unread = article_in_blog(cls.blog, title="Никем не читана")
        cls.english = english_translation(cls.read, title="Caspian transit")
        today = timezone.localdate()
        PageViewDay.objects.create(page=cls.read, day=today, views=7)
        PageViewDay.objects.create(page=cls.english, day=today, views=3)

    def setUp(self) -> None:
        cache.clear()

    def refresh(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            most_read_refresh(force=True)

    def block(self, path: str) -> str:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        found = BLOCK.search(response.content.decode())
        return found.group(0) if found else ""

    def test_home_and_articles_list_the_most_read_in_their_language(self) -> None:
        self.refresh()
        for path in ("/", self.read.url, self.unread.url):
            with self.subTest(path=path):
                block = self.block(path)
                self.assertIn('aria-labelledby="most-read-title"', block)
                self.assertIn(f'<a class="most-read__link" href="{self.read.url}">', block)
                self.assertNotIn(self.english.url, block)
                self.assertNotIn(self.unread.url, block)
                self.assertIn('<time datetime="2026-03-01">', block)
                self.assertIn(self.blog.expert.display_name, block)
        for path in ("/en/", self.english.url):
            with self.subTest(path=path):
                block = self.block(path)
                self.assertIn(f'<a class="most-read__link" href="{self.english.url}">', block)
                self.assertNotIn(f'href="{self.read.url}"', block)

    def test_the_block_is_in_the_cached_html(self) -> None:
        self.refresh()
        for path in ("/", "/en/", self.read.url, self.english.url):
            with self.subTest(path=path):
                first = self.client.get(path)
                second = self.client.get(path)
                self.assertEqual(second.get("X-Page-Cache"), "hit")
                self.assertEqual(
                    BLOCK.search(second.content.decode()).group(0),  # type: ignore[union-attr]
                    BLOCK.search(first.content.decode()).group(0),  # type: ignore[union-attr]
                )

    def test_without_views_there_is_no_block_and_the_key_is_still_noted(self) -> None:
        PageViewDay.objects.all().delete()
        self.refresh()
        for path, language in (("/", "ru"), (self.read.url, "ru"), ("/en/", "en")):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertNotIn("most-read", response.content.decode())
                # So that the first list to appear purges the page.
                self.assertTrue(
                    CachedUrlKey.objects.filter(
                        url__endswith=path, key=most_read_key(language)
                    ).exists()
                )

    def test_a_new_list_purges_the_pages_that_show_it_and_they_show_it(self) -> None:
        self.refresh()
        self.assertIn(self.read.url, self.block(self.unread.url))
        self.assertIn(self.english.url, self.block("/en/"))
        PageViewDay.objects.create(
            page=self.unread, day=timezone.localdate() - datetime.timedelta(days=1), views=50
        )
        self.refresh()
        self.assertFalse(
            CachedUrlKey.objects.filter(key=most_read_key("ru")).exists(),
            "the Russian pages showing the block are purged",
        )
        self.assertTrue(CachedUrlKey.objects.filter(key=most_read_key("en")).exists())
        block = self.block(self.unread.url)
        self.assertLess(block.index(self.unread.url), block.index(self.read.url))

    def test_an_unpublished_article_leaves_the_block_before_the_next_ranking(self) -> None:
        self.refresh()
        self.assertIn(self.read.url, self.block("/"))
        with self.captureOnCommitCallbacks(execute=True):
            self.read.unpublish()
        self.assertEqual(self.block("/"), "")

    def test_a_page_from_fragments_reads_nothing_for_the_block(self) -> None:
        self.refresh()
        self.client.cookies.load("sessionid=someone-signed-in")  # no whole-page cache
        for path in ("/", self.unread.url):
            with self.subTest(path=path):
                self.client.get(path)
                with CaptureQueriesContext(connection) as warm:
                    response = self.client.get(path)
                self.assertIn("most-read__link", response.content.decode())
                self.assertEqual(len(warm), 1, "\n".join(q["sql"][:120] for q in warm))
