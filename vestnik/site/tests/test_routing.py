"""The routing cache (`core.routing`) never answers from where pages used to be.

Every test first reads the URLs involved, so that the cache holds the site,
the route and the view restrictions, then changes the tree the way an editor
or the code does, and reads again: the answer must be what Wagtail's own
routing gives on the data as it is now. Readers are signed in (a session
cookie), so the whole-page cache is out of the way and every request routes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.core import page_cache
from vestnik.site.models import ExpertIndexPage
from vestnik.site.services import site_setup

SIGNED_IN = "sessionid=someone-signed-in"


class RoutingCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.other_blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.article = article_in_blog(cls.blog, title="Каспийский транзит")

    def setUp(self) -> None:
        cache.clear()
        self.client.cookies.load(SIGNED_IN)

    def status(self, path: str, **headers: str) -> int:
        response = self.client.get(path, headers=headers)
        self.assertNotIn("X-Page-Cache", response)
        return response.status_code

    def committed(self) -> AbstractContextManager[list[Callable[[], Any]]]:
        return self.captureOnCommitCallbacks(execute=True)

    def test_a_remembered_route_costs_the_page_and_nothing_else(self) -> None:
        path = self.article.url
        self.assertEqual(self.status(path), 200)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.status(path), 200)
        tables = [q["sql"] for q in queries if "wagtailcore_site" in q["sql"]]
        self.assertEqual(tables, [], "the site comes from the routing cache")
        restrictions = [q for q in queries if "wagtailcore_pageviewrestriction" in q["sql"]]
        self.assertEqual(restrictions, [], "a public page needs no restriction query")

    def test_sub_routes_and_404s_go_through_the_page(self) -> None:
        path = self.article.url
        for _ in range(2):  # cold, then remembered
            self.assertEqual(self.status(f"{path}print/"), 200)
            self.assertEqual(self.status(f"{path}cite.bib"), 200)
            self.assertEqual(self.status(f"{path}no-such-route/"), 404)
            self.assertEqual(self.status(f"{self.blog.url}no-such-article/"), 404)
            self.assertEqual(self.status("/no/such/page/"), 404)
        experts = ExpertIndexPage.objects.get(locale__language_code="ru")
        self.assertEqual(self.status(f"{experts.url}{self.blog.expert.slug}/"), 200)
        self.assertEqual(self.status(f"{experts.url}{self.blog.expert.slug}/"), 200)

    def test_a_new_child_is_found_once_published_and_a_draft_never(self) -> None:
        path = f"{self.blog.url}novaya-statya/"
        self.assertEqual(self.status(path), 404)
        draft = article_in_blog(self.blog, title="Новая статья", publish=False)
        self.assertEqual(draft.url_path, f"{self.blog.url_path}novaya-statya/")
        self.assertEqual(self.status(path), 404)
        with self.committed():
            draft.save_revision().publish()
        self.assertEqual(self.status(path), 200)

    def test_unpublished_is_gone_at_once(self) -> None:
        path = self.article.url
        self.assertEqual(self.status(path), 200)
        with self.committed():
            self.article.unpublish()
        self.assertEqual(self.status(path), 404)
        self.assertEqual(self.status(f"{path}print/"), 404)

    def test_unpublished_without_a_purge_is_still_not_served(self) -> None:
        # Even were the generation not to move, the page itself is read fresh.
        path = self.article.url
        self.assertEqual(self.status(path), 200)
        Page.objects.filter(pk=self.article.pk).update(live=False)
        self.assertEqual(self.status(path), 404)

    def test_a_moved_page_leaves_its_old_path(self) -> None:
        old = self.article.url
        self.assertEqual(self.status(old), 200)
        with self.committed():
            self.article.move(self.other_blog, pos="last-child")
        moved = ArticlePage.objects.get(pk=self.article.pk)
        self.assertEqual(self.status(moved.url), 200)
        response = self.client.get(old)
        # Wagtail's redirects app leaves a permanent redirect behind; without it, a 404.
        if response.status_code == 404:
            return
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], moved.url)

    def test_a_slug_change_moves_the_page_and_everything_below(self) -> None:
        old_blog, old_article = self.blog.url, self.article.url
        self.assertEqual(self.status(old_blog), 200)
        self.assertEqual(self.status(old_article), 200)
        self.blog.slug = "irina-sokolova-blog"
        with self.committed():
            self.blog.save_revision().publish()
        self.assertEqual(self.status(f"/blogs/irina-sokolova-blog/{self.article.slug}/"), 200)
        self.assertEqual(self.status("/blogs/irina-sokolova-blog/"), 200)
        for path in (old_blog, old_article):
            self.assertIn(self.status(path), (301, 404), path)

    def test_a_slug_changed_in_code_moves_the_page_too(self) -> None:
        # A save without a publish sends only `page_slug_changed`.
        old = self.article.url
        self.assertEqual(self.status(old), 200)
        self.article.slug = "kaspiyskiy-tranzit-2"
        with self.committed():
            self.article.save()
        self.assertIn(self.status(old), (301, 404))
        self.assertEqual(self.status(f"{self.blog.url}kaspiyskiy-tranzit-2/"), 200)

    def test_a_remembered_page_deleted_without_a_purge_is_routed_afresh(self) -> None:
        draft = article_in_blog(self.blog, title="Черновик", publish=False)
        path = f"{self.blog.url}{draft.slug}/"
        generation = page_cache.current_generation()
        self.assertEqual(self.status(path), 404)
        with self.committed():
            draft.delete()
        # Whatever other apps did on the deletion, the generation stays put here: the
        # remembered route names a page that is gone.
        cache.set(page_cache.GENERATION_KEY, generation, timeout=None)
        self.assertEqual(self.status(path), 404)
        self.assertEqual(self.status(self.article.url), 200)

    def test_a_restriction_added_on_an_ancestor_closes_the_page_at_once(self) -> None:
        path = self.article.url
        self.assertEqual(self.status(path), 200)
        with self.committed():
            restriction = PageViewRestriction.objects.create(
                page=self.blog, restriction_type=PageViewRestriction.PASSWORD, password="секрет"
            )
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Каспийский транзит", response.content.decode().split("<form")[0][-2000:])
        self.assertIn('name="password"', response.content.decode())
        self.assertNotIn(b"article__body", response.content)
        with self.committed():
            restriction.delete()
        response = self.client.get(path)
        self.assertIn(b"article__body", response.content)

    def test_a_login_restriction_sends_an_anonymous_reader_to_log_in(self) -> None:
        path = self.article.url
        self.assertEqual(self.status(path), 200)
        with self.committed():
            PageViewRestriction.objects.create(
                page=self.article, restriction_type=PageViewRestriction.LOGIN
            )
        response = self.client.get(path)
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])

    def test_group_membership_is_read_fresh_on_every_request(self) -> None:
        group = Group.objects.create(name="Подписчики")
        with self.committed():
            restriction = PageViewRestriction.objects.create(
                page=self.article, restriction_type=PageViewRestriction.GROUPS
            )
            restriction.groups.add(group)
        reader = get_user_model().objects.create_user("reader", password="x")
        self.client.force_login(reader)
        path = self.article.url
        self.assertEqual(self.client.get(path).status_code, 302)
        reader.groups.add(group)  # no purge: the restriction itself did not change
        self.assertEqual(self.client.get(path).status_code, 200)
        reader.groups.remove(group)
        self.assertEqual(self.client.get(path).status_code, 302)

    def test_a_site_hostname_change_is_seen_at_once(self) -> None:
        path = self.article.url
        self.assertEqual(self.status(path, host="localhost"), 200)
        site = Site.objects.get()
        site.hostname, site.is_default_site = "vestnik.example", False
        with self.committed():
            site.save()
        self.assertEqual(self.status(path, host="localhost"), 404)
        self.assertEqual(self.status(path, host="vestnik.example"), 200)

    def test_a_redirect_answers_for_a_path_that_routed_to_nothing(self) -> None:
        self.assertEqual(self.status("/old-address/"), 404)
        Redirect.objects.create(old_path="/old-address", redirect_page=self.article)
        response = self.client.get("/old-address/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], self.article.url)
