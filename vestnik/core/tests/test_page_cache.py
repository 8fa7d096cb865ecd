"""The anonymous page cache: fast for readers, never stale or personal."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase

from wagtail.models import PageViewRestriction

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ShareNetwork, ShareSettings
from vestnik.site.services import site_setup


class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog()
        cls.article = article_in_blog(cls.blog, title="Первая версия заголовка")

    def test_second_anonymous_view_is_served_from_the_cache(self) -> None:
        first = self.client.get(self.article.url)
        second = self.client.get(self.article.url)
        self.assertEqual(first["X-Page-Cache"], "miss")
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(first.content, second.content)
        self.assertNotIn(b"csrfmiddlewaretoken", second.content)

    def test_publishing_makes_cached_pages_stale(self) -> None:
        self.client.get(self.article.url)
        self.client.get(self.blog.url)
        self.article.title = "Исправленный заголовок"
        # Caches are purged once the change is committed, never before.
        with self.captureOnCommitCallbacks(execute=True):
            self.article.save_revision().publish()
        article_html = self.client.get(self.article.url).content.decode()
        blog_html = self.client.get(self.blog.url).content.decode()
        self.assertIn("Исправленный заголовок", article_html)
        self.assertIn("Исправленный заголовок", blog_html)

    def test_unpublishing_removes_the_page_at_once(self) -> None:
        self.assertEqual(self.client.get(self.article.url).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            self.article.unpublish()
        self.assertEqual(self.client.get(self.article.url).status_code, 404)

    def test_making_a_page_private_takes_it_out_of_the_cache_and_every_listing(self) -> None:
        for url in (self.article.url, self.blog.url, "/"):
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit", url)
        with self.captureOnCommitCallbacks(execute=True):
            restriction = PageViewRestriction.objects.create(
                page=self.article, restriction_type=PageViewRestriction.LOGIN
            )
        response = self.client.get(self.article.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/_util/login/", response["Location"])
        for url in (self.blog.url, "/"):
            self.assertNotIn("Первая версия заголовка", self.client.get(url).content.decode(), url)

        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        self.assertEqual(self.client.get(self.article.url).status_code, 200)
        self.assertIn("Первая версия заголовка", self.client.get("/").content.decode())

    def test_making_a_blog_private_takes_its_articles_out_of_the_cache(self) -> None:
        self.client.get(self.article.url)
        self.assertEqual(self.client.get(self.article.url)["X-Page-Cache"], "hit")
        with self.captureOnCommitCallbacks(execute=True):
            PageViewRestriction.objects.create(
                page=self.blog,
                restriction_type=PageViewRestriction.PASSWORD,
                password="secret-word",
            )
        html = self.client.get(self.article.url).content.decode()
        self.assertIn('name="password"', html)
        self.assertNotIn("Первый абзац", html)

    def test_changing_share_labels_refreshes_pages(self) -> None:
        self.client.get(self.article.url)
        network = ShareNetwork.objects.get(name="Telegram")
        network.legal_label = "Новая пометка"
        with self.captureOnCommitCallbacks(execute=True):
            network.save()
        self.assertIn("Новая пометка", self.client.get(self.article.url).content.decode())
        self.assertTrue(ShareSettings.objects.exists())

    def test_signed_in_editors_bypass_the_cache(self) -> None:
        self.client.get(self.article.url)
        editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
        self.client.force_login(editor)
        response = self.client.get(self.article.url)
        self.assertNotIn("X-Page-Cache", response)

    def test_only_pagination_query_strings_are_cached(self) -> None:
        self.client.get(self.blog.url + "?utm_source=x")
        self.assertNotIn("X-Page-Cache", self.client.get(self.blog.url + "?utm_source=x"))
        self.client.get(self.blog.url + "?page=1")
        self.assertEqual(self.client.get(self.blog.url + "?page=1")["X-Page-Cache"], "hit")

    def test_print_view_is_never_cached(self) -> None:
        self.client.get(self.article.url + "print/")
        self.assertNotIn("X-Page-Cache", self.client.get(self.article.url + "print/"))

    def test_errors_are_not_cached(self) -> None:
        self.assertEqual(self.client.get("/blogs/nope/").status_code, 404)
        self.assertNotIn("X-Page-Cache", self.client.get("/blogs/nope/"))
