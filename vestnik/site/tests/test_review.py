"""Review that holds: nobody publishes text they wrote or last edited (docs/security.md).

Everything goes through the Russian admin's own URLs, as an editor would click.
"""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.site.services import EDITORS_GROUP, site_setup

WITHHELD = "Ваш текст публикует другой редактор после проверки"
TURNED_OFF = "Проверка вторым редактором отключена настройкой VESTNIK_REVIEW_REQUIRED"
PUBLISH_BUTTON = 'name="action-publish"'


def article_form(text: str = "<p>Первый абзац.</p>", **extra: Any) -> dict[str, Any]:
    return nested_form_data(
        {
            "title": "Каспийский транзит",
            "slug": "kaspiiskii-tranzit",
            "publication_date": "2025-11-28",
            "language": "ru",
            "lead": "Лид.",
            "body": streamfield([("paragraph", rich_text(text))]),
            "footnotes": inline_formset([]),
            "countries": "",
            "regions": "",
            "topics": "",
            **extra,
        }
    )


@override_settings(LANGUAGE_CODE="ru", WAGTAILADMIN_PERMITTED_LANGUAGES=[("ru", "Russian")])
class ReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        editors = Group.objects.get(name=EDITORS_GROUP)
        user_model = get_user_model()
        cls.e1, cls.e2, cls.e3 = (
            user_model.objects.create_user(name, password="x") for name in ("e1", "e2", "e3")
        )
        for editor in (cls.e1, cls.e2, cls.e3):
            editor.groups.add(editors)
        cls.blog = expert_with_blog()

    # --- helpers -------------------------------------------------------------

    def assertMentions(self, text: str, html: str, *, present: bool = True) -> None:
        # A whole admin page in a failure message hides the one line that matters.
        self.assertEqual(text in html, present, f"{text!r} {'missing' if present else 'shown'}")

    def edit_url(self, article: ArticlePage) -> str:
        return reverse("wagtailadmin_pages:edit", args=[article.pk])

    def write(self, user: Any, *, publish: bool = False) -> ArticlePage:
        """`user` creates an article in the admin, pressing «Publish» if asked to."""
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", self.blog.pk])
        action = {"action-publish": "1"} if publish else {}
        response = self.client.post(url, {**article_form(), **action})
        self.assertEqual(response.status_code, 302, response.content[:3000])
        return ArticlePage.objects.get(slug="kaspiiskii-tranzit")

    def post_edit(
        self, user: Any, article: ArticlePage, text: str = "<p>Первый абзац.</p>", **form: Any
    ) -> Any:
        self.client.force_login(user)
        response = self.client.post(self.edit_url(article), {**article_form(text), **form})
        self.assertEqual(response.status_code, 302, response.content[:3000])
        article.refresh_from_db()
        return response

    def edit_page(self, user: Any, article: ArticlePage) -> str:
        self.client.force_login(user)
        response = self.client.get(self.edit_url(article))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def scheduled(self, article: ArticlePage) -> bool:
        return Revision.objects.for_instance(article).exclude(approved_go_live_at=None).exists()

    def approve(self, user: Any, article: ArticlePage) -> bool:
        """`user` presses «Approve»; whether the article is live afterwards."""
        self.client.force_login(user)
        task_state = article.current_workflow_task_state
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk]
        )
        response = self.client.post(url, {"comment": ""})
        article.refresh_from_db()
        if not article.live:
            # Wagtail's admin answers a refused action with a redirect to the dashboard.
            self.assertEqual(response["Location"], reverse("wagtailadmin_home"))
            self.assertTrue(article.workflow_in_progress)
        return bool(article.live)

    # --- the rule ------------------------------------------------------------

    def test_the_writer_submits_and_another_editor_approves(self) -> None:
        article = self.write(self.e1, publish=True)
        self.assertFalse(article.live)  # creating and publishing in one go is refused
        self.assertEqual(article.owner, self.e1)

        html = self.edit_page(self.e1, article)
        self.assertMentions(PUBLISH_BUTTON, html, present=False)
        self.assertMentions(WITHHELD, html)
        self.assertMentions('name="action-submit"', html)

        self.post_edit(self.e1, article, **{"action-publish": "1"})
        self.assertFalse(article.live)

        self.post_edit(self.e1, article, **{"action-submit": "1"})
        self.assertTrue(article.workflow_in_progress)

        self.assertFalse(self.approve(self.e1, article))
        self.assertTrue(self.approve(self.e2, article))

    def test_another_editor_publishes_the_text_unchanged(self) -> None:
        article = self.write(self.e1)
        html = self.edit_page(self.e2, article)
        self.assertMentions(PUBLISH_BUTTON, html)
        self.assertMentions(WITHHELD, html, present=False)
        # The edit view saves a revision by e2, but the text is e1's.
        self.post_edit(self.e2, article, **{"action-publish": "1"})
        self.assertTrue(article.live)

    def test_whoever_last_edited_the_text_cannot_publish_it(self) -> None:
        article = self.write(self.e1)
        response = self.post_edit(
            self.e2, article, text="<p>Правка второго редактора.</p>", **{"action-publish": "1"}
        )
        self.assertFalse(article.live)
        self.assertEqual(article.get_latest_revision().user, self.e2)
        self.assertEqual(response["Location"], self.edit_url(article))
        # Now e2 is the last editor: no Publish for e2, no approval of their words either.
        self.assertMentions(PUBLISH_BUTTON, self.edit_page(self.e2, article), present=False)
        self.post_edit(
            self.e2, article, text="<p>Правка второго редактора.</p>", **{"action-submit": "1"}
        )
        self.assertFalse(self.approve(self.e2, article))
        # e1 owns the text, so a third editor approves.
        self.assertFalse(self.approve(self.e1, article))
        self.assertTrue(self.approve(self.e3, article))

    def test_a_reviewer_who_edits_during_review_cannot_approve(self) -> None:
        article = self.write(self.e1)
        self.post_edit(self.e1, article, **{"action-submit": "1"})
        self.post_edit(self.e2, article, text="<p>Правка рецензента.</p>")
        self.assertFalse(self.approve(self.e2, article))
        self.assertTrue(self.approve(self.e3, article))

    def test_a_co_authors_account_cannot_publish(self) -> None:
        article = article_in_blog(self.blog, publish=False)
        article.save_revision(user=self.e3)
        self.blog.expert.user = self.e1
        self.blog.expert.save()
        self.assertMentions(PUBLISH_BUTTON, self.edit_page(self.e1, article), present=False)
        self.assertMentions(PUBLISH_BUTTON, self.edit_page(self.e2, article))
        other = expert_with_blog("Асан Жакупов", "Асана Жакупова").expert
        other.user = self.e2
        other.save()
        article.co_authors.add(other)
        article.save_revision(user=self.e3)
        self.assertMentions(PUBLISH_BUTTON, self.edit_page(self.e2, article), present=False)

    def test_superusers_are_held_too(self) -> None:
        admin = get_user_model().objects.create_superuser("admin", password="x")
        article = self.write(admin, publish=True)
        self.assertFalse(article.live)
        self.assertMentions(PUBLISH_BUTTON, self.edit_page(admin, article), present=False)

    def test_bulk_publish_of_own_text_is_refused(self) -> None:
        article = self.write(self.e1)
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        self.client.force_login(self.e1)
        response = self.client.post(f"{url}?id={article.pk}", {"include_descendants": ""})
        self.assertIn(response.status_code, (200, 302))
        article.refresh_from_db()
        self.assertFalse(article.live)
        # Publishing the blog with its drafts does not take the article along either.
        self.client.post(f"{url}?id={self.blog.pk}", {"include_descendants": "on"})
        article.refresh_from_db()
        self.assertFalse(article.live)

    def test_publishing_an_old_revision_of_own_text_is_refused(self) -> None:
        article = self.write(self.e1)
        revision = article.get_latest_revision()
        self.post_edit(self.e1, article, text="<p>Вторая версия.</p>")
        self.client.force_login(self.e1)
        url = reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, revision.pk])
        self.assertMentions(PUBLISH_BUTTON, self.client.get(url).content.decode(), present=False)
        self.client.post(url, {**article_form(), "action-publish": "1"})
        article.refresh_from_db()
        self.assertFalse(article.live)

    def test_scheduled_go_live_does_not_publish_without_review(self) -> None:
        article = self.write(self.e1)
        soon = timezone.localtime() + datetime.timedelta(minutes=5)
        go_live = soon.strftime("%Y-%m-%d %H:%M")
        self.post_edit(self.e1, article, go_live_at=go_live, **{"action-publish": "1"})
        self.assertIsNotNone(article.get_latest_revision_as_object().go_live_at)
        self.assertFalse(self.scheduled(article))
        later = timezone.now() + datetime.timedelta(hours=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled", verbosity=0)
        article.refresh_from_db()
        self.assertFalse(article.live)
        # The same request schedules the article when review is off.
        with self.settings(VESTNIK_REVIEW_REQUIRED=False):
            self.post_edit(self.e1, article, go_live_at=go_live, **{"action-publish": "1"})
        self.assertTrue(self.scheduled(article))

    # --- one editor ----------------------------------------------------------

    @override_settings(VESTNIK_REVIEW_REQUIRED=False)
    def test_a_site_with_one_editor_turns_review_off(self) -> None:
        article = self.write(self.e1, publish=True)
        self.assertTrue(article.live)  # created and published in one go
        html = self.edit_page(self.e1, article)
        self.assertMentions(PUBLISH_BUTTON, html)
        self.assertMentions(TURNED_OFF, html)
        self.post_edit(self.e1, article, text="<p>Вторая версия.</p>", **{"action-publish": "1"})
        self.assertFalse(article.has_unpublished_changes)
