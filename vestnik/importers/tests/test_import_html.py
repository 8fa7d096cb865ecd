"""Saved HTML pages: the parser on its own, then `manage.py import_html` end to end."""

from __future__ import annotations

import datetime
import socket
import tempfile
import urllib.request
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from vestnik.articles.drafts import (
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    QuoteDraft,
    TableDraft,
)
from vestnik.articles.models import ArticlePage
from vestnik.authors.models import Expert
from vestnik.importers.errors import ImportFailed
from vestnik.importers.parsers.html import html_decode, parse_html
from vestnik.importers.tests.test_docx import blocks_of
from vestnik.importers.tests.test_import_page import article_text, counts
from vestnik.site.services import site_setup

FILES = Path(__file__).parent / "files"
CASPIAN = FILES / "seitkali_caspian.html"
CASPIAN_PATH = "/blogs/marat-seytkali/kaspiyskiy-tranzit-porty-paromy-i-ocheredi/"

# What Word's «Save as Web Page» writes for footnotes.
WORD_HTML = """<html><head><meta http-equiv=Content-Type content="text/html; charset=windows-1251">
<title>Водные споры</title><meta name=Author content="Дина Токаева"></head>
<body lang=RU><div class=WordSection1>
<h1>Водные споры в Центральной Азии</h1>
<p class=MsoNormal>Лид статьи о воде.</p>
<p class=MsoNormal>Текст со сноской<a href="#_ftn1" name="_ftnref1" title=""><span
class=MsoFootnoteReference><span class=MsoFootnoteReference>[1]</span></span></a> и ещё
одной<a href="#_ftn2" name="_ftnref2"><span class=MsoFootnoteReference>[2]</span></a>.</p>
</div>
<div><br clear=all><hr align=left size=1 width="33%">
<div id=ftn1><p class=MsoFootnoteText><a href="#_ftnref1" name="_ftn1" title=""><span
class=MsoFootnoteReference>[1]</span></a> Первая сноска.</p></div>
<div id=ftn2><p class=MsoFootnoteText><a href="#_ftnref2" name="_ftn2"><span
class=MsoFootnoteReference>[2]</span></a> Вторая, <i>с курсивом</i>.</p></div>
</div></body></html>"""


class CaspianPageTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        with (
            mock.patch.object(socket.socket, "connect", side_effect=AssertionError("network")),
            mock.patch.object(urllib.request, "urlopen", side_effect=AssertionError("network")),
        ):
            cls.draft = parse_html(CASPIAN.read_bytes(), filename="seitkali_caspian.html")

    def test_metadata(self) -> None:
        draft = self.draft
        self.assertEqual(draft.title, "Каспийский транзит: порты, паромы и очереди")
        # From the portal's «Блог Марата Сейткали» line, in the nominative.
        self.assertEqual(
            (draft.author_name, draft.author_name_genitive), ("Марат Сейткали", "Марата Сейткали")
        )
        self.assertEqual(draft.publication_date, datetime.date(2025, 10, 14))
        self.assertTrue(draft.lead.startswith("Средний коридор через Каспийское море"))

    def test_body(self) -> None:
        draft = self.draft
        self.assertEqual(
            [(b.text, b.level) for b in blocks_of(draft, HeadingDraft)],
            [("Узкие места", "h2"), ("Что дальше", "h2")],
        )
        paragraphs = [b.html for b in blocks_of(draft, ParagraphDraft)]
        self.assertIn("[^1], но&nbsp;<b>очереди на&nbsp;паромы</b>", paragraphs[0])
        self.assertTrue(paragraphs[1].startswith("<ul><li>нехватка паромов и&nbsp;<i>ролкеров</i>"))
        self.assertIn(
            '<a href="https://example.org/middle-corridor-report">докладе консорциума</a>[^2]. '
            "Повторная ссылка на первую сноску[^1].",
            paragraphs[2],
        )
        (quote,) = blocks_of(draft, QuoteDraft)
        self.assertEqual(quote.attribution, "представитель логистической компании")
        (table,) = blocks_of(draft, TableDraft)
        self.assertEqual(table.rows[0], ["Год", "Объём, млн т"])
        self.assertTrue(table.has_header_row)

    def test_site_chrome_is_dropped(self) -> None:
        everything = str(self.draft.blocks) + self.draft.lead + str(self.draft.footnotes)
        for chrome in (
            "Распечатать",
            "Поделиться",
            "Социальная сеть",
            "Прошедший опрос",
            "Читайте также",
            "Найти",
            "Бизнесу",
            "dataLayer",
            "querySelectorAll",
            "©",
        ):
            self.assertNotIn(chrome, everything)

    def test_text_that_looks_like_markup_stays_text(self) -> None:
        self.assertIn(
            "&lt;b&gt;черновик&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;",
            blocks_of(self.draft, ParagraphDraft)[-1].html,
        )

    def test_embedded_image_kept_and_external_image_left_out(self) -> None:
        (image,) = blocks_of(self.draft, ImageDraft)
        self.assertTrue(image.data and image.data.startswith(b"\x89PNG"))
        self.assertEqual(
            (image.caption, image.credit, image.alt),
            ("Схема Среднего коридора", "расчёты автора", "Схема маршрута"),
        )
        (left_out,) = [w for w in self.draft.warnings if "was left out" in w]
        self.assertIn("https://cdn.legacy-portal.example/uploads/2025/10/aktau-port.jpg", left_out)
        self.assertIn("fetches nothing from the network", left_out)
        self.assertIn("«Контейнерный терминал порта Актау.»", left_out)

    def test_footnotes_with_backlinks_removed(self) -> None:
        self.assertEqual(
            [(n.key, n.html) for n in self.draft.footnotes],
            [
                (
                    "1",
                    "Оценка по данным Ассоциации «Транскаспийский международный "
                    "транспортный маршрут».",
                ),
                ("2", "<i>Middle Corridor</i>: Tariffs and Capacity. 2025."),
                ("3", "Сноска, на которую в тексте нет ссылки."),
            ],
        )
        self.assertIn(
            "Footnote «Сноска, на которую в тексте нет ссылки.» is referenced nowhere",
            " ".join(self.draft.warnings),
        )


