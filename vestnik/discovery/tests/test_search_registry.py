"""Search indexes any page type registered with `core.indexing`, not only articles.

The second type is a blog page registered under a test kind with a describer
of its own: what a publication or an event does in its `AppConfig.ready()`.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import BlogPage
from vestnik.core.indexing import (
    IndexedPart,
    IndexedText,
    indexed_page_register,
    indexed_page_unregister,
    indexed_type_of,
)
from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.selectors import SearchFilters, search_articles
from vestnik.discovery.search.services import search_document_update, search_index_rebuild
from vestnik.discovery.selectors import indexed_documents_tagged, indexed_pages
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country

KIND = "report"
# The label a hit shows, in the interface language (Russian here).
LABEL = gettext_lazy("Report")


def describe_report(page: BlogPage) -> IndexedText:
    return IndexedText(
        title=page.title,
        language="ru",
        date=datetime.date(2025, 3, 14),
        parts=(IndexedPart("paragraph", "Рабочая тетрадь о зерновом экспорте Казахстана."),),
        notes=("Источник: таможенная статистика",),
        authors=(page.expert_id,),
        countries=tuple(Country.objects.filter(iso_code="KZ").values_list("pk", flat=True)),
    )


def register_reports() -> None:
    indexed_page_register(BlogPage, kind=KIND, label=LABEL, describe=describe_report)


class RegisteredTypeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.kz = Country.objects.create(
            iso_code="KZ", slug="kz", name_ru="Казахстан", name_en="Kazakhstan"
        )
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.article = article_in_blog(
            cls.blog, title="Зерно и пошлины", lead="О зерновом экспорте.", countries=[cls.kz]
        )

    def setUp(self) -> None:
        register_reports()
        self.addCleanup(indexed_page_unregister, KIND)

    def test_an_article_is_still_an_article(self) -> None:
        self.assertEqual(indexed_type_of(self.article).kind, "article")  # type: ignore[union-attr]
        self.assertEqual(SearchDocument.objects.get(page_id=self.article.pk).kind, "article")

    def test_publishing_a_registered_page_indexes_its_described_text(self) -> None:
        self.blog.save_revision().publish()
        document = SearchDocument.objects.get(page_id=self.blog.pk)
        self.assertEqual(document.kind, KIND)
        self.assertEqual(document.publication_date, datetime.date(2025, 3, 14))
        self.assertEqual(document.expert_id, self.blog.expert_id)
        self.assertEqual(document.countries, [self.kz.pk])
        results = search_articles(query="таможенной статистикой", language="ru")
        self.assertEqual([hit.page.pk for hit in results.hits], [self.blog.pk])
        hit = results.hits[0]
        self.assertIsInstance(hit.page, BlogPage)
        self.assertEqual(
            (hit.kind, hit.kind_label, hit.date), (KIND, str(LABEL), document.publication_date)
        )

    def test_both_kinds_are_found_counted_and_filtered_together(self) -> None:
        search_document_update(page=self.blog)
        results = search_articles(query="зерновой", language="ru")
        self.assertEqual({hit.kind for hit in results.hits}, {"article", KIND})
        self.assertEqual(results.total, 2)
        self.assertEqual([(v.key, v.count) for v in results.facets.countries], [("kz", 2)])
        # The report's main author is the blog's expert; so is the article's.
        self.assertEqual([v.count for v in results.facets.authors], [2])
        narrowed = search_articles(
            query="зерновой", language="ru", filters=SearchFilters(country=self.kz.slug)
        )
        self.assertEqual(narrowed.total, 2)

    def test_the_results_page_shows_each_kind_with_its_label(self) -> None:
        search_document_update(page=self.blog)
        with self.settings(VESTNIK_SEARCH_CACHE_SECONDS=0):
            html = self.client.get("/search/", {"q": "зерновой"}).content.decode()
        self.assertIn(f'data-kind="report">{LABEL}</span>', html)
        self.assertIn(f'href="{self.blog.url}"', html)
        self.assertIn('<time datetime="2025-03-14">', html)
        self.assertIn(f'href="{self.article.url}"', html)

    def test_unpublishing_and_unregistering_forget_the_page(self) -> None:
        search_document_update(page=self.blog)
        self.blog.unpublish()
        self.assertFalse(SearchDocument.objects.filter(page_id=self.blog.pk).exists())
        self.blog.refresh_from_db()
        self.blog.save_revision().publish()
        indexed_page_unregister(KIND)
        self.assertEqual(search_index_rebuild(), 1)
        self.assertEqual(list(SearchDocument.objects.values_list("kind", flat=True)), ["article"])

    def test_a_rebuild_covers_every_registered_type(self) -> None:
        self.assertEqual(search_index_rebuild(), 2)
        self.assertEqual(
            dict(SearchDocument.objects.values_list("page_id", "kind")),
            {self.article.pk: "article", self.blog.pk: KIND},
        )
        self.assertEqual(len(search_articles(query="таможенный", language="ru").hits), 1)

    def test_hits_of_several_kinds_cost_one_query_per_kind(self) -> None:
        search_index_rebuild()

        def queries_for(query: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                search_articles(query=query, language="ru")
            return len(captured)

        articles_only = queries_for("пошлина")
        for number in range(3):
            article_in_blog(self.blog, title=f"Пошлины {number}", lead="О пошлинах.")
        # A report among them adds its type's one query, however many articles there are.
        search_document_update(page=self.blog)
        self.assertEqual(queries_for("пошлина"), articles_only)
        self.assertEqual(queries_for("зерновой"), articles_only + 1)


class TaggedPagesTests(TestCase):
    """`discovery.selectors` lists a term's pages of every registered kind."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.kz = Country.objects.create(
            iso_code="KZ", slug="kz", name_ru="Казахстан", name_en="Kazakhstan"
        )
        cls.other = Country.objects.create(
            iso_code="TR", slug="tr", name_ru="Турция", name_en="Türkiye"
        )
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.article = article_in_blog(cls.blog, title="Зерно", countries=[cls.kz])
        article_in_blog(cls.blog, title="Проливы", countries=[cls.other])

    def setUp(self) -> None:
        register_reports()
        self.addCleanup(indexed_page_unregister, KIND)

    def test_a_country_lists_its_articles_and_reports_newest_first(self) -> None:
        search_document_update(page=self.blog)
        documents = indexed_documents_tagged(self.kz, language="ru")
        self.assertEqual(documents.count(), 2)
        with CaptureQueriesContext(connection) as captured:
            pages = indexed_pages(documents)
        self.assertEqual(
            [(page.pk, page.indexed_kind) for page in pages],
            [(self.article.pk, "article"), (self.blog.pk, KIND)],
        )
        self.assertEqual(pages[0].listing_blog.pk, self.blog.pk)  # articles come with bylines
        # The documents with their pages, then one query per kind (articles: blogs, co-authors).
        self.assertLessEqual(len(captured), 5)
        self.assertEqual(indexed_documents_tagged(self.kz, language="en").count(), 0)
