"""`load_demo`: the demo site it builds, and that a second run changes nothing."""

from __future__ import annotations

import io
import re
import shutil
import stat
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from wagtail.models import Locale, Page, Revision

from vestnik.articles.footnotes import markers_in
from vestnik.articles.models import AnalysisIndexPage, ArticleFootnote, ArticlePage, BlogPage
from vestnik.authors.models import Expert
from vestnik.core.locales import in_language
from vestnik.core.models import VestnikImage
from vestnik.core.text import word_count
from vestnik.events.models import EventPage
from vestnik.publications.models import PublicationPage
from vestnik.site.demo import content, programme
from vestnik.site.demo.loader import demo_content_ensure
from vestnik.site.models import HomePage, SectionPage
from vestnik.site.services import AUTHORS_GROUP, EDITORS_GROUP
from vestnik.vocabulary.models import Country, Region, Topic

REFERENCE_PAGE = Path(__file__).resolve().parents[4] / "shared/corpus/000_729f06e00060070c.txt"
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
ENGLISH_TITLES = {spec.title for spec in content.TRANSLATIONS}


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": VestnikImage.objects.count(),
        "experts": Expert.objects.count(),
        "footnotes": ArticleFootnote.objects.count(),
        "countries": Country.objects.count(),
        "regions": Region.objects.count(),
        "topics": Topic.objects.count(),
        "users": get_user_model().objects.count(),
    }


