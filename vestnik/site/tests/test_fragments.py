"""The fragment cache (`core.fragments`) through the pages that use it.

A signed-in reader's request (a session cookie) skips the whole-page cache and
is assembled from fragments, so each test reads pages that way: whatever the
fragments keep must change exactly when the content they show changes, and an
editor's preview must never read or fill them.
"""

from __future__ import annotations

import datetime
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.articles.models import BlogPage
from vestnik.core import fragments, front_cache, page_cache
from vestnik.insights.models import Entity, Mention
from vestnik.polls.factories import poll_with_options
from vestnik.site.services import site_setup
from vestnik.site.tests.accounts import editor_account
from vestnik.site.tests.content import site_with_blog_and_country

SIGNED_IN = "sessionid=someone-signed-in"


class ArticleFragmentsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, cls.country = site_with_blog_and_country()
        cls.article = article_in_blog(cls.blog, title="Каспийский транзит")
        cls.article.countries.add(cls.country)
        cls.article.save_revision().publish()
        cls.linked = article_in_blog(cls.blog, title="Порт Актау", date=datetime.date(2025, 1, 1))

    def read(self, path: str | None = None) -> str:
        """The article as a signed-in reader gets it: rendered, never from the page cache."""
        self.client.cookies.load(SIGNED_IN)
        response = self.client.get(path or self.article.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("X-Page-Cache", response)
        return response.content.decode()

    def publish_body(self, paragraph: str) -> None:
        self.article.refresh_from_db()
        self.article.body = [("paragraph", paragraph)]
        with self.captureOnCommitCallbacks(execute=True):
            self.article.save_revision().publish()

    def test_a_second_render_makes_no_queries_for_the_cached_parts(self) -> None:
        self.read()
        with CaptureQueriesContext(connection) as warm:
            html = self.read()
        self.assertIn("Каспийский транзит", html)
        sql = " ".join(query["sql"] for query in warm)
        # Footnotes, co-authors, terms, related articles and the poll come from fragments.
        self.assertNotIn("articles_articlefootnote", sql)
        self.assertNotIn("polls_poll", sql)

    def test_a_published_edit_shows_on_the_next_render(self) -> None:
        self.read()
        self.publish_body("<p>Новый абзац после правки.</p>")
        self.assertIn("Новый абзац после правки", self.read())

    def test_a_linked_page_renamed_and_moved_shows_its_new_address(self) -> None:
        link = f'<p>См. <a linktype="page" id="{self.linked.pk}">порт</a>.</p>'
        self.publish_body(link)
        self.assertIn(f'href="{self.linked.url}"', self.read())
        self.linked.slug = "port-aktau-2"
        with self.captureOnCommitCallbacks(execute=True):  # purges run after commit
            self.linked.save_revision().publish()
        self.assertIn('port-aktau-2/"', self.read())

    def test_a_new_related_article_enters_the_aside(self) -> None:
        self.assertNotIn("Зерновой коридор", self.read())
        other = article_in_blog(self.blog, title="Зерновой коридор", publish=False)
        other.countries.add(self.country)
        with self.captureOnCommitCallbacks(execute=True):
            other.save_revision().publish()
        self.assertIn("Зерновой коридор", self.read())

    def test_a_renamed_expert_changes_the_author_box_and_byline(self) -> None:
        self.assertIn("Ирина Соколова", self.read())
        expert = self.blog.expert
        expert.full_name = "Ирина Соколова-Белова"
        with self.captureOnCommitCallbacks(execute=True):
            expert.save()
        self.assertIn("Ирина Соколова-Белова", self.read())

    def test_the_poll_widget_follows_the_poll(self) -> None:
        poll = poll_with_options("Вырастет транзит?", site_wide=True)
        self.assertIn("Вырастет транзит?", self.read())
        poll.question = "Вырастет транзит через Каспий?"
        with self.captureOnCommitCallbacks(execute=True):
            poll.save()
        self.assertIn("Вырастет транзит через Каспий?", self.read())

    def test_a_poll_in_the_body_follows_the_poll(self) -> None:
        poll = poll_with_options("Нужен второй паром?")
        self.article.refresh_from_db()
        self.article.body = [("poll", {"poll": poll, "heading": ""})]
        with self.captureOnCommitCallbacks(execute=True):
            self.article.save_revision().publish()
        self.assertIn("Нужен второй паром?", self.read())
        option = poll.options.first()
        assert option is not None
        option.text = "Конечно, третий"
        with self.captureOnCommitCallbacks(execute=True):
            option.save()
        self.assertIn("Конечно, третий", self.read())

    def test_a_no_javascript_vote_return_is_never_served_from_fragments(self) -> None:
        poll = poll_with_options("Вырастет транзит?", site_wide=True)
        self.read()
        html = self.read(f"{self.article.url}?poll={poll.pk}&voted=1")
        # That reader's own view of the poll, not the shared one kept for the path.
        self.assertIn('data-personal="1"', html)

    def test_the_english_interface_has_its_own_fragments(self) -> None:
        self.read()
        english = english_translation(self.article)
        self.assertIn("About the author", self.read(english.url))

    def test_an_editor_always_sees_their_draft_and_it_never_fills_the_cache(self) -> None:
        editor = editor_account()
        published = self.read()
        self.assertNotIn("Черновик редактора", published)
        self.article.refresh_from_db()
        self.article.body = [("paragraph", "<p>Черновик редактора, версия 1.</p>")]
        self.article.save_revision(user=editor)
        request = RequestFactory().get(self.article.url)
        request.user = editor
        draft = self.article.get_latest_revision_as_object()
        preview = draft.make_preview_request(original_request=request)
        preview.render()
        self.assertIn("Черновик редактора, версия 1", preview.content.decode())
        self.assertNotIn("Черновик редактора", self.read())

        draft.body = [("paragraph", "<p>Черновик редактора, версия 2.</p>")]
        draft.save_revision(user=editor)
        self.article.refresh_from_db()
        draft = self.article.get_latest_revision_as_object()
        preview = draft.make_preview_request(original_request=request)
        preview.render()
        self.assertIn("Черновик редактора, версия 2", preview.content.decode())
        self.assertNotIn("Черновик редактора", self.read())


class FragmentCacheTests(TestCase):
    def setUp(self) -> None:
        cache.clear()
        self.builds = 0

    def build(self) -> str:
        self.builds += 1
        front_cache.depends_on("page:7")
        return "<p>fragment</p>"

    def test_a_hit_notes_the_surrogate_keys_of_the_build(self) -> None:
        with front_cache.collecting() as first:
            fragments.cached_fragment("test", [1], self.build, request=None)
        with front_cache.collecting() as second:
            fragments.cached_fragment("test", [1], self.build, request=None)
        self.assertEqual(self.builds, 1)
        self.assertEqual(first, {"page:7"})
        self.assertEqual(second, {"page:7"})

    def test_a_new_generation_rebuilds(self) -> None:
        fragments.cached_fragment("test", [1], self.build, request=None)
        page_cache.invalidate_all()
        fragments.cached_fragment("test", [1], self.build, request=None)
        self.assertEqual(self.builds, 2)

    def test_a_fragment_that_expires_is_kept_no_longer(self) -> None:
        def expiring() -> str:
            fragments.expires_at(timezone.now() - datetime.timedelta(seconds=1))
            return self.build()

        def outer() -> str:
            return "<div>" + fragments.cached_fragment("inner", [1], expiring, request=None)

        fragments.cached_fragment("outer", [1], outer, request=None)
        fragments.cached_fragment("outer", [1], outer, request=None)
        # Neither the inner fragment nor the one enclosing it outlived the moment.
        self.assertEqual(self.builds, 2)

    def test_previews_and_query_strings_skip_the_cache(self) -> None:
        preview = RequestFactory().get("/")
        preview.is_preview = True  # type: ignore[attr-defined]
        voted = RequestFactory().get("/?poll=3&voted=1")
        for request in (preview, voted, preview):
            fragments.cached_fragment("test", [1], self.build, request=request)
        self.assertEqual(self.builds, 3)
        paginated = RequestFactory().get("/?page=2")
        self.assertTrue(fragments.fragments_allowed(paginated))

    def test_a_menu_fragment_is_kept_for_any_query_string_but_never_for_previews(self) -> None:
        search = RequestFactory().get("/search/?q=транзит")
        preview = RequestFactory().get("/")
        preview.is_preview = True  # type: ignore[attr-defined]
        for request in (search, search, preview, preview):
            fragments.cached_fragment("menu", [1], self.build, request=request, any_query=True)
        self.assertEqual(self.builds, 3)


class ListingFragmentsTests(TestCase):
    """Home, sections, blogs, term and entity pages: their lists are fragments too."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, cls.country = site_with_blog_and_country()
        cls.first = article_in_blog(cls.blog, title="Каспийский транзит")
        cls.first.countries.add(cls.country)
        cls.first.save_revision().publish()

    def setUp(self) -> None:
        cache.clear()
        self.client.cookies.load(SIGNED_IN)

    def read(self, path: str) -> str:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        self.assertNotIn("X-Page-Cache", response)
        return response.content.decode()

    def listings(self) -> list[str]:
        return ["/", self.blog.url, f"/countries/{self.country.slug}/", "/blogs/"]

    def test_a_warm_listing_reads_nothing_but_its_route(self) -> None:
        for path in self.listings():
            with self.subTest(path=path):
                self.read(path)
                with CaptureQueriesContext(connection) as warm:
                    self.read(path)
                self.assertLessEqual(len(warm), 1, "\n".join(q["sql"] for q in warm))

    def test_a_published_article_enters_every_listing_and_leaves_when_unpublished(self) -> None:
        for path in self.listings()[:3]:
            self.assertNotIn("Порт Актау", self.read(path))
        second = article_in_blog(self.blog, title="Порт Актау", publish=False)
        second.countries.add(self.country)
        with self.captureOnCommitCallbacks(execute=True):
            second.save_revision().publish()
        for path in self.listings()[:3]:
            self.assertIn("Порт Актау", self.read(path), path)
        second.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            second.unpublish()
        for path in self.listings()[:3]:
            self.assertNotIn("Порт Актау", self.read(path), path)

    def test_page_numbers_past_the_end_are_404_and_follow_the_listing(self) -> None:
        self.enterContext(mock.patch.object(BlogPage, "articles_per_page", 1))
        self.assertEqual(self.client.get(f"{self.blog.url}?page=2").status_code, 404)
        self.assertEqual(self.client.get(f"{self.blog.url}?page=x").status_code, 404)
        with self.captureOnCommitCallbacks(execute=True):
            article_in_blog(self.blog, title="Порт Актау", date=datetime.date(2025, 12, 1))
        self.assertIn("Каспийский транзит", self.read(f"{self.blog.url}?page=2"))
        self.assertIn("Порт Актау", self.read(f"{self.blog.url}?page=1"))
        self.assertNotIn("Каспийский транзит", self.read(f"{self.blog.url}?page=1"))

    def test_a_renamed_expert_changes_the_blog_listing(self) -> None:
        self.assertIn("Ирина Соколова", self.read("/"))
        expert = self.blog.expert
        expert.full_name = "Ирина Соколова-Ким"
        with self.captureOnCommitCallbacks(execute=True):
            expert.save()
        self.assertIn("Ирина Соколова-Ким", self.read("/"))

    def test_the_menu_follows_the_current_section(self) -> None:
        home = self.read("/")
        blog = self.read(self.blog.url)
        self.assertNotIn('aria-current="page"', home.split("</header>")[0])
        self.assertIn('aria-current="page"', blog.split("</header>")[0])
        # The blog has no English version: the switch goes to the English blogs, and says so.
        self.assertNotIn('rel="alternate" hreflang="en"', blog)
        self.assertIn('href="/en/blogs/" hreflang="en"', blog)

    def test_previews_of_a_listing_never_fill_it(self) -> None:
        self.read(self.blog.url)
        self.blog.intro = "<p>Черновое вступление блога</p>"
        self.blog.save_revision()
        self.assertNotIn("Черновое вступление", self.read(self.blog.url))


class EntityFragmentsTests(TestCase):
    def test_an_entity_renamed_by_an_editor_shows_its_new_name(self) -> None:
        site_setup()
        blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        article = article_in_blog(blog, title="Каспийский транзит")
        entity = Entity.objects.create(kind="org", name="Морской порт Актау", slug="aktau")
        Mention.objects.create(page=article, entity=entity, count=2)
        cache.clear()
        self.client.cookies.load(SIGNED_IN)
        self.assertContains(self.client.get("/entities/aktau/"), "Морской порт Актау")
        entity.name = "Порт Актау"
        with self.captureOnCommitCallbacks(execute=True):
            entity.save()
        response = self.client.get("/entities/aktau/")
        self.assertContains(response, "Порт Актау")
        self.assertNotContains(response, "Морской порт Актау")
