"""The index follows publishing: publish, republish, unpublish, move, delete, rebuild."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.selectors import search_articles
from vestnik.discovery.search.services import search_index_rebuild
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Topic


def found(query: str, language: str | None = "ru") -> list[str]:
    return [hit.page.title for hit in search_articles(query=query, language=language).hits]


def indexed_pages() -> set[int]:
    """Pages the full-text index holds: FTS5 rows on SQLite, filled `vector`s on PostgreSQL."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM discovery_searchdocument_fts")
            return {int(row[0]) for row in cursor.fetchall()}
    return set(
        SearchDocument.objects.filter(vector__isnull=False).values_list("page_id", flat=True)
    )


class IndexingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")

    def test_publishing_indexes_title_lead_body_captions_and_footnotes(self) -> None:
        article = article_in_blog(
            self.blog,
            title="Военное сотрудничество",
            lead="Анкара и Астана.",
            body=[
                ("heading", {"text": "Поставки вооружений", "level": "h2"}),
                ("paragraph", "<p>Казахстан получил <b>турецкие</b> беспилотники [^1].</p>"),
                ("quote", {"text": "<p>Цитата о партнёрстве</p>", "attribution": "Эрдоган"}),
                ("table", {"data": [["Год", "Объём"], ["2024", "миллиард"]], "table_caption": ""}),
            ],
            footnotes={"1": "<p>The military balance 2024.</p>"},
        )
        document = SearchDocument.objects.get(page=article)
        self.assertEqual(document.language, "ru")
        self.assertEqual(document.expert_id, self.blog.expert_id)
        self.assertNotIn("[^1]", document.text)
        self.assertNotIn("<b>", document.text)
        for query in ["сотрудничества", "Анкары", "поставкам", "беспилотника", "партнерство",
                      "Эрдогана", "миллиарда", "military balance", "2024"]:  # fmt: skip
            with self.subTest(query=query):
                self.assertEqual(found(query), ["Военное сотрудничество"])
        self.assertEqual(indexed_pages(), {article.pk})

    def test_drafts_are_not_indexed_and_republishing_replaces_the_text(self) -> None:
        article = article_in_blog(self.blog, title="Черновик о газе", publish=False)
        self.assertFalse(SearchDocument.objects.filter(page=article).exists())
        self.assertEqual(found("газ"), [])

        article.save_revision().publish()
        self.assertEqual(found("газ"), ["Черновик о газе"])

        article.title = "Статья о нефти"
        article.save_revision().publish()
        self.assertEqual(found("газ"), [])
        self.assertEqual(found("нефти"), ["Статья о нефти"])
        self.assertEqual(SearchDocument.objects.count(), 1)
        self.assertEqual(indexed_pages(), {article.pk})

    def test_unpublishing_and_deleting_remove_the_article(self) -> None:
        first = article_in_blog(self.blog, title="Первая о пшенице")
        second = article_in_blog(self.blog, title="Вторая о пшенице")
        self.assertEqual(len(found("пшеница")), 2)

        first.unpublish()
        self.assertEqual(found("пшеница"), ["Вторая о пшенице"])
        second.delete()
        self.assertEqual(found("пшеница"), [])
        self.assertEqual(SearchDocument.objects.count(), 0)
        self.assertEqual(indexed_pages(), set())

    def test_moving_to_another_blog_changes_the_author(self) -> None:
        article = article_in_blog(self.blog, title="Переезд статьи")
        other = expert_with_blog("Мария Иванова", "Марии Ивановой")
        article.move(other, pos="last-child")
        self.assertEqual(SearchDocument.objects.get(page=article).expert_id, other.expert_id)

    def test_rebuild_indexes_every_live_article_once(self) -> None:
        live = article_in_blog(self.blog, title="Живая статья об угле")
        article_in_blog(self.blog, title="Черновик об угле", publish=False)
        SearchDocument.objects.all().delete()
        self.assertEqual(found("уголь"), [])

        self.assertEqual(search_index_rebuild(), 1)
        self.assertEqual(search_index_rebuild(), 1)
        self.assertEqual(found("угля"), ["Живая статья об угле"])
        self.assertEqual(indexed_pages(), {live.pk})

    def test_the_document_keeps_the_tags_as_published(self) -> None:
        other = expert_with_blog("Мария Иванова", "Марии Ивановой")
        kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        energy = Topic.objects.create(name_ru="Энергетика", name_en="Energy", slug="energy")
        article = article_in_blog(self.blog, title="Статья с тегами", publish=False)
        article.countries.set([kz])
        article.topics.set([energy])
        article.co_authors.set([other.expert])
        article.save_revision().publish()
        document = SearchDocument.objects.get(page=article)
        self.assertEqual(
            (document.countries, document.topics, document.co_authors),
            ([kz.pk], [energy.pk], [other.expert_id]),
        )
        SearchDocument.objects.all().delete()
        search_index_rebuild()
        self.assertEqual(SearchDocument.objects.get(page=article).countries, [kz.pk])

    def test_reindex_command(self) -> None:
        article_in_blog(self.blog, title="Статья о портах")
        out = io.StringIO()
        call_command("search_reindex", stdout=out)
        self.assertIn("1", out.getvalue())
        self.assertEqual(found("порт"), ["Статья о портах"])


class TranslationIndexingTests(TestCase):
    """An article and its translation are two documents, each in its own language."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")

    def setUp(self) -> None:
        self.russian = article_in_blog(self.blog, title="Зерновой коридор")
        self.english = english_translation(
            self.russian,
            title="The grain corridor",
            body=[("paragraph", "<p>Wheat exports through the Caspian ports.</p>")],
            footnotes={},
        )
        self.english.refresh_from_db()  # the factory's instance predates the publish

    def test_both_versions_are_indexed_each_in_its_language(self) -> None:
        languages = dict(SearchDocument.objects.values_list("page_id", "language"))
        self.assertEqual(languages, {self.russian.pk: "ru", self.english.pk: "en"})
        self.assertEqual(indexed_pages(), {self.russian.pk, self.english.pk})
        self.assertEqual(found("коридор"), ["Зерновой коридор"])
        self.assertEqual(found("corridors", "en"), ["The grain corridor"])
        self.assertEqual(found("corridor"), [])
        self.assertEqual(found("коридор", "en"), [])

    def test_a_rebuild_keeps_each_language(self) -> None:
        SearchDocument.objects.all().delete()
        self.assertEqual(search_index_rebuild(), 2)
        languages = dict(SearchDocument.objects.values_list("page_id", "language"))
        self.assertEqual(languages, {self.russian.pk: "ru", self.english.pk: "en"})
        self.assertEqual(found("exported wheat", "en"), ["The grain corridor"])

    def test_unpublishing_the_translation_leaves_the_source(self) -> None:
        self.english.unpublish()
        self.assertEqual(found("corridor", "en"), [])
        self.assertEqual(found("коридор"), ["Зерновой коридор"])
        self.assertEqual(indexed_pages(), {self.russian.pk})
