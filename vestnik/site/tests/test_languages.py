"""Two languages of content as a reader meets them: which versions exist, and who may see them.

The switch, `hreflang`, `og:locale:alternate` and the «Read in English» link all
come from `core.selectors.language_versions`; these tests read the pages.
"""

from __future__ import annotations

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from vestnik.articles.factories import article_in_blog, english_translation
from vestnik.site.models import HomePage
from vestnik.site.tests.content import site_with_blog_and_country


class LanguageVersionsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, _country = site_with_blog_and_country()
        cls.article = article_in_blog(cls.blog, title="Каспийский транзит")

    def read(self, path: str) -> str:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return response.content.decode()

    def test_a_translation_published_later_is_linked_at_once(self) -> None:
        russian = self.read(self.article.url)
        self.assertNotIn('hreflang="en" href=', russian.split("</head>")[0])
        self.assertNotIn("Читать на английском", russian)

        with self.captureOnCommitCallbacks(execute=True):
            english = english_translation(self.article, title="Caspian transit")

        russian = self.read(self.article.url)
        head = russian.split("</head>")[0]
        self.assertIn(f'hreflang="en" href="http://localhost{english.url}"', head)
        self.assertIn(f'hreflang="x-default" href="http://localhost{self.article.url}"', head)
        self.assertIn('<meta property="og:locale:alternate" content="en_US">', head)
        self.assertIn(f'<a href="{english.url}" hreflang="en" rel="alternate">', russian)
        english_html = self.read(english.url)
        self.assertIn('<html lang="en">', english_html)
        self.assertIn('<meta property="og:locale" content="en_US">', english_html)
        self.assertIn(f'hreflang="ru" href="http://localhost{self.article.url}"', english_html)
        self.assertIn("Read in Russian", english_html)

    def test_a_draft_or_private_translation_is_never_linked(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            draft = english_translation(self.article, title="Caspian draft", publish=False)
        russian = self.read(self.article.url)
        self.assertNotIn(draft.url, russian)
        self.assertNotIn("Caspian draft", self.read("/en/"))

        with self.captureOnCommitCallbacks(execute=True):
            draft.save_revision().publish()
            PageViewRestriction.objects.create(
                page=draft, restriction_type=PageViewRestriction.PASSWORD, password="secret"
            )
        russian = self.read(self.article.url)
        self.assertNotIn(draft.url, russian)
        self.assertNotIn("Читать на английском", russian)
        self.assertNotIn("Caspian draft", self.read("/en/"))

    def test_each_home_lists_only_its_language(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            english_translation(self.article, title="Caspian transit")
        russian_home, english_home = self.read("/"), self.read("/en/")
        self.assertIn("Каспийский транзит", russian_home)
        self.assertNotIn("Caspian transit", russian_home)
        self.assertIn("Caspian transit", english_home)
        self.assertNotIn("Каспийский транзит", english_home)
        self.assertEqual(HomePage.objects.count(), 2)

    def test_an_expert_profile_keeps_its_place_and_speaks_english(self) -> None:
        profile = self.read("/experts/irina-sokolova/")
        self.assertIn('href="/en/experts/irina-sokolova/" hreflang="en"', profile)
        english = self.read("/en/experts/irina-sokolova/")
        self.assertIn("<h1>Irina Sokolova</h1>", english)
        self.assertIn('href="/experts/irina-sokolova/" hreflang="ru"', english)

    def test_an_untranslated_page_says_where_the_switch_goes(self) -> None:
        russian = self.read(self.article.url)
        self.assertIn('<a href="/en/blogs/" hreflang="en" lang="en"', russian)
        self.assertIn("страница не переведена", russian)
        with self.captureOnCommitCallbacks(execute=True):
            english_translation(article_in_blog(self.blog, title="Второй текст"))
        # Now the expert has an English blog: the nearest English page is that blog.
        russian = self.read(self.article.url)
        self.assertIn('<a href="/en/blogs/irina-sokolova/" hreflang="en" lang="en"', russian)


class EnglishProfileTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, _country = site_with_blog_and_country()
        expert = cls.blog.expert
        expert.position, expert.affiliation = "Старший научный сотрудник", "Центр исследований"
        expert.save()

    def test_english_pages_never_show_the_russian_profile(self) -> None:
        english = self.client.get("/en/experts/irina-sokolova/").content.decode()
        self.assertNotIn("Старший научный сотрудник", english)
        self.assertNotIn("Центр исследований", english)
        russian = self.client.get("/experts/irina-sokolova/").content.decode()
        self.assertIn("Старший научный сотрудник", russian)

    def test_the_english_profile_shows_its_english_texts(self) -> None:
        expert = self.blog.expert
        expert.position_en, expert.affiliation_en = "Senior Research Fellow", "Research Centre"
        expert.bio_en = "<p>Works on the Caspian.</p>"
        with self.captureOnCommitCallbacks(execute=True):
            expert.save()
        english = self.client.get("/en/experts/irina-sokolova/").content.decode()
        self.assertIn("Senior Research Fellow, Research Centre", english)
        self.assertIn("Works on the Caspian.", english)


class EnglishRoutingCostTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, _country = site_with_blog_and_country()
        cls.article = article_in_blog(cls.blog, title="Каспийский транзит")
        cls.english = english_translation(cls.article, title="Caspian transit")

    def test_a_warm_english_article_reads_only_its_own_row_as_the_russian_one_does(self) -> None:
        costs = {}
        with override_settings(VESTNIK_CORE_PAGE_CACHE_ENABLED=False):
            for name, url in (("ru", self.article.url), ("en", self.english.url)):
                self.client.get(url)  # cold: routing, fragments, language versions
                with CaptureQueriesContext(connection) as warm:
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                costs[name] = len(warm)
        self.assertEqual(costs["en"], costs["ru"])
        self.assertLessEqual(costs["en"], 1)
