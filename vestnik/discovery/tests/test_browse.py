"""Browsing: the vocabulary, tagging in the editor, country/region/topic pages, experts filter."""

from __future__ import annotations

import datetime
import json
import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Region, Topic
from vestnik.vocabulary.terms import terms_resolve, terms_suggest, vocabulary_ensure
from vestnik.vocabulary.widgets import VocabularyTagWidget


class VocabularyEnsureTests(TestCase):
    def test_seeds_every_iso_country_and_the_common_regions(self) -> None:
        summary = vocabulary_ensure()
        self.assertEqual(summary.countries_created, 249)
        self.assertEqual(Country.objects.count(), 249)
        usa = Country.objects.get(iso_code="US")
        self.assertEqual((usa.name_ru, usa.name_en, usa.slug), ("США", "United States", "us"))
        self.assertIn("Соединённые Штаты Америки", usa.aliases)
        self.assertIn("РФ", Country.objects.get(iso_code="RU").aliases)
        self.assertIn("КНР", Country.objects.get(iso_code="CN").aliases)
        self.assertEqual(Country.objects.get(iso_code="KZ").name_ru, "Казахстан")
        self.assertEqual(Country.objects.get(iso_code="TR").name_ru, "Турция")
        regions = set(Region.objects.values_list("name_ru", flat=True))
        for name in ("Центральная Азия", "Южный Кавказ", "Ближний Восток", "Европейский союз",
                     "АСЕАН", "Арктика"):  # fmt: skip
            self.assertIn(name, regions)
        # Every name is filled in both languages and every alias list splits cleanly.
        for country in Country.objects.all():
            self.assertTrue(country.name_ru and country.name_en, country.iso_code)
            self.assertEqual(len(country.iso_code), 2)

    def test_is_idempotent_and_keeps_editors_changes(self) -> None:
        Country.objects.create(iso_code="KZ", slug="kazakhstan", name_ru="Казахстан", aliases="")
        Region.objects.create(slug="arktika", name_ru="Арктика", name_en="The Arctic")
        first = vocabulary_ensure()
        self.assertEqual(first.countries_created, 248)
        self.assertEqual(first.countries_completed, 1)
        kz = Country.objects.get(iso_code="KZ")
        self.assertEqual(kz.slug, "kazakhstan")  # an existing slug is never changed
        self.assertIn("РК", kz.aliases)  # an empty field is filled in
        self.assertEqual(Region.objects.filter(name_ru="Арктика").count(), 1)
        kz.name_en = "Qazaqstan"
        kz.save()
        second = vocabulary_ensure()
        self.assertEqual((second.countries_created, second.countries_completed), (0, 0))
        self.assertEqual(second.regions_created, 0)
        self.assertEqual(Country.objects.get(iso_code="KZ").name_en, "Qazaqstan")
        self.assertEqual(Country.objects.count(), 249)


class SuggestionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        vocabulary_ensure()

    def names(self, query: str, model: type = Country) -> list[str]:
        return [term.name_ru for term in terms_suggest(model, query)]

    def test_aliases_codes_and_both_languages_find_a_country(self) -> None:
        self.assertEqual(self.names("США")[0], "США")
        self.assertEqual(self.names("сша")[0], "США")  # case-insensitive on SQLite too
        self.assertEqual(self.names("Соединённые Штаты")[0], "США")
        self.assertEqual(self.names("соединенные")[0], "США")  # «ё» and «е» are one letter
        self.assertEqual(self.names("РФ")[0], "Россия")
        self.assertEqual(self.names("КНР")[0], "Китай")
        self.assertEqual(self.names("Kazakh")[0], "Казахстан")
        self.assertEqual(self.names("kz")[0], "Казахстан")
        self.assertIn("Казахстан", self.names("каз"))
        self.assertEqual(self.names(""), [])
        self.assertEqual(self.names("нетакойстраны"), [])

    def test_exact_matches_come_first(self) -> None:
        # «Корея» starts no name but is a word in two; both Koreas are offered.
        self.assertEqual(set(self.names("Корея")[:2]), {"Южная Корея", "КНДР"})
        self.assertEqual(self.names("Арктика", Region)[0], "Арктика")

    def test_resolve_turns_typed_names_into_terms(self) -> None:
        terms = list(Country.objects.all())
        found, unknown = terms_resolve(terms, ['"США"', "РФ", "Kazakhstan", "Атлантида", "us"])
        self.assertEqual([c.iso_code for c in found], ["US", "RU", "KZ"])
        self.assertEqual(unknown, ["Атлантида"])


