"""Translating an article with wagtail-localize: segments, drafts, PO files, staleness, rights.

Everything here goes through wagtail-localize's own models and admin views,
as an editor's clicks do.
"""

from __future__ import annotations

import polib

from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import TestCase
from django.urls import reverse

from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.articles.models import ArticleFootnote, ArticlePage
from vestnik.articles.selectors import TranslationState, translation_status
from vestnik.articles.services import author_account_ensure
from vestnik.core.models import User
from vestnik.site.services import EDITORS_GROUP, site_setup

BODY = [
    ("paragraph", "<p>Транзит растёт [^1].</p>"),
    ("heading", {"text": "Маршруты", "level": "h2"}),
    ("quote", {"text": "<p>Каспий стал ближе.</p>", "attribution": "Эксперт"}),
    (
        "table",
        {
            "data": [["Страна", "Объём"], ["Казахстан", "10"]],
            "first_row_is_table_header": True,
            "first_col_is_header": False,
        },
    ),
]
ENGLISH = {
    "Каспийский транзит": "Caspian transit",
    "kaspiyskiy-tranzit": "caspian-transit",
    "Короткий лид.": "A short lead.",
    "Транзит растёт [^1].": "Transit grows [^1].",
    "Маршруты": "Routes",
    "Каспий стал ближе.": "The Caspian came closer.",
    "Эксперт": "An expert",
    "Страна": "Country",
    "Объём": "Volume",
    "Казахстан": "Kazakhstan",
    "Источник: МВФ.": "Source: the IMF.",
}


def _editor() -> User:
    user = User.objects.create_user(username="editor", password="x")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


class TranslationWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.english = Locale.objects.get(language_code="en")
        cls.editor = _editor()
        blog = expert_with_blog()
        cls.article = article_in_blog(
            blog,
            title="Каспийский транзит",
            lead="Короткий лид.",
            body=BODY,
            footnotes={"1": "<p>Источник: МВФ.</p>"},
            source_fingerprint="f" * 64,
        )

    def setUp(self) -> None:
        # As the admin loads it: the builder's instance still holds unsaved child objects.
        self.article = ArticlePage.objects.get(pk=self.article.pk)

    def _translate(self) -> tuple[Translation, ArticlePage]:
        TranslationCreator(self.editor, [self.english]).create_translations(self.article)
        translation = Translation.objects.get(
            source__object_id=self.article.translation_key, target_locale=self.english
        )
        return translation, self.article.get_translation(self.english)

    def _publish(self, translation: Translation) -> None:
        # wagtail-localize publishes once the transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            translation.save_target(user=self.editor, publish=True)

    def _translate_through_po(self, translation: Translation) -> polib.POFile:
        po = translation.export_po()
        for entry in po:
            entry.msgstr = ENGLISH.get(entry.msgid, "")
        # Through text, as a translator's file comes back.
        warnings = translation.import_po(polib.pofile(str(po)))
        self.assertEqual(warnings, [])
        return po

    def test_every_words_of_the_article_is_a_segment_and_nothing_else(self) -> None:
        translation, _target = self._translate()

        segments = set(
            StringSegment.objects.filter(source=translation.source).values_list(
                "string__data", flat=True
            )
        )

        self.assertEqual(segments, set(ENGLISH))
        # The footnote's key is what [^1] cites: copied, never offered to translate.
        self.assertNotIn("1", segments)
        self.assertNotIn("f" * 64, segments)

    def test_a_new_translation_is_a_draft_until_published(self) -> None:
        translation, target = self._translate()

        self.assertFalse(target.live)
        # The draft's address leads to the Russian source (vestnik/site/views.py), never the draft.
        draft_response = self.client.get(target.url)
        self.assertNotEqual(draft_response.status_code, 200)
        if draft_response.status_code == 302:
            self.assertEqual(draft_response["Location"], self.article.url)

        self._translate_through_po(translation)
        self._publish(translation)

        target.refresh_from_db()
        self.assertTrue(target.live)
        self.assertEqual((target.title, target.slug), ("Caspian transit", "caspian-transit"))
        response = self.client.get(target.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Transit grows")
        self.assertContains(response, "The Caspian came closer.")
        self.assertContains(response, "Kazakhstan")
        self.assertContains(response, "Source: the IMF.")
        self.assertNotContains(response, "Источник: МВФ.")
        self.assertNotContains(response, "Транзит растёт")

    def test_translated_footnotes_are_the_sources_in_english(self) -> None:
        translation, target = self._translate()
        self._translate_through_po(translation)
        self._publish(translation)

        source_note = self.article.footnotes.get()
        note = ArticleFootnote.objects.get(page=target)
        self.assertEqual(
            (note.key, note.locale, note.translation_key),
            ("1", self.english, source_note.translation_key),
        )
        self.assertEqual(source_note.locale, self.article.locale)
        # Synchronised facts: a translation carries its source's date and fingerprint-free metadata.
        self.assertEqual(target.specific.publication_date, self.article.publication_date)

    def test_a_po_file_goes_out_and_comes_back(self) -> None:
        translation, _target = self._translate()

        po = translation.export_po()
        self.assertIn("Источник: МВФ.", [entry.msgid for entry in po])
        self.assertEqual(translation.get_progress(), (len(ENGLISH), 0))

        self._translate_through_po(translation)

        self.assertEqual(translation.get_progress(), (len(ENGLISH), len(ENGLISH)))
        exported = {entry.msgid: entry.msgstr for entry in translation.export_po()}
        self.assertEqual(exported["Источник: МВФ."], "Source: the IMF.")

    def test_a_changed_source_shows_which_segments_wait(self) -> None:
        translation, target = self._translate()
        self._translate_through_po(translation)
        self._publish(translation)
        [status] = translation_status(self.article)
        self.assertEqual((status.page.pk, status.managed), (target.pk, True))
        self.assertEqual((status.state, status.waiting), (TranslationState.UP_TO_DATE, ()))

        article = ArticlePage.objects.get(pk=self.article.pk)
        # An editor's change: the other blocks keep their ids, so their translations stand.
        raw = list(article.body.raw_data)
        raw[0] = {**raw[0], "value": "<p>Транзит удвоился [^1].</p>"}
        article.body = raw
        article.save_revision().publish()

        [status] = translation_status(article)
        self.assertEqual(status.state, TranslationState.SOURCE_CHANGED)

        translation.source.update_from_db()

        [status] = translation_status(article)
        self.assertEqual(status.state, TranslationState.SEGMENTS_WAITING)
        self.assertEqual(status.waiting, ("Транзит удвоился [^1].",))
        self.assertTrue(status.out_of_date)
        # Asked from the English side, the answer is the same.
        self.assertEqual(translation_status(target)[0].state, TranslationState.SEGMENTS_WAITING)


class ImportedTranslationStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.article_id = article_in_blog(expert_with_blog()).pk

    def setUp(self) -> None:
        self.article = ArticlePage.objects.get(pk=self.article_id)

    def test_an_imported_translation_is_behind_once_the_source_is_republished(self) -> None:
        self.assertEqual(translation_status(self.article), [])
        translation = english_translation(self.article)

        [status] = translation_status(self.article)
        self.assertEqual((status.managed, status.state), (False, TranslationState.UP_TO_DATE))
        self.assertFalse(TranslationSource.objects.exists())

        self.article.save_revision().publish()
        [status] = translation_status(self.article)
        self.assertEqual(status.state, TranslationState.SOURCE_CHANGED)

        translation.save_revision().publish()
        [status] = translation_status(self.article)
        self.assertEqual(status.state, TranslationState.UP_TO_DATE)

    def test_translation_keeps_each_footnote_paired_with_its_source(self) -> None:
        translation = english_translation(self.article)

        notes = ArticleFootnote.objects.filter(page=translation)
        pairs = {note.key: note.translation_key for note in notes}
        self.assertEqual(pairs, dict(self.article.footnotes.values_list("key", "translation_key")))
        self.assertEqual(
            set(ArticleFootnote.objects.filter(page=translation).values_list("locale", flat=True)),
            {translation.locale_id},
        )


class TranslationRightsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.english = Locale.objects.get(language_code="en")
        own_blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        other_blog = expert_with_blog("Дина Токаева", "Дины Токаевой")
        cls.author, _ = author_account_ensure(username="asan", expert=own_blog.expert)
        cls.other_author, _ = author_account_ensure(username="dina", expert=other_blog.expert)
        cls.editor = _editor()
        cls.own_article = article_in_blog(own_blog, title="Своя статья")
        cls.others_article = article_in_blog(other_blog, title="Чужая статья")

    def _submit(self, article: ArticlePage) -> HttpResponse:
        return self.client.post(
            reverse("wagtail_localize:submit_page_translation", args=[article.pk]),
            {"locales": [self.english.pk]},
        )

    def assertRefused(self, response: HttpResponse) -> None:
        # Wagtail's admin answers a refusal by sending the user to the dashboard.
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)

    def test_an_author_translates_their_own_article_and_edits_the_translation(self) -> None:
        self.client.force_login(self.author)

        response = self._submit(self.own_article)

        target = self.own_article.get_translation(self.english)
        self.assertRedirects(
            response,
            reverse("wagtailadmin_pages:edit", args=[target.pk]),
            fetch_redirect_response=False,
        )
        self.assertFalse(target.live)
        self.assertEqual(target.get_parent().specific.expert.user, self.author)
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[target.pk]))
        self.assertEqual(edit.status_code, 200)

    def test_an_author_may_not_translate_someone_elses_article(self) -> None:
        self.client.force_login(self.author)

        self.assertRefused(self._submit(self.others_article))
        self.assertIsNone(self.others_article.get_translation_or_none(self.english))
        self.assertFalse(TranslationSource.objects.exists())
        self.assertRefused(
            self.client.get(
                reverse("wagtail_localize:submit_page_translation", args=[self.others_article.pk])
            )
        )

    def test_an_author_may_not_sync_someone_elses_translations(self) -> None:
        self.client.force_login(self.editor)
        self._submit(self.others_article)
        source = TranslationSource.objects.get(object_id=self.others_article.translation_key)

        self.client.force_login(self.author)
        url = reverse("wagtail_localize:update_translations", args=[source.pk])
        self.assertRefused(self.client.get(url))
        self.assertRefused(self.client.post(url, {}))

    def test_an_editor_translates_any_article(self) -> None:
        self.client.force_login(self.editor)

        self._submit(self.others_article)

        self.assertIsNotNone(self.others_article.get_translation_or_none(self.english))


class TranslationsInTheAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.english = Locale.objects.get(language_code="en")
        cls.editor = _editor()
        own_blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        other_blog = expert_with_blog("Дина Токаева", "Дины Токаевой")
        cls.author, _ = author_account_ensure(username="asan", expert=own_blog.expert)
        cls.managed = article_in_blog(other_blog, title="Переводимая статья")
        TranslationCreator(cls.editor, [cls.english]).create_translations(cls.managed)
        cls.imported = english_translation(
            article_in_blog(other_blog, title="Импортированная статья"), title="Imported article"
        )

    def test_the_report_lists_each_translation_with_its_status(self) -> None:
        self.client.force_login(self.editor)

        response = self.client.get(reverse("vestnik_article_translations:index"))

        self.assertEqual(response.status_code, 200)
        # The count is of translations, not of their sources too.
        self.assertEqual(response.context["paginator"].count, 2)
        rows = {page.pk: page.translation.state for page in response.context["table"].data}
        self.assertEqual(
            rows,
            {
                self.managed.get_translation(self.english).pk: TranslationState.SEGMENTS_WAITING,
                self.imported.pk: TranslationState.UP_TO_DATE,
            },
        )
        self.assertContains(response, "Imported article")
        # The admin speaks the site's language: «Segments waiting» in Russian.
        self.assertContains(response, "Есть непереведённые фрагменты")

    def test_an_author_sees_only_the_translations_they_may_edit(self) -> None:
        self.client.force_login(self.author)

        response = self.client.get(reverse("vestnik_article_translations:index"))

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Imported article")

    def test_the_article_editor_shows_its_languages_and_their_state(self) -> None:
        self.client.force_login(self.editor)
        source = self.imported.get_translation(Locale.objects.get(language_code="ru"))

        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[source.pk]))

        self.assertContains(response, 'data-language="en" data-state="up_to_date"')
        self.assertContains(response, "Imported article")
