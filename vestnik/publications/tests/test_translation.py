"""A publication translated with wagtail-localize: words are segments, facts are synchronised."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase

from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation
from wagtail_localize.operations import TranslationCreator

from vestnik.authors.models import Expert
from vestnik.publications.factories import publication_in_library
from vestnik.publications.models import PublicationPage
from vestnik.publications.services import publications_index_ensure
from vestnik.site.services import site_setup


class PublicationTranslationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        publications_index_ensure("en")
        cls.english = Locale.objects.get(language_code="en")
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
        cls.expert = Expert.objects.create(full_name="Асан Жакупов", slug="asan-zhakupov")
        cls.page = publication_in_library(
            authors=[cls.expert, "Пётр Иванов"],
            paragraphs=["Уникальная фраза из файла."],
            isbn="978-5-00000-000-0",
            body=[("paragraph", "<p>Текст для сайта.</p>")],
        )

    def test_segments_are_words_and_the_translation_keeps_the_facts(self) -> None:
        page = PublicationPage.objects.get(pk=self.page.pk)
        TranslationCreator(self.admin, [self.english]).create_translations(page)
        translation = Translation.objects.get(
            source__object_id=page.translation_key, target_locale=self.english
        )
        segments = set(
            StringSegment.objects.filter(source=translation.source).values_list(
                "string__data", flat=True
            )
        )
        self.assertIn("Каспийский транзит: порты и тарифы", segments)
        self.assertIn("Текст для сайта.", segments)
        self.assertFalse(any("Уникальная фраза" in segment for segment in segments))
        self.assertNotIn("978-5-00000-000-0", segments)
        self.assertNotIn("91", segments)

        target = page.get_translation(self.english).specific
        self.assertEqual(
            (target.number, target.year, target.series_id), ("91", 2025, page.series_id)
        )
        self.assertEqual(target.pdf_id, page.pdf_id)
        self.assertIn("Уникальная фраза", target.pdf_text)
        names = [a.name_in("en") for a in target.authors.order_by("sort_order")]
        self.assertEqual(names, ["Asan Zhakupov", "Petr Ivanov"])


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
        cls.page = publication_in_library(paragraphs=["Текст."])

    def test_series_snippet_and_page_editor_load(self) -> None:
        from django.urls import reverse

        self.client.force_login(self.admin)
        listing = self.client.get(reverse("wagtailsnippets_publications_publicationseries:list"))
        self.assertContains(listing, "Рабочие тетради")
        add = self.client.get(reverse("wagtailsnippets_publications_publicationseries:add"))
        self.assertEqual(add.status_code, 200)
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
        self.assertContains(edit, "data-pdf-status")

    def test_purge_keys_name_where_the_publication_appears(self) -> None:
        from vestnik.authors.cache_keys import expert_key
        from vestnik.publications.cache_keys import PUBLICATION_FILTERS
        from vestnik.vocabulary.models import Topic

        expert = Expert.objects.create(full_name="Ирина Соколова", slug="irina-sokolova")
        topic = Topic.objects.create(name_ru="Энергетика", slug="energy")
        page = publication_in_library(title="Другой доклад", number="5", authors=[expert])
        page.topics.add(topic)
        keys = page.front_cache_purge_keys()
        self.assertIn(expert_key(expert.pk), keys)
        self.assertIn(f"term:topics:{topic.pk}", keys)
        self.assertIn(PUBLICATION_FILTERS, keys)