class EditorTaggingTests(TestCase):
    """Editors pick tags with suggestions while typing, in Wagtail's own tag field."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        vocabulary_ensure()
        cls.topic = Topic.objects.create(
            name_ru="Оборона, безопасность", name_en="Defence", slug="defence"
        )
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.article = article_in_blog(cls.blog, title="Военное сотрудничество")
        cls.admin = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.admin)

    def test_autocomplete_endpoint_offers_names_with_codes(self) -> None:
        url = reverse("discovery_vocabulary_autocomplete", args=["countries"])
        response = self.client.get(url, {"term": "рф"})
        self.assertEqual(response.status_code, 200)
        suggestions = response.json()
        self.assertEqual(suggestions[0], {"label": "Россия — Russia (RU)", "value": "Россия"})
        topics = self.client.get(
            reverse("discovery_vocabulary_autocomplete", args=["topics"]), {"term": "обор"}
        ).json()
        self.assertEqual(topics[0]["value"], "Оборона, безопасность")
        self.assertEqual(
            self.client.get(
                reverse("discovery_vocabulary_autocomplete", args=["planets"]), {"term": "x"}
            ).status_code,
            404,
        )

    def test_autocomplete_needs_the_admin(self) -> None:
        self.client.logout()
        url = reverse("discovery_vocabulary_autocomplete", args=["countries"])
        self.assertEqual(self.client.get(url, {"term": "рф"}).status_code, 302)

    def test_edit_form_renders_wagtails_tag_controller(self) -> None:
        self.article.countries.add(Country.objects.get(iso_code="KZ"))
        self.article.save_revision()
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.article.pk]))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        field = re.search(r'<input[^>]*name="countries"[^>]*>', html)
        assert field is not None
        self.assertIn('data-controller="w-tag"', field.group(0))
        self.assertIn("/admin/vocabulary/countries/autocomplete/", field.group(0))
        self.assertIn('value="Казахстан"', field.group(0))
        options = re.search(r'data-w-tag-options-value="([^"]+)"', field.group(0))
        assert options is not None
        self.assertEqual(
            json.loads(options.group(1).replace("&quot;", '"')),
            {"allowSpaces": True, "autocompleteOnly": True, "singleFieldDelimiter": "|"},
        )

    def test_widget_reads_names_aliases_and_reports_unknown_ones(self) -> None:
        widget = VocabularyTagWidget("countries")
        from django.http import QueryDict

        data = QueryDict(mutable=True)
        data["countries"] = '"Казахстан"|РФ|Атлантида'
        values = widget.value_from_datadict(data, None, "countries")  # type: ignore[arg-type]
        kz, ru = Country.objects.get(iso_code="KZ"), Country.objects.get(iso_code="RU")
        self.assertEqual(values, [str(kz.pk), str(ru.pk), "Атлантида"])
        self.assertEqual(widget.format_value([kz.pk, ru.pk]), "Казахстан|Россия")
        with self.assertRaises(ValueError):
            VocabularyTagWidget("planets")

    def test_saving_a_draft_with_typed_tags(self) -> None:
        from wagtail.test.utils.form_data import (
            inline_formset,
            nested_form_data,
            rich_text,
            streamfield,
        )

        form = nested_form_data(
            {
                "title": "Военное сотрудничество",
                "slug": self.article.slug,
                "publication_date": "2025-11-28",
                "language": "ru",
                "lead": "Лид.",
                "body": streamfield([("paragraph", rich_text("<p>Текст.</p>"))]),
                "footnotes": inline_formset([]),
                "countries": "Казахстан|США",
                "regions": "Центральная Азия",
                "topics": "Оборона, безопасность",
            }
        )
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.article.pk]), form
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        draft = ArticlePage.objects.get(pk=self.article.pk).get_latest_revision_as_object()
        self.assertEqual(sorted(c.iso_code for c in draft.countries.all()), ["KZ", "US"])
        self.assertEqual([r.name_ru for r in draft.regions.all()], ["Центральная Азия"])
        self.assertEqual([t.slug for t in draft.topics.all()], ["defence"])

    def test_an_unknown_tag_is_refused_with_the_form(self) -> None:
        from wagtail.test.utils.form_data import (
            inline_formset,
            nested_form_data,
            streamfield,
        )

        form = nested_form_data(
            {
                "title": "Военное сотрудничество",
                "slug": self.article.slug,
                "publication_date": "2025-11-28",
                "language": "ru",
                "body": streamfield([]),
                "footnotes": inline_formset([]),
                "countries": "Атлантида",
                "regions": "",
                "topics": "",
            }
        )
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.article.pk]), form
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Атлантида", response.content.decode())
        self.assertFalse(ArticlePage.objects.get(pk=self.article.pk).countries.exists())


class BrowseData(TestCase):
    """Three experts writing on Kazakhstan, Türkiye, security and water; one draft."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ", aliases="РК"
        )
        cls.tr = Country.objects.create(
            name_ru="Турция", name_en="Türkiye", slug="tr", iso_code="TR"
        )
        cls.asia = Region.objects.create(
            name_ru="Центральная Азия", name_en="Central Asia", slug="central-asia"
        )
        cls.security = Topic.objects.create(
            name_ru="Безопасность", name_en="Security", slug="security"
        )
        cls.water = Topic.objects.create(name_ru="Водные ресурсы", name_en="Water", slug="water")
        cls.zhakupov = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.sokolova = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.tokaeva = expert_with_blog("Дина Токаева", "Дины Токаевой")
        cls.older = cls._article(
            cls.zhakupov, "Старая статья", datetime.date(2024, 5, 1), [cls.kz], [cls.security]
        )
        cls.newer = cls._article(
            cls.zhakupov,
            "Новая статья",
            datetime.date(2025, 11, 28),
            [cls.kz, cls.tr],
            [cls.security],
        )
        cls.water_article = cls._article(
            cls.sokolova, "Вода Центральной Азии", datetime.date(2025, 6, 1), [cls.kz], [cls.water]
        )
        cls.water_article.regions.add(cls.asia)
        cls.water_article.co_authors.add(cls.tokaeva.expert)
        cls.water_article.save_revision().publish()
        cls.draft = article_in_blog(cls.sokolova, title="Черновик", publish=False)
        cls.draft.countries.add(cls.kz)
        cls.draft.save_revision()

    @staticmethod
    def _article(blog, title, date, countries, topics):  # type: ignore[no-untyped-def]
        article = article_in_blog(blog, title=title, date=date)
        article.countries.add(*countries)
        article.topics.add(*topics)
        article.save_revision().publish()
        return article


