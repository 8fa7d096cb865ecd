"""/search/ as readers use it: word forms, English rules, facets, sorting, pages, bad input.

Runs unchanged on SQLite and on PostgreSQL (DATABASE_URL): both backends must
find the same articles for the same data.
"""

from __future__ import annotations

import datetime
import html
from typing import Any
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.discovery.search.selectors import MAX_QUERY_TERMS, RESULTS_PER_PAGE
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Topic

QUERY_BUDGET = 20


def paragraph(text: str) -> list[tuple[str, Any]]:
    return [("paragraph", f"<p>{text}</p>")]


class SearchPageTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.asan_blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.irina_blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        cls.tr = Country.objects.create(
            name_ru="Турция", name_en="Turkey", slug="tr", iso_code="TR"
        )
        cls.security = Topic.objects.create(
            name_ru="Безопасность", name_en="Security", slug="security"
        )
        cls.energy = Topic.objects.create(name_ru="Энергетика", name_en="Energy", slug="energy")

        cls.drones = cls.article(
            cls.asan_blog,
            "На перекрестке Евразии: Казахстан и Турция",
            datetime.date(2025, 11, 28),
            "Армия Казахстан получила турецкие беспилотники «Байрактар» [^1].",
            countries=[cls.kz, cls.tr],
            topics=[cls.security],
            footnotes={"1": "<p>The military balance 2024.</p>"},
        )
        cls.oil = cls.article(
            cls.irina_blog,
            "Нефть и газ Казахстана",
            datetime.date(2024, 3, 1),
            "Экспорт нефти растёт, газ идёт в Китай.",
            countries=[cls.kz],
            topics=[cls.energy],
        )
        cls.deal = cls.article(
            cls.irina_blog,
            "Сделка с Байрактаром",
            datetime.date(2023, 6, 10),
            "Анкара продаёт партнёрам всё больше турецких беспилотников.",
            countries=[cls.tr],
            topics=[cls.security],
            co_authors=[cls.asan_blog.expert],
        )
        # The English version of the first article, tagged with one country only;
        # it says «drone», never «drones».
        cls.english = english_translation(
            cls.drones,
            title="Turkish drone in Central Asia",
            lead="",
            body=paragraph(
                "A Bayraktar drone was delivered to the military of Kazakhstan in 2024."
            ),
            footnotes={},
            publish=False,
        )
        cls.english.countries.set([cls.kz])
        cls.english.save_revision().publish()

    @classmethod
    def article(
        cls,
        blog: Any,
        title: str,
        date: datetime.date,
        text: str,
        *,
        countries: list[Country] = (),  # type: ignore[assignment]
        topics: list[Topic] = (),  # type: ignore[assignment]
        co_authors: list[Any] = (),  # type: ignore[assignment]
        footnotes: dict[str, str] | None = None,
    ) -> ArticlePage:
        article = article_in_blog(
            blog,
            title=title,
            date=date,
            lead="",
            body=paragraph(text),
            footnotes=footnotes or {},
            publish=False,
        )
        article.countries.set(countries)
        article.topics.set(topics)
        article.co_authors.set(co_authors)
        article.save_revision().publish()
        return article

    def search(self, url: str = "/search/", **params: Any) -> Any:
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return response

    def titles(self, url: str = "/search/", **params: Any) -> list[str]:
        return [hit.page.title for hit in self.search(url, **params).context["results"].hits]


