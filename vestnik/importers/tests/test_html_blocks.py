"""The shared walker and the sanitiser: HTML of any origin → the blocks and notes of a draft."""

from __future__ import annotations

import datetime

from django.test import SimpleTestCase

from vestnik.articles.drafts import (
    FootnoteDraft,
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    TableDraft,
)
from vestnik.importers.parsers.html_blocks import html_walk, parse_date, split_credit
from vestnik.importers.sanitize import document_clean, is_external_url, rich_text_clean
from vestnik.importers.tests.hostile import PAYLOADS, assert_harmless


def no_images(src: str, alt: str) -> ImageDraft | str:
    return "not in this test."


def walk(html: str):  # type: ignore[no-untyped-def]
    return html_walk(html, images=no_images)


class FootnoteShapesTests(SimpleTestCase):
    def test_wiki_style_notes_with_backlinks_to_the_sup(self) -> None:
        walked = walk(
            '<h1 class="title">T</h1><p>Lead.</p>'
            '<p>Text<sup id="cite_ref-1"><a href="#cite_note-1">[1]</a></sup> and'
            '<sup id="cite_ref-2"><a href="#cite_note-2">[2]</a></sup>.</p>'
            '<h2>Примечания</h2><ol><li id="cite_note-1"><span><a href="#cite_ref-1">↑</a>'
            "</span> <span>First.</span></li>"
            '<li id="cite_note-2"><a href="#cite_ref-2">^</a> Second, '
            '<a href="https://example.org/">linked</a>.</li></ol>'
        )
        self.assertEqual(walked.blocks, [ParagraphDraft(html="<p>Text[^1] and[^2].</p>")])
        self.assertEqual(
            walked.footnotes,
            [
                FootnoteDraft(key="1", html="First."),
                FootnoteDraft(key="2", html='Second, <a href="https://example.org/">linked</a>.'),
            ],
        )

    def test_a_mark_pointing_nowhere_stays_text_with_a_warning(self) -> None:
        walked = walk('<p>Lead.</p><p>Text<sup><a href="#fn9">9</a></sup>.</p>')
        self.assertEqual(walked.blocks, [ParagraphDraft(html="<p>Text<sup>9</sup>.</p>")])
        self.assertIn("points to #fn9, which is not in the document", walked.warnings[0])

    def test_table_of_contents_links_are_not_notes(self) -> None:
        walked = walk('<p>Lead.</p><p><a href="#s1">1</a></p><h2 id="s1">Section</h2><p>Text.</p>')
        self.assertEqual(walked.footnotes, [])

    def test_a_note_cited_in_a_heading_or_a_table_cell(self) -> None:
        walked = walk(
            '<h1 class="title">T</h1><p>Lead.</p><h2>Heading<sup><a href="#n1">1</a></sup></h2>'
            '<table><tr><td>Cell<sup><a href="#n2">2</a></sup></td></tr></table>'
            '<ol><li id="n1">One.</li><li id="n2">Two.</li></ol>'
        )
        self.assertEqual(walked.blocks[0], HeadingDraft(text="Heading", level="h2"))
        self.assertEqual(walked.blocks[1], TableDraft(rows=[["Cell[2]"]], has_header_row=False))
        self.assertEqual([note.key for note in walked.footnotes], ["1", "2"])
        self.assertEqual(len(walked.warnings), 2)


class BlockTests(SimpleTestCase):
    def test_nested_lists(self) -> None:
        walked = walk("<p>Lead.</p><ul><li>One<ul><li>Inner</li></ul></li><li><p>Two</p></li></ul>")
        self.assertEqual(
            walked.blocks,
            [ParagraphDraft(html="<ul><li>One<ul><li>Inner</li></ul></li><li>Two</li></ul>")],
        )

    def test_table_spans_are_padded(self) -> None:
        walked = walk(
            '<p>Lead.</p><table><caption>Итоги</caption><tr><th colspan="2">Both</th></tr>'
            "<tr><td>a<br>b</td><td>c</td></tr></table>"
        )
        self.assertEqual(
            walked.blocks,
            [TableDraft(rows=[["Both", ""], ["a\nb", "c"]], has_header_row=True, caption="Итоги")],
        )

    def test_loose_text_and_wrappers(self) -> None:
        walked = walk("<div>Loose <b>text</b><section><p>Inner</p></section>tail</div>")
        self.assertEqual(walked.lead, "Loose text")
        self.assertEqual(
            walked.blocks, [ParagraphDraft(html="<p>Inner</p>"), ParagraphDraft(html="<p>tail</p>")]
        )

    def test_a_date_right_after_the_title(self) -> None:
        walked = walk('<h1 class="title">T</h1><p>28.11.2025</p><p>Lead.</p><p>Text.</p>')
        self.assertEqual(walked.publication_date, datetime.date(2025, 11, 28))
        self.assertEqual(walked.lead, "Lead.")


class SmallRulesTests(SimpleTestCase):
    def test_dates(self) -> None:
        for text, expected in (
            ("28 ноября 2025", datetime.date(2025, 11, 28)),
            ("3 марта 2025 г.", datetime.date(2025, 3, 3)),
            ("1 мая 2024 года", datetime.date(2024, 5, 1)),
            ("28.11.2025", datetime.date(2025, 11, 28)),
            ("2025-11-28T10:00:00+03:00", datetime.date(2025, 11, 28)),
            ("28 November 2025", datetime.date(2025, 11, 28)),
            ("31 февраля 2025", None),
            ("вчера", None),
        ):
            with self.subTest(text):
                self.assertEqual(parse_date(text), expected)

    def test_credits(self) -> None:
        self.assertEqual(split_credit("Порт. Источник: пресс-служба"), ("Порт.", "пресс-служба"))
        self.assertEqual(split_credit("Фото: Марат"), ("", "Марат"))
        self.assertEqual(split_credit("Источники энергии"), ("Источники энергии", ""))


class SanitiserTests(SimpleTestCase):
    def test_rich_text_is_wagtails_storage_format(self) -> None:
        self.assertEqual(
            rich_text_clean(
                '<p class="x" style="color:red">A <span>b</span> <a href="/inner">c</a> '
                '<a href="https://e.org/" target="_blank" rel="x">d</a><img src="x.png"></p>'
            ),
            '<p>A b <a>c</a> <a href="https://e.org/">d</a></p>',
        )

    def test_external_urls(self) -> None:
        for url, expected in (
            ("https://e.org/", True),
            ("mailto:a@b.c", True),
            ("javascript:x", False),
            ("/path", False),
            ("#note", False),
            ("data:text/html,x", False),
        ):
            self.assertEqual(is_external_url(url), expected, url)

    def test_every_payload_is_defused_by_both_policies(self) -> None:
        for payload in PAYLOADS:
            with self.subTest(payload):
                assert_harmless(document_clean(payload))
                assert_harmless(rich_text_clean(payload))
                walked = walk(f"<p>Lead</p><p>{payload}</p>")
                for block in walked.blocks:
                    if isinstance(block, ParagraphDraft):
                        assert_harmless(block.html)