class TermPageTests(BrowseData):
    def test_country_page_lists_its_articles_newest_first(self) -> None:
        response = self.client.get("/countries/kz/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        titles = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)
        self.assertEqual(titles, ["Новая статья", "Вода Центральной Азии", "Старая статья"])
        self.assertNotIn("Черновик", html)
        self.assertIn("<h1>Казахстан</h1>", html)
        self.assertIn('href="/countries/kz/feed/"', html)
        self.assertIn('href="/countries/kz/feed/atom/"', html)
        self.assertIn('href="/experts/?country=kz"', html)

    def test_english_page_and_other_vocabularies(self) -> None:
        html = self.client.get("/en/countries/kz/").content.decode()
        self.assertIn("<h1>Kazakhstan</h1>", html)
        self.assertIn('<html lang="en">', html)
        region = self.client.get("/regions/central-asia/").content.decode()
        self.assertIn("Вода Центральной Азии", region)
        self.assertNotIn("Новая статья", region)
        topic = self.client.get("/topics/security/").content.decode()
        self.assertIn("Старая статья", topic)
        self.assertNotIn("Вода Центральной Азии", topic)

    def test_unknown_terms_and_pages_are_not_found(self) -> None:
        self.assertEqual(self.client.get("/countries/xx/").status_code, 404)
        self.assertEqual(self.client.get("/planets/kz/").status_code, 404)
        self.assertEqual(self.client.get("/countries/kz/?page=2").status_code, 404)
        self.assertEqual(self.client.get("/countries/kz/?page=x").status_code, 404)

    def test_pagination(self) -> None:
        from vestnik.discovery import views

        original = views.ARTICLES_PER_PAGE
        views.ARTICLES_PER_PAGE = 2
        try:
            first = self.client.get("/countries/kz/").content.decode()
            second = self.client.get("/countries/kz/?page=2").content.decode()
        finally:
            views.ARTICLES_PER_PAGE = original
        self.assertIn("Новая статья", first)
        self.assertNotIn("Старая статья", first)
        self.assertIn('rel="next" href="?page=2"', first)
        self.assertIn("Старая статья", second)

    def test_term_index_lists_only_terms_with_articles(self) -> None:
        Country.objects.create(name_ru="Андорра", name_en="Andorra", slug="ad", iso_code="AD")
        html = self.client.get("/countries/").content.decode()
        self.assertIn('href="/countries/kz/"', html)
        self.assertIn('href="/countries/tr/"', html)
        self.assertNotIn("Андорра", html)

    def test_article_tags_link_to_their_pages(self) -> None:
        html = self.client.get(self.water_article.url).content.decode()
        tags = re.search(r'<section class="tags".*?</section>', html, re.S)
        assert tags is not None
        self.assertIn('<a href="/countries/kz/" rel="tag">Казахстан</a>', tags.group(0))
        self.assertIn(
            '<a href="/regions/central-asia/" rel="tag">Центральная Азия</a>', tags.group(0)
        )
        self.assertIn('<a href="/topics/water/" rel="tag">Водные ресурсы</a>', tags.group(0))

    def test_term_pages_are_cached_for_anonymous_readers(self) -> None:
        self.assertEqual(self.client.get("/countries/kz/")["X-Page-Cache"], "miss")
        self.assertEqual(self.client.get("/countries/kz/")["X-Page-Cache"], "hit")


class EnglishTermPageTests(BrowseData):
    """Under /en/, term pages and indexes list English articles only, with English names."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.english = english_translation(cls.water_article, title="Water of Central Asia")

    def titles(self, path: str) -> list[str]:
        html = self.client.get(path).content.decode().replace("\xa0", " ")
        return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)

    def test_english_term_pages_list_english_articles(self) -> None:
        for path in ("/en/countries/kz/", "/en/regions/central-asia/", "/en/topics/water/"):
            with self.subTest(path=path):
                self.assertEqual(self.titles(path), ["Water of Central Asia"])
        self.assertEqual(self.titles("/en/countries/tr/"), [])
        self.assertEqual(
            self.titles("/countries/kz/"),
            ["Новая статья", "Вода Центральной Азии", "Старая статья"],
        )
        html = self.client.get("/en/regions/central-asia/").content.decode()
        self.assertIn("<h1>Central Asia</h1>", html)
        self.assertIn(f'href="{self.english.url}"', html)

    def test_english_indexes_list_terms_with_english_articles(self) -> None:
        countries = self.client.get("/en/countries/").content.decode()
        self.assertIn('href="/en/countries/kz/"', countries)
        self.assertNotIn('href="/en/countries/tr/"', countries)  # Russian articles only
        topics = self.client.get("/en/topics/").content.decode()
        self.assertIn("Water", topics)
        self.assertNotIn('href="/en/topics/security/"', topics)

    def test_english_article_tags_link_to_english_term_pages(self) -> None:
        html = self.client.get(self.english.url).content.decode()
        self.assertIn('<a href="/en/countries/kz/" rel="tag">Kazakhstan</a>', html)
        self.assertIn('<a href="/en/topics/water/" rel="tag">Water</a>', html)


class ExpertsDirectoryTests(BrowseData):
    def experts(self, query: str = "") -> list[str]:
        response = self.client.get(f"/experts/{query}")
        self.assertEqual(response.status_code, 200)
        return re.findall(
            r'class="expert-card__name"><a [^>]*>([^<]+)</a>', response.content.decode()
        )

    def test_all_experts_without_filters(self) -> None:
        self.assertEqual(self.experts(), ["Асан Жакупов", "Дина Токаева", "Ирина Соколова"])

    def test_filter_by_country_topic_and_both(self) -> None:
        self.assertEqual(self.experts("?country=tr"), ["Асан Жакупов"])
        # A co-author wrote about it as much as the blog's owner did.
        self.assertEqual(self.experts("?topic=water"), ["Дина Токаева", "Ирина Соколова"])
        self.assertEqual(
            self.experts("?country=kz"), ["Асан Жакупов", "Дина Токаева", "Ирина Соколова"]
        )
        self.assertEqual(self.experts("?country=kz&topic=security"), ["Асан Жакупов"])
        self.assertEqual(self.experts("?country=tr&topic=water"), [])

    def test_filter_form_offers_terms_with_articles(self) -> None:
        Country.objects.create(name_ru="Андорра", name_en="Andorra", slug="ad", iso_code="AD")
        html = self.client.get("/experts/?country=kz").content.decode()
        self.assertIn('<option value="kz" selected>Казахстан</option>', html)
        self.assertIn('<option value="tr">Турция</option>', html)
        self.assertNotIn("Андорра", html)
        self.assertIn('<option value="water">Водные ресурсы</option>', html)
        summary = re.search(r'class="expert-filter__summary" role="status">(.*?)</p>', html, re.S)
        assert summary is not None
        self.assertIn("Казахстан", summary.group(1))

    def test_unknown_filter_values_are_not_found(self) -> None:
        self.assertEqual(self.client.get("/experts/?country=xx").status_code, 404)
        self.assertEqual(self.client.get("/experts/?topic=xx").status_code, 404)

    def test_article_counts(self) -> None:
        from vestnik.articles.selectors import experts_with_article_counts

        counts = {e.full_name: e.article_count for e in experts_with_article_counts()}
        self.assertEqual(counts, {"Асан Жакупов": 2, "Ирина Соколова": 1, "Дина Токаева": 1})
        counts = {
            e.full_name: e.article_count for e in experts_with_article_counts(country=self.kz)
        }
        self.assertEqual(counts["Асан Жакупов"], 2)
