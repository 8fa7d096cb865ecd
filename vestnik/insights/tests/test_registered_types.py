"""Insights read any page type registered with `core.indexing`: extraction, entity pages, reruns.

The second type is a blog page registered under a test kind, as a publication
or an event registers itself in its `AppConfig.ready()`.
"""

from __future__ import annotations

from django.test import TestCase

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.core.indexing import indexed_page_unregister
from vestnik.discovery.tests.test_search_registry import KIND, register_reports
from vestnik.insights.models import Entity, Mention
from vestnik.insights.selectors import entity_materials, entity_months, specific_materials
from vestnik.insights.services import insights_extract_archive, insights_extract_for_page
from vestnik.site.services import site_setup
from vestnik.vocabulary.terms import vocabulary_ensure


class RegisteredTypeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        vocabulary_ensure()
        cls.blog = expert_with_blog()
        cls.article = article_in_blog(
            cls.blog, title="Казахстан и зерно", lead="Казахстан продаёт зерно.", footnotes={}
        )

    def setUp(self) -> None:
        register_reports()
        self.addCleanup(indexed_page_unregister, KIND)
        insights_extract_for_page(page=self.article)
        insights_extract_for_page(page=self.blog)
        self.kazakhstan = Entity.objects.get(country__iso_code="KZ")

    def test_the_registered_page_is_read_through_its_describer(self) -> None:
        mention = Mention.objects.get(page_id=self.blog.pk, entity=self.kazakhstan)
        # «Казахстана» in the described paragraph; the notes are not analysed.
        self.assertEqual(mention.count, 1)
        self.assertEqual(str(mention.date), "2025-03-14")

    def test_the_entity_lists_materials_of_every_kind_newest_first(self) -> None:
        materials = specific_materials(entity_materials(self.kazakhstan))
        # The article is dated today, the report 14 March 2025.
        self.assertEqual(
            [(page.pk, page.indexed_kind) for page in materials],  # type: ignore[attr-defined]
            [(self.article.pk, "article"), (self.blog.pk, KIND)],
        )
        self.assertEqual(sum(bar.articles for bar in entity_months(self.kazakhstan)), 2)
        html = self.client.get(f"/entities/{self.kazakhstan.slug}/").content.decode()
        section = html.split('id="articles-title"', 1)[1].split("</section>", 1)[0]
        self.assertIn(f'href="{self.blog.url}"', section)
        self.assertIn(f'href="{self.article.url}"', section)
        self.assertIn(f'data-kind="{KIND}"', section)

    def test_the_archive_run_covers_every_registered_type(self) -> None:
        run = insights_extract_archive()
        self.assertEqual(run.failed, [])
        # Every live article and every live blog page (the test kind) of the site.
        self.assertGreaterEqual(run.pages, 2)
        self.assertTrue(Mention.objects.filter(page_id=self.blog.pk).exists())