class HtmlVariantsTests(SimpleTestCase):
    def test_word_save_as_html_footnotes_and_windows_1251(self) -> None:
        draft = parse_html(WORD_HTML.encode("cp1251"), filename="water.htm")
        self.assertEqual(draft.title, "Водные споры в Центральной Азии")
        self.assertEqual(draft.author_name, "Дина Токаева")
        self.assertEqual(draft.lead, "Лид статьи о воде.")
        self.assertEqual(
            draft.blocks, [ParagraphDraft(html="<p>Текст со сноской[^1] и ещё одной[^2].</p>")]
        )
        self.assertEqual(
            [(n.key, n.html) for n in draft.footnotes],
            [("1", "Первая сноска."), ("2", "Вторая, <i>с курсивом</i>.")],
        )

    def test_decoding(self) -> None:
        text = "<p>Привет</p>"
        self.assertEqual(html_decode(text.encode("utf-8")), text)
        self.assertEqual(html_decode(text.encode("cp1251")), text)
        declared = '<meta charset="koi8-r"><p>Привет</p>'
        self.assertEqual(html_decode(declared.encode("koi8_r")), declared)
        # UTF-7 is never honoured: it would let «+ADw-script+AD4-» become markup.
        sneaky = b'<meta charset="utf-7"><p>+ADw-script+AD4-</p>'
        self.assertIn("+ADw-script+AD4-", html_decode(sneaky))

    def test_a_page_without_an_author_is_refused_unless_one_is_given(self) -> None:
        page = "<html><body><h1>Заголовок</h1><p>Текст.</p></body></html>".encode()
        with self.assertRaisesMessage(ImportFailed, "does not name its author"):
            parse_html(page, filename="a.html")
        draft = parse_html(page, filename="a.html", author="Ольга Белецкая")
        self.assertEqual(draft.author_name, "Ольга Белецкая")

    def test_a_page_without_a_title_is_refused(self) -> None:
        with self.assertRaisesMessage(ImportFailed, "The page has no title"):
            parse_html("<p>Только текст.</p>".encode(), filename="a.html", author="А Б")


class ImportHtmlCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def test_a_saved_page_becomes_a_published_article(self) -> None:
        out, err = StringIO(), StringIO()
        call_command("import_html", str(CASPIAN), "--publish", stdout=out, stderr=err)
        lines = out.getvalue().splitlines()
        self.assertEqual(
            lines[0], "created: «Каспийский транзит: порты, паромы и очереди» (published)"
        )
        self.assertEqual(lines[-1], CASPIAN_PATH)
        self.assertIn("warning: Image 1 was left out", err.getvalue())
        self.assertEqual(Expert.objects.get().name_genitive, "Марата Сейткали")

        html = self.client.get(CASPIAN_PATH).content.decode()
        text = article_text(html)
        self.assertIn("Схема Среднего коридора", text)
        self.assertIn("Источник: расчёты автора", text)
        self.assertIn('role="doc-noteref"', text)
        self.assertIn('id="fnref-1-2"', text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", text)
        self.assertEqual(html.count('role="doc-endnote"'), 3)

    def test_a_directory_of_pages(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            folder = Path(directory)
            (folder / "caspian.html").write_bytes(CASPIAN.read_bytes())
            (folder / "water.htm").write_bytes(WORD_HTML.encode("cp1251"))
            (folder / "broken.html").write_bytes(b"\x00\x01\x02binary")
            out, err = StringIO(), StringIO()
            before = counts()
            with self.assertRaisesMessage(CommandError, "1 of 3 files were not imported."):
                call_command("import_html", directory, stdout=out, stderr=err)
        self.assertEqual(ArticlePage.objects.count(), before[0] + 2)
        self.assertIn("binary", out.getvalue())
