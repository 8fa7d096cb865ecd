"""`load_demo`: the demo site it builds, and that a second run changes nothing."""

from __future__ import annotations

import io
import re
import shutil
import stat
import tempfile
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from wagtail.models import Page, Revision

from vestnik.articles.footnotes import markers_in
from vestnik.articles.models import ArticleFootnote, ArticlePage, BlogPage
from vestnik.authors.models import Expert
from vestnik.core.models import VestnikImage
from vestnik.core.text import word_count
from vestnik.site.demo import content
from vestnik.site.models import HomePage, SectionPage
from vestnik.site.services import AUTHORS_GROUP, EDITORS_GROUP
from vestnik.vocabulary.models import Country, Region, Topic

REFERENCE_PAGE = Path(__file__).resolve().parents[4] / "shared/corpus/000_729f06e00060070c.txt"
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


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

    def _articles(self) -> list[ArticlePage]:
        return list(ArticlePage.objects.live().order_by("publication_date"))

    # --- idempotency -----------------------------------------------------------

    def test_second_run_creates_and_changes_nothing(self) -> None:
        self.assertEqual(self.counts_after_first, self.counts_after_second)
        self.assertIn("Demo content loaded", self.first_output.getvalue())
        self.assertIn("nothing changed", self.second_output.getvalue())

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
        self.assertTrue(HomePage.objects.get().intro)
        for slug in ("business", "researchers", "students"):
            with self.subTest(section=slug):
                section = SectionPage.objects.live().get(slug=slug)
                self.assertTrue(section.intro)
                featured = list(section.featured_articles.all())
                self.assertGreaterEqual(len(featured), 2)
                self.assertTrue(all(item.article.live for item in featured))
                self.assertTrue(section.featured_experts.exists())
                response = self.client.get(section.url)
                self.assertContains(response, featured[0].article.url)

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
