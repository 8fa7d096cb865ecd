"""Articles in two languages: English ones read by the English extractor, one entity across both."""

from __future__ import annotations

from django.test import TestCase

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.insights.models import Entity, Mention, TimelineEvent
from vestnik.insights.selectors import entity_timeline
from vestnik.site.services import site_setup
from vestnik.vocabulary.terms import vocabulary_ensure

RUSSIAN_TITLE = "Турция и Казахстан"
ENGLISH_TITLE = "Turkey and Kazakhstan"


class TwoLanguagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        vocabulary_ensure()
        blog = expert_with_blog()
        # Publishing queues extraction after commit; run those callbacks as production would.
        with cls.captureOnCommitCallbacks(execute=True):
            cls.article = article_in_blog(
                blog,
                title=RUSSIAN_TITLE,
                lead="В марте 1992 г. Турция признала независимость Казахстана.",
                body=[("paragraph", "<p>Анкара и Астана расширяют сотрудничество.</p>")],
                footnotes={},
            )
        with cls.captureOnCommitCallbacks(execute=True):
            cls.translation = english_translation(
                cls.article,
                title=ENGLISH_TITLE,
                lead="Turkey recognised Kazakhstan's independence in March 1992.",
                body=[("paragraph", "<p>Turkey and Kazakhstan are widening their ties.</p>")],
                footnotes={},
            )
        cls.turkey = Entity.objects.get(country__iso_code="TR")

    def test_the_english_translation_is_read_by_the_english_extractor_on_publish(self) -> None:
        self.assertEqual(self.translation.language, "en")
        # «Turkey» resolves to the same entity as «Турция»: the vocabulary's English alias.
        english = dict(
            Mention.objects.filter(page=self.translation).values_list("entity__name", "count")
        )
        self.assertEqual(english, {"Турция": 2, "Казахстан": 2})
        self.assertEqual(
            Mention.objects.get(page=self.translation, entity=self.turkey).forms, "Turkey"
        )
        # English dates («March 1992») are the English path's; natasha would not read them.
        self.assertEqual(
            list(TimelineEvent.objects.filter(page=self.translation).values_list("year", "month")),
            [(1992, 3)],
        )

    def test_one_entity_page_lists_both_languages_in_each_interface_language(self) -> None:
        for prefix, name in (("", "Турция"), ("/en", "Türkiye")):
            with self.subTest(prefix or "/"):
                response = self.client.get(f"{prefix}/entities/{self.turkey.slug}/")
                self.assertEqual(response.status_code, 200)
                html = response.content.decode().replace("\xa0", " ")
                self.assertIn(f"<h1>{name}", html)
                articles = html.split('id="articles-title"', 1)[1].split("</section>", 1)[0]
                self.assertIn(RUSSIAN_TITLE, articles)
                self.assertIn(ENGLISH_TITLE, articles)
                self.assertIn(self.article.url, articles)
                self.assertIn(self.translation.url, articles)
                # Each article says its language; the one not in the page's carries its `lang`.
                self.assertIn('<span aria-hidden="true">EN</span>', articles)
                self.assertIn('<span aria-hidden="true">RU</span>', articles)
                other = "en" if prefix == "" else "ru"
                self.assertEqual(articles.count(f'class="entity__article" lang="{other}"'), 1)
                self.assertEqual(articles.count('class="entity__article">'), 1)

    def test_the_timeline_shows_a_translated_article_once_in_the_readers_language(self) -> None:
        russian = entity_timeline(self.turkey, language="ru")
        english = entity_timeline(self.turkey, language="en")
        self.assertEqual([event.page_id for event in russian], [self.article.pk])
        self.assertEqual([event.page_id for event in english], [self.translation.pk])

    def test_the_english_index_names_countries_in_english(self) -> None:
        html = self.client.get("/en/entities/").content.decode()
        self.assertIn(f'href="/en/entities/{self.turkey.slug}/">Türkiye</a>', html)