class WordFormTests(SearchPageTestCase):
    def test_every_form_finds_the_others(self) -> None:
        both = {"На перекрестке Евразии: Казахстан и Турция", "Сделка с Байрактаром"}
        self.assertEqual(set(self.titles(q="турецких беспилотников")), both)
        self.assertEqual(set(self.titles(q="Турецкие беспилотники")), both)
        self.assertEqual(set(self.titles(q="Байрактаром")), both)
        self.assertEqual(set(self.titles(q="Байрактар")), both)
        self.assertEqual(
            set(self.titles(q="Казахстана")),
            {"На перекрестке Евразии: Казахстан и Турция", "Нефть и газ Казахстана"},
        )

    def test_every_word_must_match(self) -> None:
        self.assertEqual(self.titles(q="Казахстан беспилотники"), [self.drones.title])
        self.assertEqual(self.titles(q="Казахстан беспилотники Китай"), [])

    def test_footnotes_and_yo_are_searched(self) -> None:
        self.assertEqual(self.titles(q="military balance"), [self.drones.title])
        self.assertEqual(self.titles(q="растет"), [self.oil.title])

    def test_english_articles_follow_english_rules(self) -> None:
        self.assertEqual(self.titles("/en/search/", q="drones"), [self.english.title])
        self.assertEqual(self.titles("/en/search/", q="delivering drone"), [self.english.title])
        self.assertEqual(self.titles("/en/search/", q="Bayraktars"), [self.english.title])

    def test_matched_words_are_marked_in_title_and_snippet(self) -> None:
        content = self.search(q="турецких беспилотников").content.decode()
        self.assertIn("<mark>турецкие</mark> <mark>беспилотники</mark>", content)
        self.assertIn("<mark>турецких</mark> <mark>беспилотников</mark>", content)
        content = self.search(q="байрактары").content.decode()
        self.assertIn("Сделка с <mark>Байрактаром</mark>", content)

    def test_results_show_author_date_and_language(self) -> None:
        content = self.search(q="drones", lang="all").content.decode()
        self.assertIn('<h2 class="card__title" lang="en">', content)
        self.assertIn("Асан Жакупов", content)  # in the reader's language
        self.assertIn('datetime="2025-11-28"', content)
        self.assertIn(f'href="{self.english.url}"', content)

    def test_the_searched_lemmas_are_shown(self) -> None:
        results = self.search(q="турецких беспилотников").context["results"]
        self.assertEqual(results.query.lemmas, ["турецкий", "беспилотник"])


class FacetTests(SearchPageTestCase):
    def facets(self, **params: Any) -> dict[str, dict[str, tuple[int, bool, str]]]:
        groups = self.search(**params).context["facet_groups"]
        return {
            group.name: {
                link.value.label: (link.value.count, link.value.selected, link.url)
                for link in group.links
            }
            for group in groups
        }

    def test_counts_by_author_country_topic_and_year(self) -> None:
        facets = self.facets(q="беспилотники")
        self.assertEqual(
            {label: count for label, (count, _s, _u) in facets["author"].items()},
            {"Асан Жакупов": 2, "Ирина Соколова": 1},  # the co-authored deal counts for both
        )
        self.assertEqual(
            {label: count for label, (count, _s, _u) in facets["country"].items()},
            {"Казахстан": 1, "Турция": 2},
        )
        self.assertEqual(
            {label: count for label, (count, _s, _u) in facets["topic"].items()},
            {"Безопасность": 2},
        )
        self.assertEqual(
            {label: count for label, (count, _s, _u) in facets["year"].items()},
            {"2025": 1, "2023": 1},
        )

    def test_clicking_a_facet_filters_and_clicking_again_removes_it(self) -> None:
        url = self.facets(q="беспилотники")["country"]["Турция"][2]
        response = self.client.get("/search/" + url)
        self.assertEqual(
            {hit.page.title for hit in response.context["results"].hits},
            {self.drones.title, self.deal.title},
        )
        facets = self.facets(q="беспилотники", country="tr")
        count, selected, remove_url = facets["country"]["Турция"]
        self.assertTrue(selected)
        # Other values of the same facet stay offered, counted without this filter.
        self.assertEqual(facets["country"]["Казахстан"][:2], (1, False))
        self.assertEqual(count, 2)
        self.assertEqual(
            {label: count for label, (count, _s, _u) in facets["year"].items()},
            {"2025": 1, "2023": 1},
        )
        self.assertNotIn("country=", remove_url)

    def test_filters_combine(self) -> None:
        self.assertEqual(
            self.titles(q="беспилотники", author="asan-zhakupov", year="2023"), [self.deal.title]
        )
        self.assertEqual(self.titles(q="беспилотники", topic="energy"), [])
        self.assertEqual(self.titles(q="Казахстан", topic="energy"), [self.oil.title])

    def test_every_facet_count_is_the_total_with_that_filter(self) -> None:
        # Facets come from the same statement as the total; each count must be
        # what choosing the value then finds, for every value offered.
        for query in ["беспилотники", "Казахстан", "Байрактар"]:
            facets = self.facets(q=query)
            for name, values in facets.items():
                for label, (count, _selected, url) in values.items():
                    with self.subTest(query=query, facet=name, value=label):
                        response = self.client.get("/search/" + url)
                        results = response.context["results"]
                        self.assertEqual(results.total, count)
                        self.assertEqual(len(results.hits), count)

    def test_facets_follow_the_tags_as_published(self) -> None:
        def countries() -> dict[str, int]:
            return {label: v[0] for label, v in self.facets(q="Байрактар")["country"].items()}

        self.assertEqual(countries(), {"Турция": 2, "Казахстан": 1})
        self.drones.countries.set([self.kz])
        self.drones.save_revision()  # a draft: readers still see both countries
        self.assertEqual(countries(), {"Турция": 2, "Казахстан": 1})
        self.drones.save_revision().publish()
        self.assertEqual(countries(), {"Турция": 1, "Казахстан": 1})
        self.assertEqual(self.titles(q="Байрактар", country="tr"), [self.deal.title])

    def test_a_deleted_tag_leaves_the_facets(self) -> None:
        self.tr.delete()
        facets = self.facets(q="беспилотники")
        self.assertEqual(set(facets["country"]), {"Казахстан"})

    def test_unknown_filters_are_ignored(self) -> None:
        results = self.search(q="Казахстан", country="atlantis", author="<x>").context["results"]
        self.assertEqual(results.total, 2)
        self.assertEqual(results.filters.country, "")


