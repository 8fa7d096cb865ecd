"""Who may do what in the analysis section: editors file pieces, named authors edit theirs."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from vestnik.articles.factories import expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.site.services import site_setup
from vestnik.site.tests.accounts import ADMIN_HOME, account_for, article_form, editor_account


class AnalysisRolesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = site_setup()
        cls.expert_a = expert_with_blog("Асан Жакупов", "Асана Жакупова").expert
        cls.expert_b = expert_with_blog("Ирина Соколова", "Ирины Соколовой").expert
        cls.author_a = account_for(cls.expert_a, "asan")
        cls.author_b = account_for(cls.expert_b, "irina")
        cls.editor = editor_account()

    def assertRefused(self, response: Any, what: str) -> None:
        # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
        self.assertEqual(response.status_code, 302, what)
        self.assertEqual(response["Location"], ADMIN_HOME, what)

    def add_url(self) -> str:
        return reverse(
            "wagtailadmin_pages:add", args=["articles", "articlepage", self.tree.analysis.pk]
        )

    def editor_files_a_draft(self, *co_authors: int) -> ArticlePage:
        self.client.force_login(self.editor)
        response = self.client.post(
            self.add_url(),
            article_form(
                title="Институциональный доклад", slug="institutsionalnyy", co_authors=co_authors
            ),
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        return ArticlePage.objects.child_of(self.tree.analysis).get(slug="institutsionalnyy")

    def test_authors_cannot_write_in_the_section_or_change_it(self) -> None:
        self.client.force_login(self.author_a)
        self.assertRefused(self.client.get(self.add_url()), "add an analysis piece")
        for name in ("wagtailadmin_pages:add_subpage", "wagtailadmin_pages:edit"):
            self.assertRefused(
                self.client.get(reverse(name, args=[self.tree.analysis.pk])),
                f"{name} of /analytics/",
            )

    def test_an_editor_files_a_piece_and_another_editor_publishes_it(self) -> None:
        article = self.editor_files_a_draft(self.expert_b.pk, self.expert_a.pk)
        self.assertFalse(article.live)
        self.assertEqual(
            [e.pk for e in article.get_latest_revision_as_object().authors_in_order()],
            [self.expert_a.pk, self.expert_b.pk],
        )
        # The review rule (`core.review`) holds here as in blogs: not the writer's to publish.
        edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
        self.assertNotContains(self.client.get(edit_url), 'name="action-publish"')
        self.client.force_login(editor_account("second-editor"))
        self.assertContains(self.client.get(edit_url), 'name="action-publish"')

    def test_a_named_author_edits_the_draft_and_no_one_else_does(self) -> None:
        article = self.editor_files_a_draft(self.expert_a.pk)
        edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])

        self.client.force_login(self.author_b)
        self.assertRefused(self.client.get(edit_url), "edit a piece not naming them")
        revisions = article.revisions.count()
        response = self.client.post(edit_url, article_form(article, title="Чужая правка"))
        self.assertRefused(response, "POST edit of a piece not naming them")
        self.assertEqual(article.revisions.count(), revisions)

        self.client.force_login(self.author_a)
        page = self.client.get(edit_url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="action-publish"')
        response = self.client.post(
            edit_url, article_form(article, title="Правка автора", co_authors=[self.expert_a.pk])
        )
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.get_latest_revision_as_object().title, "Правка автора")
        for action in ("delete", "move", "copy"):
            self.assertRefused(
                self.client.get(reverse(f"wagtailadmin_pages:{action}", args=[article.pk])),
                f"named author: {action}",
            )
        self.client.post(
            edit_url, article_form(article, title="Попытка опубликовать", **{"action-publish": "1"})
        )
        article.refresh_from_db()
        self.assertFalse(article.live)

        # The editor takes the author off the byline: the right goes with the name.
        self.client.force_login(self.editor)
        self.client.post(edit_url, article_form(article, co_authors=[self.expert_b.pk]))
        self.client.force_login(self.author_a)
        self.assertRefused(self.client.get(edit_url), "edit after removal")
        self.client.force_login(self.author_b)
        self.assertEqual(self.client.get(edit_url).status_code, 200)
