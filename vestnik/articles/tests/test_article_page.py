"""The article page as readers and machines see it."""

from __future__ import annotations

import datetime
import io
import re

from PIL import Image as PILImage

from django.core.files.images import ImageFile
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.core.models import VestnikImage
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Topic

QUERY_BUDGET = 20


def make_image(title: str = "Порт Актау", credit: str = "пресс-служба порта") -> VestnikImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 675), (90, 110, 140)).save(buffer, "JPEG")
    return VestnikImage.objects.create(
        title=title, credit=credit, file=ImageFile(buffer, name="port.jpg")
    )


class ArticlePageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
        cls.image = make_image()
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        cls.energy = Topic.objects.create(name_ru="Энергетика", name_en="Energy", slug="energy")
        cls.article = article_in_blog(
            cls.blog,
            title="Каспийский транзит и новые маршруты",
            body=[
                ("paragraph", '<p>Транзит вырос [^1], а "средний коридор" стал нужнее.</p>'),
                (
                    "image",
                    {"image": cls.image, "caption": "Порт Актау зимой", "credit": "", "alt": ""},
                ),
                ("heading", {"text": "Инфраструктура порта", "level": "h2"}),
                ("paragraph", "<p>Снова о транзите [^1] и о тарифах [^2].</p>"),
                ("heading", {"text": "Что дальше", "level": "h2"}),
                ("paragraph", "<p>Итоги.</p>"),
            ],
        )
        cls.article.countries.add(cls.kz)
        cls.article.topics.add(cls.energy)
        cls.article.save_revision().publish()
        cls.related = article_in_blog(
            cls.blog, title="Энергетика Казахстана", date=datetime.date(2025, 10, 1)
        )
        cls.related.countries.add(cls.kz)
        cls.related.save_revision().publish()
        cls.unrelated = article_in_blog(
            cls.blog, title="Арктика без льда", date=datetime.date(2025, 9, 1)
        )

    def get(self, path: str):  # type: ignore[no-untyped-def]
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return response.content.decode()

    def test_semantic_markup_and_dpub_aria(self) -> None:
        html = self.get(self.article.url)
        self.assertIn('<article class="article" lang="ru"', html)
        self.assertIn('<time datetime="2025-11-28">28 ноября 2025</time>', html)
        self.assertRegex(html, r'<a rel="author" href="/blogs/irina-sokolova/">Ирина Соколова</a>')
        self.assertIn('<h2 id="infrastruktura-porta">Инфраструктура порта</h2>', html)
        self.assertIn('role="doc-noteref"', html)
        self.assertIn('role="doc-endnotes"', html)
        self.assertEqual(html.count('role="doc-endnote"'), 2)
        self.assertEqual(html.count('role="doc-backlink"'), 3)  # note 1 is cited twice
        figure = re.search(r"<figure class=\"figure\">.*?</figure>", html, re.S)
        assert figure is not None
        self.assertIn("<figcaption", figure.group(0))
        self.assertIn("Источник: пресс-служба порта", figure.group(0))
        self.assertIn("«средний коридор»", html)

    def test_footnote_references_and_notes_link_both_ways(self) -> None:
        html = self.get(self.article.url)
        for ref_id, note_id in (("fnref-1", "fn-1"), ("fnref-1-2", "fn-1"), ("fnref-2", "fn-2")):
            self.assertIn(f'href="#{note_id}" id="{ref_id}"', html)
            self.assertIn(f'href="#{ref_id}" role="doc-backlink"', html)
        self.assertIn('<li id="fn-1" role="doc-endnote"', html)

    def test_table_of_contents_lists_the_headings(self) -> None:
        html = self.get(self.article.url)
        self.assertIn('<a href="#infrastruktura-porta">Инфраструктура порта</a>', html)
        self.assertIn('<a href="#chto-dalshe">Что дальше</a>', html)

    def test_share_links_are_plain_links_with_legal_labels(self) -> None:
        html = self.get(self.article.url)
        share = re.search(r'<section class="share".*?</section>', html, re.S)
        assert share is not None
        self.assertIn("Facebook", share.group(0))
        self.assertEqual(share.group(0).count("Социальная сеть запрещена в РФ"), 2)
        self.assertIn("https://t.me/share/url?url=http%3A%2F%2F", share.group(0))
        scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
        self.assertTrue(all(src.startswith("/static/") for src in scripts), scripts)

    def test_tags_and_related_articles(self) -> None:
        html = self.get(self.article.url)
        self.assertIn("Казахстан", html)
        self.assertIn("Энергетика", html)
        related = re.search(r'<section class="related".*?</section>', html, re.S)
        assert related is not None
        self.assertIn("Энергетика Казахстана", related.group(0))
        self.assertNotIn("Арктика без льда", related.group(0))

    def test_an_untranslated_article_has_no_english_address(self) -> None:
        # Never the Russian text inside English chrome (docs/translations.md): the old
        # English address of a Russian-only page leads to the Russian page.
        response = self.client.get("/en" + self.article.url)
        self.assertRedirects(response, self.article.url, fetch_redirect_response=False)
        self.assertEqual(self.client.post("/en" + self.article.url).status_code, 404)
        self.assertEqual(self.client.get("/en/blogs/no-such-blog/").status_code, 404)

    def test_print_version_has_no_chrome_and_keeps_notes_credits_and_source(self) -> None:
        html = self.get(self.article.url + "print/")
        self.assertNotIn('class="share"', html)
        self.assertNotIn('class="site-nav"', html)
        self.assertNotIn('class="poll', html)
        self.assertIn('role="doc-endnotes"', html)
        self.assertIn("Источник: пресс-служба порта", html)
        self.assertIn(f"http://localhost{self.article.url}", html)
        self.assertRegex(html, r"Дата обращения: \d\d\.\d\d\.\d{4}")

    def test_uncached_article_query_budget(self) -> None:
        self.client.get(self.article.url)  # warm renditions, menu and share-link caches
        with (
            override_settings(VESTNIK_CORE_PAGE_CACHE_ENABLED=False),
            CaptureQueriesContext(connection) as queries,
        ):
            response = self.client.get(self.article.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response.get("X-Page-Cache"), "hit")
        self.assertLessEqual(len(queries), QUERY_BUDGET, "\n".join(q["sql"][:300] for q in queries))

    def test_reading_time_counts_words(self) -> None:
        # 181 words of body and lead: one word past a minute's reading makes two minutes.
        short = article_in_blog(
            self.blog,
            title="Короткий текст",
            lead="Вводка из трёх.",
            body=[
                ("paragraph", "<p>" + "слово " * 170 + "[^1]</p>"),
                ("quote", {"text": "<p>цитата из пяти слов тут</p>", "attribution": "Эрдоган"}),
                ("table", {"data": [["Год", "Объём"]], "table_caption": ""}),
            ],
            footnotes={"1": "<p>" + "сноска " * 500 + "</p>"},
        )
        self.assertEqual(short.reading_minutes, 2)
        long = article_in_blog(
            self.blog,
            title="Длинный текст",
            lead="",
            body=[("paragraph", "<p>" + "слово " * 1800 + "</p>")],
            footnotes={},
        )
        self.assertEqual(long.reading_minutes, 10)


class BlogAndExpertPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog("Дина Токаева", "Дины Токаевой")
        for day in range(1, 13):
            article_in_blog(
                cls.blog, title=f"Заметка номер {day}", date=datetime.date(2025, 1, day)
            )

    def test_blog_lists_newest_first_and_paginates(self) -> None:
        response = self.client.get(self.blog.url)
        html = response.content.decode()
        self.assertIn("<h1>Блог Дины Токаевой</h1>", html)
        self.assertLess(html.index("Заметка номер 12"), html.index("Заметка номер 11"))
        self.assertNotIn("Заметка номер 2<", html)
        page2 = self.client.get(self.blog.url + "?page=2").content.decode()
        self.assertIn("Заметка номер 2<", page2)
        self.assertEqual(self.client.get(self.blog.url + "?page=9").status_code, 404)
        self.assertEqual(self.client.get(self.blog.url + "?page=abc").status_code, 404)

    def test_expert_profile_lists_articles(self) -> None:
        html = self.client.get("/experts/dina-tokaeva/").content.decode()
        self.assertIn("<h1>Дина Токаева</h1>", html)
        self.assertIn("Блог Дины Токаевой", html)
        self.assertIn("Заметка номер 12", html)
        self.assertEqual(self.client.get("/experts/nobody/").status_code, 404)

    def test_home_and_sections_in_navigation(self) -> None:
        html = self.client.get("/").content.decode()
        for title in ("Бизнесу", "Исследователям", "Учащимся", "Эксперты", "Блоги"):
            self.assertIn(f">{title}</a>", html)
        self.assertIn("Заметка номер 12", html)
        self.assertEqual(self.client.get("/business/").status_code, 200)


class MarkerInLinkTests(TestCase):
    """«[^1]» inside a link's address is part of the address; in text it cites a note."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.article = article_in_blog(
            expert_with_blog(),
            body=[
                ("paragraph", '<p>Данные <a href="http://x.example/[^1]">по ссылке</a> [^1].</p>')
            ],
            footnotes={"1": "<p>Источник данных.</p>"},
        )

    def test_the_link_stays_whole_and_the_text_marker_becomes_a_reference(self) -> None:
        for path in (self.article.url, f"{self.article.url}print/"):
            with self.subTest(path=path):
                html = self.client.get(path).content.decode()
                # Typography binds the short word to the next with a no-break space.
                self.assertIn('<a href="http://x.example/[^1]">по\xa0ссылке</a>', html)
                self.assertIn('href="#fn-1" id="fnref-1" role="doc-noteref"', html)
                self.assertEqual(html.count('role="doc-noteref"'), 1)
                self.assertEqual(html.count('role="doc-backlink"'), 1)