class SortAndPagesTests(SearchPageTestCase):
    def test_sort_by_date_or_relevance(self) -> None:
        self.assertEqual(
            self.titles(q="Байрактар", sort="date"), [self.drones.title, self.deal.title]
        )
        # A match in the title outweighs one in the text.
        self.assertEqual(self.titles(q="Байрактар"), [self.deal.title, self.drones.title])
        self.assertEqual(self.titles(q="Байрактар", sort="nonsense")[0], self.deal.title)

    def test_pages(self) -> None:
        for number in range(RESULTS_PER_PAGE + 2):
            article_in_blog(
                self.irina_blog,
                title=f"Уголь, выпуск {number + 1}",
                date=datetime.date(2020, 1, number + 1),
                body=paragraph("Добыча угля."),
                footnotes={},
            )
        first = self.search(q="уголь", sort="date").context
        self.assertEqual(first["results"].total, RESULTS_PER_PAGE + 2)
        self.assertEqual(len(first["results"].hits), RESULTS_PER_PAGE)
        self.assertEqual(first["results"].hits[0].page.title, "Уголь, выпуск 12")
        self.assertIn("page=2", first["next_url"])
        self.assertIn("sort=date", first["next_url"])
        second = self.search(q="уголь", sort="date", page="2").context
        self.assertEqual([h.page.title for h in second["results"].hits],
                         ["Уголь, выпуск 2", "Уголь, выпуск 1"])  # fmt: skip
        self.assertEqual(second["next_url"], "")
        self.assertEqual(self.search(q="уголь", page="99").context["results"].page, 2)
        self.assertEqual(self.search(q="уголь", page="-1").context["results"].page, 1)

    def test_a_search_costs_a_bounded_number_of_queries(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            self.search(q="Казахстан", country="kz", author="asan-zhakupov")
        self.assertLessEqual(len(queries), QUERY_BUDGET)


class BadInputTests(SearchPageTestCase):
    HOSTILE = [
        "",
        "   ",
        "!!! ??? ... --- «»",
        "' OR 1=1 --",
        '"; DROP TABLE discovery_searchdocument; --',
        "Казахстан' UNION SELECT password FROM core_user --",
        "<script>alert('x')</script>",
        '"><img src=x onerror=alert(1)>',
        'NEAR(беспилотник Казахстан) OR title:* AND NOT ^"',
        "беспилотник & | ! :* <-> ()",
        "\x00 Казахстан",
        "%s %(q)s {0}",
        "беспилотник " * 2000,
        "ы" * 10_000,
    ]

    def test_any_query_gives_an_ordinary_page(self) -> None:
        for query in self.HOSTILE:
            with self.subTest(query=query[:40]):
                response = self.search(q=query)
                content = response.content.decode()
                self.assertNotIn("<script>alert", content)
                self.assertNotIn("<img src=x", content)
                self.assertIn('id="search-query"', content)

    def test_the_query_is_echoed_escaped(self) -> None:
        content = self.search(q="<script>alert('x')</script>").content.decode()
        self.assertIn("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", content)

    def test_long_queries_are_cut_and_the_page_says_so(self) -> None:
        response = self.search(q="Казахстан " + "ы" * 10_000)
        results = response.context["results"]
        self.assertTrue(results.query.shortened)
        self.assertEqual(len(results.query.text), 200)
        self.assertEqual(results.total, 2)  # the over-long «word» is not searched for
        self.assertEqual(response.content.decode().count('class="search__notice"'), 1)

        words = " ".join(f"слово{n}" for n in range(MAX_QUERY_TERMS + 5))
        results = self.search(q=words).context["results"]
        self.assertTrue(results.query.too_many_terms)
        self.assertEqual(len(results.query.terms), MAX_QUERY_TERMS)

    def test_symbols_only_say_there_is_nothing_to_search(self) -> None:
        response = self.search(q="!!! ??? и в")
        self.assertEqual(response.context["results"].query.terms, [])
        self.assertEqual(response.content.decode().count('class="search__notice"'), 1)

    def test_bad_parameters_are_ignored(self) -> None:
        response = self.search(
            q="Казахстан", page="abc", sort="DROP", year="99999999", author="../../etc/passwd"
        )
        self.assertEqual(response.context["results"].total, 2)
        response = self.search(q="Казахстан", country="\x00", year="0")
        self.assertEqual(response.context["results"].total, 2)

    def test_post_is_refused(self) -> None:
        self.assertEqual(self.client.post("/search/", {"q": "x"}).status_code, 405)


class PageTests(SearchPageTestCase):
    def test_empty_page_has_the_form_and_is_not_indexed_by_robots(self) -> None:
        response = self.search()
        self.assertContains(response, 'name="q"')
        self.assertContains(response, '<meta name="robots" content="noindex, follow">')
        self.assertContains(response, "css/search.css")
        self.assertIsNone(response.context["results"].query.terms or None)

    def test_english_interface(self) -> None:
        response = self.search("/en/search/", q="drones")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Search")
        self.assertEqual(len(response.context["results"].hits), 1)

    def test_results_are_never_served_from_the_page_cache(self) -> None:
        self.search(q="Казахстан")
        response = self.search(q="Казахстан")
        self.assertFalse(response.has_header("X-Page-Cache"))
        self.assertFalse(response.has_header("X-Page-Cache"))

    def test_the_header_has_a_search_form(self) -> None:
        content = html.unescape(self.client.get("/").content.decode())
        self.assertIn(
            '<form class="site-search" role="search" method="get" action="/search/">', content
        )
        self.assertIn('<label class="visually-hidden" for="site-search-query">', content)
        english = self.client.get("/en/").content.decode()
        self.assertIn('action="/en/search/"', english)


class BroadQueryTests(SearchPageTestCase):
    """Limits that only a query matching most of a large archive reaches, here made small."""

    def test_facets_of_a_very_broad_query_come_from_its_newest_matches(self) -> None:
        with mock.patch("vestnik.discovery.search.queries.FACET_WINDOW", 1):
            response = self.search(q="беспилотники")
        results = response.context["results"]
        self.assertEqual(results.total, 2)  # the total stays exact
        self.assertFalse(results.facets_exact)
        self.assertEqual([(v.label, v.count) for v in results.facets.years], [("2025", 1)])
        self.assertIn('class="facet__note"', response.content.decode())
        self.assertTrue(self.search(q="беспилотники").context["results"].facets_exact)

    def test_relevance_order_stops_at_its_window_and_points_to_date_order(self) -> None:
        with mock.patch("vestnik.discovery.search.selectors.MAX_RANKED_RESULTS", 1):
            relevance = self.search(q="беспилотники")
            by_date = self.search(q="беспилотники", sort="date")
            self.assertTrue(relevance.context["results"].ranked_cut)
            self.assertFalse(by_date.context["results"].ranked_cut)
        self.assertIn("sort=date", relevance.content.decode().split("search__notice")[-1])
        self.assertEqual(len(by_date.context["results"].hits), 2)


class LanguageTests(SearchPageTestCase):
    """Each language's search finds its own articles; `lang=all` finds every language."""

    def facet_counts(self, url: str, name: str, **params: Any) -> dict[str, int]:
        groups = self.search(url, **params).context["facet_groups"]
        group = next((g for g in groups if g.name == name), None)
        return {link.value.label: link.value.count for link in group.links} if group else {}

    def test_each_language_searches_its_own_articles(self) -> None:
        self.assertEqual(self.titles(q="military"), [self.drones.title])
        self.assertEqual(self.titles("/en/search/", q="military"), [self.english.title])
        self.assertEqual(self.titles(q="drones"), [])
        # Russian words are still lemmatised in an English search; no English text has them.
        self.assertEqual(self.titles("/en/search/", q="беспилотники"), [])

    def test_every_language_on_request_each_hit_labelled(self) -> None:
        response = self.search(q="military", lang="all")
        hits = response.context["results"].hits
        self.assertEqual(
            {(hit.page.title, hit.language) for hit in hits},
            {(self.drones.title, "ru"), (self.english.title, "en")},
        )
        content = response.content.decode()
        self.assertIn(
            '<span class="search-hit__language" data-language="en">Английский</span>', content
        )
        self.assertIn(
            '<span class="search-hit__language" data-language="ru">Русский</span>', content
        )
        self.assertIn('<h2 class="card__title" lang="en">', content)
        self.assertIn('name="lang" value="all" checked', content)
        english = self.search("/en/search/", q="military", lang="all").content.decode()
        self.assertIn('data-language="ru">Russian</span>', english)
        self.assertIn('<h2 class="card__title" lang="ru">', english)

    def test_one_language_shows_no_labels_and_an_unchecked_box(self) -> None:
        content = self.search(q="military").content.decode()
        self.assertNotIn("search-hit__language", content)
        self.assertIn('name="lang" value="all">', content)

    def test_facets_and_counts_follow_the_language(self) -> None:
        self.assertEqual(self.facet_counts("/search/", "country", q="military"),
                         {"Казахстан": 1, "Турция": 1})  # fmt: skip
        self.assertEqual(self.facet_counts("/en/search/", "country", q="military"),
                         {"Kazakhstan": 1})  # fmt: skip
        self.assertEqual(self.facet_counts("/search/", "country", q="military", lang="all"),
                         {"Казахстан": 2, "Турция": 1})  # fmt: skip
        self.assertEqual(self.search("/en/search/", q="military").context["results"].total, 1)

    def test_links_keep_every_language(self) -> None:
        context = self.search(q="military", lang="all").context
        for group in context["facet_groups"]:
            for link in group.links:
                with self.subTest(facet=group.name, value=link.value.label):
                    self.assertIn("lang=all", link.url)
        for _value, _label, url in context["sort_links"]:
            self.assertIn("lang=all", url)
        one_language = self.search(q="military").context
        self.assertNotIn("lang=", one_language["sort_links"][1][2])

    def test_an_unknown_lang_value_searches_the_page_language(self) -> None:
        self.assertEqual(self.titles(q="military", lang="xx"), [self.drones.title])
        self.assertEqual(self.titles("/en/search/", q="military", lang="ru"), [self.english.title])