def _normalised(text: str) -> str:
    return " ".join(text.replace("ё", "е").split()).lower()


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.var_dir = Path(tempfile.mkdtemp(prefix="vestnik-demo-test-"))
        cls.addClassCleanup(shutil.rmtree, cls.var_dir, ignore_errors=True)
        with override_settings(VAR_DIR=cls.var_dir):
            cls.first_output = io.StringIO()
            call_command("load_demo", stdout=cls.first_output)
            cls.counts_after_first = _counts()
            cls.second_output = io.StringIO()
            call_command("load_demo", stdout=cls.second_output)
            cls.counts_after_second = _counts()

    def _articles(self, language: str = "ru") -> list[ArticlePage]:
        """The experts' blog posts: long, footnoted pieces (the analysis overview is short)."""
        return list(
            in_language(
                ArticlePage.objects.live().exclude(pk__in=self._analysis_ids()),
                language,
            ).order_by("publication_date")
        )

    def _analysis_ids(self) -> list[int]:
        return [
            page.pk
            for index in AnalysisIndexPage.objects.all()
            for page in ArticlePage.objects.child_of(index)
        ]

    def _translations(self) -> list[tuple[ArticlePage, ArticlePage]]:
        """(Russian, English) for every demo translation, found from the English side."""
        pairs = []
        for english in self._articles("en"):
            russian = ArticlePage.objects.get(
                translation_key=english.translation_key, locale__language_code="ru"
            )
            pairs.append((russian, english))
        return pairs

    # --- idempotency -----------------------------------------------------------

    def test_second_run_creates_and_changes_nothing(self) -> None:
        self.assertEqual(self.counts_after_first, self.counts_after_second)
        self.assertIn("Demo content loaded", self.first_output.getvalue())
        self.assertIn("nothing changed", self.second_output.getvalue())

    def test_a_changed_english_text_is_a_new_revision_of_the_same_translation(self) -> None:
        spec = content.TRANSLATIONS[0]
        english = ArticlePage.objects.get(title=spec.title)
        revisions = english.revisions.count()
        pages = Page.objects.count()
        changed = replace(spec, lead=spec.lead + " A sentence added in the next release.")
        translations = (changed, *content.TRANSLATIONS[1:])

        with (
            override_settings(VAR_DIR=self.var_dir),
            mock.patch.object(content, "TRANSLATIONS", translations),
        ):
            summary = demo_content_ensure()

        self.assertEqual((summary.translations_created, summary.translations_revised), (0, 1))
        self.assertEqual(Page.objects.count(), pages)
        english.refresh_from_db()
        self.assertEqual(english.revisions.count(), revisions + 1)
        self.assertTrue(english.lead.endswith("A sentence added in the next release."))
        self.assertFalse(english.has_unpublished_changes)

    # --- experts ---------------------------------------------------------------

    def test_experts_have_profiles_and_blogs(self) -> None:
        experts = Expert.objects.filter(full_name__in=[e.full_name for e in content.EXPERTS])
        self.assertGreaterEqual(experts.count(), 3)
        women = {e.full_name for e in content.EXPERTS if e.gender == "f"}
        self.assertTrue(experts.filter(full_name__in=women).exists())
        for expert in experts:
            with self.subTest(expert=expert.full_name):
                self.assertTrue(expert.position)
                self.assertTrue(expert.affiliation)
                self.assertTrue(expert.bio)
                self.assertTrue(BlogPage.objects.live().filter(expert=expert).exists())
        self.assertEqual(
            Expert.objects.get(full_name="Анна Лисицына").blog_title, "Блог Анны Лисицыной"
        )

    # --- articles --------------------------------------------------------------

    def test_articles_are_live_long_and_structured(self) -> None:
        articles = self._articles()
        self.assertGreaterEqual(len(articles), 6)
        self.assertEqual(len({a.publication_date for a in articles}), len(articles))
        for article in articles:
            with self.subTest(article=article.title):
                words = word_count(article.plain_text)
                self.assertGreaterEqual(words, 900)
                self.assertLessEqual(words, 2000)
                self.assertGreaterEqual(article.reading_minutes, 5)
                self.assertTrue(article.lead)
                self.assertIn(article.publication_date.year, (2025, 2026))
                self.assertTrue(2 <= len(article.table_of_contents) <= 4)
                self.assertTrue(article.countries.exists())
                self.assertTrue(article.regions.exists())
                self.assertTrue(article.topics.exists())
        block_types = {block.block_type for article in articles for block in article.body}
        self.assertTrue({"quote", "table"} <= block_types)
        self.assertTrue(any(article.co_authors.exists() for article in articles))

    def test_the_analysis_section_holds_a_piece_by_two_authors(self) -> None:
        section = AnalysisIndexPage.objects.get(locale__language_code="ru")
        piece = ArticlePage.objects.child_of(section).live().get()
        self.assertEqual(
            [expert.full_name for expert in piece.authors_in_order()],
            ["Марина Ведерникова", "Илья Корсаков"],
        )
        self.assertEqual(piece.footnote_index().unreferenced, [])
        self.assertContains(self.client.get(section.url), piece.url)
        self.assertContains(self.client.get("/analytics/feed/"), piece.title)

    def test_the_library_and_the_events_are_in_both_languages(self) -> None:
        publications = PublicationPage.objects.live().filter(locale__language_code="ru")
        self.assertEqual(publications.count(), len(programme.PUBLICATIONS))
        self.assertEqual(len({page.series_id for page in publications}), len(programme.SERIES))
        for publication in publications:
            with self.subTest(publication=publication.title):
                self.assertGreater(publication.page_count or 0, 3)
                self.assertEqual(publication.pdf_problem, "")
                self.assertIn(publication.abstract[:40], " ".join(publication.pdf_text.split()))
                english = publication.get_translation(Locale.objects.get(language_code="en"))
                self.assertTrue(english.live)
                series = next(
                    item for item in programme.SERIES if item.key == publication.series.slug
                )
                self.assertEqual(english.series_in_language().name, series.name_en)
        events = EventPage.objects.live().filter(locale__language_code="ru")
        upcoming = [event for event in events if not event.has_ended()]
        past = [event for event in events if event.has_ended()]
        self.assertEqual(len(upcoming), 1)
        self.assertTrue(upcoming[0].registration_open)
        self.assertEqual(len(past), 1)
        self.assertTrue(past[0].write_up)
        self.assertIsNotNone(past[0].resulting_publication)

    def test_every_footnote_reference_has_a_note(self) -> None:
        for article in self._articles():
            with self.subTest(article=article.title):
                keys = {note.key for note in article.footnotes.all()}
                references = Counter(markers_in(article._texts_in_order()))
                self.assertTrue(3 <= len(keys) <= 8)
                self.assertEqual(set(references), keys)
                self.assertGreaterEqual(max(references.values()), 2)
                index = article.footnote_index()
                self.assertEqual(index.unreferenced, [])

    def test_images_carry_captions_and_credits(self) -> None:
        articles = self._articles()
        illustrated = 0
        for article in articles:
            images = [block.value for block in article.body if block.block_type == "image"]
            illustrated += bool(images)
            for value in images:
                with self.subTest(article=article.title):
                    self.assertEqual((value["image"].width, value["image"].height), (1600, 900))
                    self.assertTrue(value["caption"])
                    self.assertTrue(value["alt"])
                    self.assertTrue(value["credit"] or value["image"].credit)
        self.assertGreater(illustrated, len(articles) / 2)

    def test_no_sentence_of_the_reference_page_is_reused(self) -> None:
        if not REFERENCE_PAGE.exists():
            self.skipTest(f"{REFERENCE_PAGE} is not available")
        sentences = {
            _normalised(sentence)
            for sentence in SENTENCE_END.split(REFERENCE_PAGE.read_text(encoding="utf-8"))
            if len(sentence.split()) >= 5
        }
        demo_text = "\n".join(_normalised(article.plain_text) for article in self._articles())
        reused = [sentence for sentence in sentences if sentence in demo_text]
        self.assertEqual(reused, [])

    # --- curation and accounts -------------------------------------------------

    def test_sections_and_home_are_curated(self) -> None:
        self.assertTrue(in_language(HomePage.objects.all(), "ru").get().intro)
        home = self.client.get("/").text
        sections = re.findall(r'class="audiences__link" href="([^"]+)"', home)
        self.assertEqual(sections, ["/business/", "/researchers/", "/students/"])
        for slug in ("business", "researchers", "students"):
            with self.subTest(section=slug):
                section = in_language(SectionPage.objects.live(), "ru").get(slug=slug)
                self.assertTrue(section.intro)
                featured = list(section.featured_articles.all())
                self.assertGreaterEqual(len(featured), 2)
                self.assertTrue(all(item.article.live for item in featured))
                self.assertTrue(section.featured_experts.exists())
                response = self.client.get(section.url)
                self.assertContains(response, featured[0].article.url)

    # --- English ---------------------------------------------------------------

    def test_experts_have_english_names_and_the_translations_an_english_blog(self) -> None:
        vedernikova = Expert.objects.get(full_name="Марина Ведерникова")
        self.assertEqual(vedernikova.english_name, "Marina Vedernikova")
        self.assertEqual(
            Expert.objects.get(full_name="Илья Корсаков").english_name, "Ilya Korsakov"
        )
        english_blogs = in_language(BlogPage.objects.live(), "en")
        self.assertEqual(
            list(english_blogs.values_list("title", flat=True)), ["Marina Vedernikova's Blog"]
        )
        for _russian, english in self._translations():
            with self.subTest(article=english.title):
                self.assertEqual(english.get_parent().specific, english_blogs.get())

    def test_translations_are_whole_english_articles_with_the_sources_notes(self) -> None:
        pairs = self._translations()
        self.assertEqual({english.title for _russian, english in pairs}, ENGLISH_TITLES)
        self.assertEqual(len(pairs), len(content.TRANSLATIONS))
        for russian, english in pairs:
            with self.subTest(article=english.title):
                self.assertTrue(english.lead)
                self.assertNotEqual(english.lead, russian.lead)
                self.assertGreaterEqual(word_count(english.plain_text), 900)
                self.assertNotRegex(english.plain_text, "[а-яё]{4,}")
                self.assertEqual(english.publication_date, russian.publication_date)
                self.assertEqual(english.first_published_at, russian.first_published_at)
                self.assertEqual(english.blog.expert, russian.blog.expert)
                self.assertEqual(set(english.co_authors.all()), set(russian.co_authors.all()))
                self.assertEqual(set(english.countries.all()), set(russian.countries.all()))
                self.assertEqual(set(english.topics.all()), set(russian.topics.all()))

                headings = [item["text"] for item in english.table_of_contents]
                self.assertEqual(len(headings), len(russian.table_of_contents))
                self.assertNotIn(headings[0], [item["text"] for item in russian.table_of_contents])

                keys = [note.key for note in english.footnotes.all()]
                self.assertEqual(keys, [note.key for note in russian.footnotes.all()])
                self.assertEqual(set(markers_in(english._texts_in_order())), set(keys))
                self.assertEqual(english.footnote_index().unreferenced, [])

                images = [block.value for block in english.body if block.block_type == "image"]
                sources = [block.value for block in russian.body if block.block_type == "image"]
                self.assertEqual(len(images), len(sources))
                for value, source in zip(images, sources, strict=True):
                    self.assertEqual(value["image"], source["image"])
                    self.assertNotEqual(value["caption"], source["caption"])
                    self.assertNotRegex(value["caption"] + value["alt"], "[а-яё]")
                    self.assertIn("Centre for Eurasian Studies", value["credit"])

    def test_english_home_lists_the_english_articles_and_no_russian_one(self) -> None:
        response = self.client.get("/en/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Centre for Eurasian Studies")
        for _russian, english in self._translations():
            self.assertContains(response, f'<a href="{english.url}">')
        for russian in self._articles("ru"):
            self.assertNotContains(response, f'href="{russian.url}"')
        sections = re.findall(r'class="audiences__link" href="([^"]+)">([^<]+)<', response.text)
        self.assertEqual(sections, [("/en/business/", "For business")])
        menu = re.findall(r'<li><a href="([^"]+)"', response.text)
        self.assertEqual(
            menu,
            [
                "/en/business/",
                "/en/experts/",
                "/en/blogs/",
                "/en/analytics/",
                "/en/publications/",
                "/en/events/",
            ],
        )

    def test_each_version_links_to_the_other_by_switch_and_hreflang(self) -> None:
        for russian, english in self._translations():
            for page, other, code in ((russian, english, "en"), (english, russian, "ru")):
                with self.subTest(page=page.url):
                    response = self.client.get(page.url)
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, f'<a href="{other.url}" hreflang="{code}"')
                    self.assertRegex(
                        response.content.decode(),
                        rf'<link rel="alternate" hreflang="{code}" href="https?://[^"]*'
                        rf'{re.escape(other.url)}">',
                    )

    def test_english_section_features_the_english_articles(self) -> None:
        russian = in_language(SectionPage.objects.live(), "ru").get(slug="business")
        section = russian.get_translation(Locale.objects.get(language_code="en")).specific
        self.assertTrue(section.live)
        self.assertEqual(section.title, "For business")
        self.assertIn("companies", section.intro)
        featured = [item.article for item in section.featured_articles.order_by("sort_order")]
        self.assertEqual({article.title for article in featured}, ENGLISH_TITLES)
        self.assertTrue(section.featured_experts.exists())

        response = self.client.get(section.url)
        self.assertEqual(response.status_code, 200)
        for article in featured:
            self.assertContains(response, article.url)
        for item in russian.featured_articles.all():
            self.assertNotContains(response, item.article.url)

    def test_demo_accounts_sign_in_with_the_printed_passwords(self) -> None:
        password_file = self.var_dir / "demo-passwords"
        self.assertEqual(stat.S_IMODE(password_file.stat().st_mode), 0o600)
        passwords = dict(line.split() for line in password_file.read_text().splitlines())
        author = get_user_model().objects.get(username="author")
        editor = get_user_model().objects.get(username="editor")
        self.assertTrue(author.check_password(passwords["author"]))
        self.assertTrue(editor.check_password(passwords["editor"]))
        self.assertTrue(author.groups.filter(name=AUTHORS_GROUP).exists())
        self.assertTrue(editor.groups.filter(name=EDITORS_GROUP).exists())
        self.assertEqual(author.expert.full_name, "Тимур Абдрахманов")
        self.assertIn(passwords["author"], self.second_output.getvalue())
