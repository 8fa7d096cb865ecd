"""The analysis section: institutional articles with one or more experts as authors."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import tempfile

import bibtexparser
import rispy
from pypdf import PdfReader

from django.test import TestCase, override_settings
from django.utils import translation

from wagtail.models import Locale
from wagtail_localize.operations import TranslationCreator

from vestnik.articles.bylines import authors_in_order
from vestnik.articles.drafts import ArticleDraft, FootnoteDraft, ParagraphDraft
from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.articles.models import AnalysisIndexPage, ArticlePage
from vestnik.articles.services import analysis_index_page, article_translation_from_draft
from vestnik.authors.cache_keys import expert_key
from vestnik.authors.models import Expert
from vestnik.core import front_cache
from vestnik.site.services import site_setup
from vestnik.site.tests.accounts import editor_account

TITLE = "Евразийский транзит: итоги года"
SIGNED_IN = "sessionid=someone-signed-in"
MEDIA_ROOT = tempfile.mkdtemp(prefix="vestnik-analysis-test-")


def analysis_piece(
    authors: list[Expert], *, title: str = TITLE, publish: bool = True, **fields: object
) -> ArticlePage:
    """An article in the analysis section naming `authors`, as an editor files one."""
    article = article_in_blog(analysis_index_page(), title=title, publish=False, **fields)  # type: ignore[arg-type]
    article.co_authors.set(authors)  # type: ignore[attr-defined]
    revision = article.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=article.pk)


class AuthorOrderTests(TestCase):
    def test_a_blog_post_starts_with_its_owner_and_analysis_goes_by_surname(self) -> None:
        sokolova = Expert(pk=1, full_name="Ирина Соколова")
        zhakupov = Expert(pk=2, full_name="Асан Жакупов")
        aliev = Expert(pk=3, full_name="Тимур Алиев")
        self.assertEqual(
            authors_in_order(sokolova, [zhakupov, sokolova, aliev]), [sokolova, zhakupov, aliev]
        )
        self.assertEqual(
            authors_in_order(None, [sokolova, zhakupov, aliev]), [aliev, zhakupov, sokolova]
        )
        self.assertEqual(authors_in_order(None, []), [])


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class AnalysisSectionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.sokolova = expert_with_blog("Ирина Соколова", "Ирины Соколовой").expert
        cls.zhakupov = expert_with_blog("Асан Жакупов", "Асана Жакупова").expert
        cls.index = analysis_index_page()
        # Named in the «wrong» order: the byline goes by surname whatever the editor picked first.
        cls.article = analysis_piece(
            [cls.sokolova, cls.zhakupov],
            date=datetime.date(2025, 11, 28),
            body=[("paragraph", "<p>Грузы идут через Каспий [^1], и не только [^2].</p>")],
            footnotes={
                "1": "<p>Smith J. Caspian routes // Survival. 2021. Vol. 63, No. 3. P. 10–20.</p>",
                "2": "<p>Данные портов.</p>",
            },
        )
        cls.draft = analysis_piece([cls.zhakupov], title="Черновик аналитики", publish=False)

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)

    def html(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def test_the_section_is_in_the_tree_and_the_menu(self) -> None:
        self.assertEqual((self.index.url, self.index.title), ("/analytics/", "Аналитика"))
        english = self.index.get_translation(Locale.objects.get(language_code="en"))
        self.assertEqual(
            (english.url, english.title, english.live), ("/en/analytics/", "Analysis", True)
        )
        self.assertIn('href="/analytics/"', self.html("/"))
        self.assertIn('href="/en/analytics/"', self.html("/en/"))
        # Running the set-up again makes no second section.
        site_setup()
        self.assertEqual(AnalysisIndexPage.objects.count(), 2)

    def test_the_article_lives_under_analytics_with_both_authors(self) -> None:
        self.assertTrue(self.article.url.startswith("/analytics/"))
        html = self.html(self.article.url)
        byline = re.search(r'<span class="byline">(.*?)</span>', html, re.S)
        assert byline is not None
        self.assertEqual(re.sub(r"<[^>]+>", "", byline.group(1)), "Асан Жакупов, Ирина Соколова")
        self.assertIn('rel="author" href="/experts/asan-zhakupov/"', byline.group(1))
        self.assertIn('<p class="article__blog article__section"><a href="/analytics/">', html)
        self.assertIn('role="doc-endnotes"', html)
        self.assertIn("Данные портов.", html)
        # No «About the author» box: the piece is the institution's, not one expert's.
        self.assertNotIn('class="author-box"', html)

    def test_citations_name_both_authors_and_no_blog(self) -> None:
        html = self.html(self.article.url)
        block = re.search(r'<section class="cite".*?</section>', html, re.S)
        assert block is not None
        cite = block.group(0)
        self.assertIn(f"Жакупов А., Соколова И. {TITLE} // Вестник. 28.11.2025.", cite)
        self.assertIn("Жакупов, А., &amp; Соколова, И. (2025, November 28).", cite)
        self.assertNotIn("Блог", cite)

        [entry] = bibtexparser.parse_string(
            self.client.get(f"{self.article.url}cite.bib").content.decode()
        ).entries
        fields = {field.key: field.value for field in entry.fields}
        self.assertEqual(fields["author"], "Жакупов, Асан and Соколова, Ирина")
        self.assertEqual(entry.key, "zhakupov2025evraziyskiy")
        self.assertNotIn("titleaddon", fields)

        [ris] = rispy.loads(self.client.get(f"{self.article.url}cite.ris").content.decode())
        self.assertEqual(ris["type_of_reference"], "ELEC")
        self.assertEqual(ris["authors"], ["Жакупов, Асан", "Соколова, Ирина"])
        csl = self.client.get(f"{self.article.url}cite.json").json()
        csl = csl[0] if isinstance(csl, list) else csl
        self.assertEqual(csl["type"], "webpage")
        self.assertEqual([a["family"] for a in csl["author"]], ["Жакупов", "Соколова"])

    def test_print_and_pdf(self) -> None:
        html = self.html(f"{self.article.url}print/")
        self.assertIn("Вестник · Аналитика", html)
        self.assertIn("Асан Жакупов, Ирина Соколова", html)
        response = self.client.get(f"{self.article.url}pdf/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn('filename="zhakupov2025evraziyskiy.pdf"', response["Content-Disposition"])
        reader = PdfReader(io.BytesIO(bytes(response.content)))
        text = " ".join(
            "\n".join(page.extract_text() or "" for page in reader.pages)
            .replace("\xa0", " ")
            .split()
        )
        self.assertIn("Асан Жакупов, Ирина Соколова", text)
        self.assertIn("АНАЛИТИКА", text.upper())

    def test_the_index_lists_published_pieces_with_their_authors(self) -> None:
        html = self.html("/analytics/")
        self.assertIn(TITLE, html)
        self.assertIn("Асан Жакупов, Ирина Соколова ·", html)
        self.assertNotIn("Черновик аналитики", html)
        self.assertEqual(self.client.get("/analytics/?page=2").status_code, 404)
        self.assertEqual(self.client.get("/analytics/?page=x").status_code, 404)

    def test_the_expert_profile_lists_analysis_beside_the_blog(self) -> None:
        blog_post = article_in_blog(self.zhakupov.blogs.get(), title="Заметки Жакупова")
        html = self.html("/experts/asan-zhakupov/")
        articles, analysis = html.split('id="expert-analysis"')
        self.assertIn(blog_post.title, articles)
        self.assertNotIn(TITLE, articles)
        self.assertIn(TITLE, analysis)
        self.assertNotIn("Черновик аналитики", html)
        self.assertIn(TITLE, self.html("/experts/irina-sokolova/"))
        # An expert without analysis gets no empty section.
        expert_with_blog("Дина Токаева", "Дины Токаевой")
        self.assertNotIn('id="expert-analysis"', self.html("/experts/dina-tokaeva/"))

    def test_search_finds_the_piece_under_each_author(self) -> None:
        for slug in ("asan-zhakupov", "irina-sokolova"):
            with self.subTest(author=slug):
                response = self.client.get("/search/", {"q": "Каспий", "author": slug})
                self.assertEqual(response.status_code, 200)
                hits = response.context["results"].hits
                self.assertEqual([hit.page.pk for hit in hits], [self.article.pk])
                self.assertIn("Асан Жакупов, Ирина Соколова ·", response.content.decode())
        response = self.client.get("/search/", {"q": "аналитики"})
        self.assertNotIn("Черновик аналитики", response.content.decode())

    def test_feeds_and_sitemap_carry_the_piece(self) -> None:
        feed = self.html("/feeds/articles.rss")
        self.assertIn(TITLE, feed)
        self.assertIn("Асан Жакупов, Ирина Соколова", feed)
        self.assertIn("/analytics/", self.html("/sitemap.xml"))

    def test_a_new_piece_enters_the_listing_and_the_profile_and_purges_them(self) -> None:
        # Warm the listing and a profile, then publish: the fragments must not hide the piece.
        self.client.cookies.load(SIGNED_IN)
        self.html("/analytics/")
        self.html("/experts/irina-sokolova/")
        with self.captureOnCommitCallbacks(execute=True):
            piece = analysis_piece([self.sokolova], title="Новая аналитика Соколовой")
        self.assertIn("Новая аналитика Соколовой", self.html("/analytics/"))
        self.assertIn("Новая аналитика Соколовой", self.html("/experts/irina-sokolova/"))
        # The front cache drops the section's list and the author's profile too.
        purged = front_cache.page_purge_keys(piece)
        self.assertIn(front_cache.under_key(self.index.pk), purged)
        self.assertIn(front_cache.under_key(self.index.pk), self.index.front_cache_keys())
        self.assertIn(expert_key(self.sokolova.pk), purged)


class AnalysisTranslationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.zhakupov = expert_with_blog("Асан Жакупов", "Асана Жакупова").expert
        cls.sokolova = expert_with_blog("Ирина Соколова", "Ирины Соколовой").expert

    def test_the_english_translation_lives_under_en_analytics(self) -> None:
        article = analysis_piece([self.sokolova, self.zhakupov])
        english = english_translation(article, title="Eurasian transit: the year in review")
        self.assertEqual(english.url, "/en/analytics/eurasian-transit-the-year-in-review/")
        response = self.client.get(english.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        byline = re.search(r'<span class="byline">(.*?)</span>', html, re.S)
        assert byline is not None
        self.assertEqual(re.sub(r"<[^>]+>", "", byline.group(1)), "Asan Zhakupov, Irina Sokolova")
        self.assertIn('<a href="/en/analytics/">Analysis</a>', html)
        self.assertIn(f'hreflang="ru" href="http://localhost{article.url}"', html)
        russian = self.client.get(article.url).content.decode()
        self.assertIn(f'href="{english.url}" hreflang="en"', russian)
        bib = self.client.get(f"{english.url}cite.bib").content.decode()
        self.assertIn("author = {Zhakupov, Asan and Sokolova, Irina}", bib)

    def test_an_imported_translation_goes_to_the_english_section(self) -> None:
        english_locale = Locale.objects.get(language_code="en")
        analysis_index_page().get_translation(english_locale).delete()
        article = analysis_piece([self.zhakupov, self.sokolova])
        result = article_translation_from_draft(
            source=article,
            draft=ArticleDraft(
                title="Caspian transit",
                author_name="Asan Zhakupov",
                lead="Lead.",
                blocks=[ParagraphDraft(html="<p>First [^1], second [^2].</p>")],
                footnotes=[
                    FootnoteDraft(key="1", html="One."),
                    FootnoteDraft(key="2", html="Two."),
                ],
            ),
            language="en",
            publish=True,
        )
        self.assertEqual(result.article.url, "/en/analytics/caspian-transit/")
        self.assertEqual(
            [e.pk for e in result.article.authors_in_order()], [self.zhakupov.pk, self.sokolova.pk]
        )
        self.assertEqual(self.client.get(result.article.url).status_code, 200)

    def test_wagtail_localize_translates_a_piece_into_the_english_section(self) -> None:
        english_locale = Locale.objects.get(language_code="en")
        analysis_index_page().get_translation(english_locale).delete()
        article = analysis_piece([self.zhakupov])
        TranslationCreator(editor_account(), [english_locale]).create_translations(article)
        translated = article.get_translation(english_locale)
        self.assertTrue(translated.url_path.endswith("/analytics/evraziyskiy-tranzit-itogi-goda/"))
        index = translated.get_parent().specific
        self.assertIsInstance(index, AnalysisIndexPage)
        self.assertEqual((index.title, index.alias_of_id, index.live), ("Analysis", None, True))
        self.assertEqual(index.url, "/en/analytics/")

    def test_a_missing_english_section_is_made_whole_with_the_first_translation(self) -> None:
        english_locale = Locale.objects.get(language_code="en")
        analysis_index_page().get_translation(english_locale).delete()
        article = analysis_piece([self.zhakupov])
        english = english_translation(article, title="Caspian notes")
        index = english.get_parent().specific
        self.assertIsInstance(index, AnalysisIndexPage)
        self.assertEqual((index.title, index.live, index.alias_of_id), ("Analysis", True, None))
        with translation.override("en"):
            self.assertEqual(self.client.get(english.url).status_code, 200)
        self.assertEqual(analysis_index_page("en").pk, index.pk)
