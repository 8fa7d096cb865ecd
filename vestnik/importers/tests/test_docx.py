"""`parsers.docx`: Word manuscripts we build ourselves become complete drafts."""

from __future__ import annotations

import builtins
import datetime
import io
import socket
import tempfile
import urllib.request
import zipfile
from pathlib import Path
from unittest import mock

from PIL import Image

from django.test import SimpleTestCase

from vestnik.articles.drafts import (
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    QuoteDraft,
    TableDraft,
    draft_fingerprint,
)
from vestnik.importers.errors import ImportFailed
from vestnik.importers.parsers.docx import parse_docx
from vestnik.importers.tests.hostile import HOSTILE_URLS, assert_harmless
from vestnik.importers.tests.manuscripts import (
    Bold,
    Italic,
    Link,
    Manuscript,
    Note,
    package_rewrite,
    png_bytes,
    word_resave,
)

TITLE = "Каспийский транзит: новые маршруты"
PHOTO = png_bytes(120, 80, (200, 60, 40))


def full_manuscript() -> Manuscript:
    """Every element the issue lists, in the order an expert would write them."""
    manuscript = Manuscript(
        title=TITLE,
        author="Дина Токаева, ведущий научный сотрудник",
        date="3 марта 2025",
    )
    manuscript.paragraph("Каспий становится главным перекрёстком Евразии.")
    manuscript.heading("Порты и паромы", 1)
    manuscript.paragraph(
        "Грузооборот ",
        Bold("вырос вдвое"),
        " за ",
        Italic("два года"),
        ", пишет ",
        Link("консорциум", "https://example.org/report?year=2024&lang=ru"),
        Note("Отчёт консорциума за 2024 г."),
        ".",
    )
    manuscript.heading("Узкие места", 2)
    manuscript.bullets("нехватка паромов", "штормы")
    manuscript.numbered("построить терминалы", "унифицировать тарифы")
    manuscript.table([["Год", "Объём, млн т"], ["2023", "2,8"], ["2024", "4,5"]])
    manuscript.quote("Один тариф на весь путь — вот что нужно грузовладельцу.")
    manuscript.image(
        PHOTO,
        caption="Порт Актау. Источник: пресс-служба порта",
        alt="Краны порта Актау",
    )
    manuscript.paragraph(
        "Вторая сноска",
        Note("Данные Министерства транспорта."),
        ", концевая",
        Note("Концевая сноска.", kind="endnote"),
        " и снова первая.",
    )
    manuscript.unreferenced_note("Забытая сноска.")
    return manuscript


def blocks_of(draft: object, kind: type) -> list:  # type: ignore[type-arg]
    return [block for block in draft.blocks if isinstance(block, kind)]  # type: ignore[attr-defined]


class FullManuscriptTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.draft = parse_docx(full_manuscript().to_bytes(), filename="Токаева — Каспий.docx")

    def test_title_author_date_and_lead(self) -> None:
        draft = self.draft
        self.assertEqual(draft.title, TITLE)
        # The author's position after the comma is not part of the name.
        self.assertEqual(draft.author_name, "Дина Токаева")
        self.assertEqual(draft.publication_date, datetime.date(2025, 3, 3))
        self.assertEqual(draft.lead, "Каспий становится главным перекрёстком Евразии.")
        self.assertNotIn(draft.lead, str(draft.blocks))

    def test_headings_are_h2_then_h3(self) -> None:
        headings = [(b.text, b.level) for b in blocks_of(self.draft, HeadingDraft)]
        self.assertEqual(headings, [("Порты и паромы", "h2"), ("Узкие места", "h3")])

    def test_paragraph_keeps_bold_italic_link_and_the_reference(self) -> None:
        paragraph = blocks_of(self.draft, ParagraphDraft)[0].html
        self.assertEqual(
            paragraph,
            "<p>Грузооборот <b>вырос вдвое</b> за <i>два года</i>, пишет "
            '<a href="https://example.org/report?year=2024&amp;lang=ru">консорциум</a>[^1].</p>',
        )

    def test_lists(self) -> None:
        html = [b.html for b in blocks_of(self.draft, ParagraphDraft)]
        self.assertIn("<ul><li>нехватка паромов</li><li>штормы</li></ul>", html)
        self.assertIn("<ol><li>построить терминалы</li><li>унифицировать тарифы</li></ol>", html)

    def test_table_with_header_row(self) -> None:
        (table,) = blocks_of(self.draft, TableDraft)
        self.assertEqual(table.rows, [["Год", "Объём, млн т"], ["2023", "2,8"], ["2024", "4,5"]])
        self.assertTrue(table.has_header_row)

    def test_quote(self) -> None:
        (quote,) = blocks_of(self.draft, QuoteDraft)
        self.assertEqual(
            quote.html, "<p>Один тариф на весь путь — вот что нужно грузовладельцу.</p>"
        )

    def test_image_bytes_caption_credit_and_alt(self) -> None:
        (image,) = blocks_of(self.draft, ImageDraft)
        self.assertEqual(image.data, PHOTO)
        self.assertEqual(image.filename, "tokaeva-kaspiy-1.png")
        self.assertEqual(image.caption, "Порт Актау.")
        self.assertEqual(image.credit, "пресс-служба порта")
        self.assertEqual(image.alt, "Краны порта Актау")

    def test_footnotes_and_endnotes_are_numbered_by_first_reference(self) -> None:
        notes = [(note.key, note.html) for note in self.draft.footnotes]
        self.assertEqual(
            notes,
            [
                ("1", "Отчёт консорциума за 2024 г."),
                ("2", "Данные Министерства транспорта."),
                ("3", "Концевая сноска."),
                ("4", "Забытая сноска."),
            ],
        )
        last = blocks_of(self.draft, ParagraphDraft)[-1].html
        self.assertEqual(last, "<p>Вторая сноска[^2], концевая[^3] и снова первая.</p>")

    def test_warnings_name_the_note_referenced_nowhere(self) -> None:
        self.assertTrue(
            any("«Забытая сноска.» is referenced nowhere" in w for w in self.draft.warnings),
            self.draft.warnings,
        )

    def test_a_word_resave_says_the_same_and_an_edit_does_not(self) -> None:
        original = full_manuscript().to_bytes()
        resaved = word_resave(original)
        edited = word_resave(original, edits={"Порты и паромы": "Порты, паромы"})
        with zipfile.ZipFile(io.BytesIO(resaved)) as archive:
            document = archive.read("word/document.xml")
            self.assertEqual(archive.namelist()[3], "word/document.xml")
            self.assertIn(b"2025-03-04T09:12:00Z", archive.read("docProps/core.xml"))
        self.assertIn(b'w:rsidR="00A41F7C"', document)
        self.assertIn(b"_GoBack", document)

        again = parse_docx(resaved, filename="Токаева — Каспий.docx")
        changed = parse_docx(edited, filename="Токаева — Каспий.docx")

        self.assertEqual(again.blocks, self.draft.blocks)
        self.assertEqual(draft_fingerprint(again), draft_fingerprint(self.draft))
        self.assertNotEqual(draft_fingerprint(changed), draft_fingerprint(self.draft))


class MetadataTests(SimpleTestCase):
    def test_without_title_style_the_first_heading_is_the_title(self) -> None:
        manuscript = Manuscript(author="Асан Жакупов")
        manuscript.heading("Заголовок первого уровня", 1)
        manuscript.paragraph("Лид.")
        manuscript.heading("Раздел", 2)
        manuscript.paragraph("Текст.")
        manuscript.heading("Подраздел", 3)
        manuscript.paragraph("Ещё текст.")

        draft = parse_docx(manuscript.to_bytes(), filename="a.docx")

        self.assertEqual(draft.title, "Заголовок первого уровня")
        headings = [(b.text, b.level) for b in blocks_of(draft, HeadingDraft)]
        self.assertEqual(headings, [("Раздел", "h2"), ("Подраздел", "h3")])

    def test_document_properties_give_title_and_author_last(self) -> None:
        manuscript = Manuscript(
            properties_title="Название из свойств", properties_author="Ольга Белецкая"
        )
        manuscript.paragraph("Первый абзац.")
        manuscript.paragraph("Второй абзац.")

        draft = parse_docx(manuscript.to_bytes(), filename="a.docx")

        self.assertEqual(
            (draft.title, draft.author_name), ("Название из свойств", "Ольга Белецкая")
        )
        self.assertIn("taken from the document's properties", " ".join(draft.warnings))
        self.assertIn("no date", " ".join(draft.warnings))

    def test_a_machine_name_is_not_an_author(self) -> None:
        manuscript = Manuscript(title="Статья", properties_author="User")
        manuscript.paragraph("Текст.")
        with self.assertRaisesMessage(ImportFailed, "does not name its author"):
            parse_docx(manuscript.to_bytes(), filename="a.docx")

    def test_author_given_on_import_wins(self) -> None:
        manuscript = Manuscript(title="Статья", author="Асан Жакупов")
        manuscript.paragraph("Текст.")
        draft = parse_docx(manuscript.to_bytes(), filename="a.docx", author="Дина  Токаева")
        self.assertEqual(draft.author_name, "Дина Токаева")
        self.assertNotIn("Асан", str(draft.blocks) + draft.lead)

    def test_no_title_anywhere_is_refused(self) -> None:
        manuscript = Manuscript(author="Асан Жакупов")
        manuscript.paragraph("Только текст.")
        with self.assertRaisesMessage(ImportFailed, "The manuscript has no title"):
            parse_docx(manuscript.to_bytes(), filename="a.docx")

    def test_unknown_style_is_a_warning(self) -> None:
        manuscript = Manuscript(title="Статья", author="Асан Жакупов")
        manuscript.paragraph("Лид.")
        manuscript.styled("Текст в странном стиле.", "Мой стиль")
        draft = parse_docx(manuscript.to_bytes(), filename="a.docx")
        self.assertIn(
            "Unknown paragraph style «Мой стиль»: imported as ordinary text.", draft.warnings
        )
        self.assertEqual(draft.blocks[0], ParagraphDraft(html="<p>Текст в странном стиле.</p>"))

    def test_a_first_paragraph_citing_a_note_stays_in_the_body(self) -> None:
        manuscript = Manuscript(title="Статья", author="Асан Жакупов")
        manuscript.paragraph("Абзац со сноской", Note("Сноска."), ".")
        draft = parse_docx(manuscript.to_bytes(), filename="a.docx")
        self.assertEqual(draft.lead, "")
        self.assertEqual(draft.blocks[0], ParagraphDraft(html="<p>Абзац со сноской[^1].</p>"))
        self.assertIn("cites a footnote", " ".join(draft.warnings))


class ImageTests(SimpleTestCase):
    def manuscript(self) -> Manuscript:
        manuscript = Manuscript(title="Статья", author="Асан Жакупов")
        manuscript.paragraph("Лид.")
        return manuscript

    def test_image_without_caption_is_a_warning(self) -> None:
        manuscript = self.manuscript()
        manuscript.image(PHOTO)
        manuscript.paragraph(
            "Обычный длинный абзац после картинки, который не является её подписью, потому что "
            "он не выделен курсивом и после него нет строки с источником."
        )
        draft = parse_docx(manuscript.to_bytes(), filename="a.docx")
        (image,) = blocks_of(draft, ImageDraft)
        self.assertEqual((image.caption, image.credit), ("", ""))
        self.assertIn("Image 1 (a-1.png) has no caption; add one in the editor.", draft.warnings)
        self.assertEqual(len(blocks_of(draft, ParagraphDraft)), 1)

    def test_credit_on_a_line_of_its_own(self) -> None:
        manuscript = self.manuscript()
        manuscript.image(PHOTO, caption="Паром в порту Курык", credit="Фото: Марат Сейткали")
        draft = parse_docx(manuscript.to_bytes(), filename="a.docx")
        (image,) = blocks_of(draft, ImageDraft)
        self.assertEqual((image.caption, image.credit), ("Паром в порту Курык", "Марат Сейткали"))
        self.assertEqual(blocks_of(draft, ParagraphDraft), [])

    def test_linked_image_never_reads_a_file_or_the_network(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            secret = Path(directory) / "secret.png"
            secret.write_bytes(PHOTO)
            manuscript = self.manuscript()
            manuscript.linked_image(secret.as_uri())
            manuscript.linked_image(str(secret))
            manuscript.linked_image("https://example.org/picture.png")
            data = manuscript.to_bytes()
            opened: list[str] = []
            real_open = builtins.open

            def spy(file, *args, **kwargs):  # type: ignore[no-untyped-def]
                opened.append(str(file))
                return real_open(file, *args, **kwargs)

            with (
                mock.patch("builtins.open", spy),
                mock.patch.object(socket.socket, "connect", side_effect=AssertionError("network")),
                mock.patch.object(urllib.request, "urlopen", side_effect=AssertionError("network")),
            ):
                draft = parse_docx(data, filename="a.docx")

        self.assertFalse([path for path in opened if "secret" in path], opened)
        self.assertEqual(blocks_of(draft, ImageDraft), [])
        left_out = [w for w in draft.warnings if "is linked to a file outside the document" in w]
        self.assertEqual(len(left_out), 3, draft.warnings)

    def test_picture_formats(self) -> None:
        bmp = io.BytesIO()
        Image.new("RGB", (30, 20), (1, 2, 3)).save(bmp, "BMP")
        huge = io.BytesIO()
        Image.new("1", (8000, 6000)).save(huge, "PNG")
        cases = {
            bmp.getvalue(): "converted",
            b"\x01\x00\x00\x00 not a picture at all, an EMF perhaps": "format browsers cannot show",
            huge.getvalue(): "8000×6000 pixels",
        }
        for data, expected in cases.items():
            with self.subTest(expected):
                manuscript = self.manuscript()
                manuscript.image(PHOTO, caption="Подпись")
                package = manuscript.to_bytes()
                package = package_rewrite(package, {"word/media/image1.png": data})
                draft = parse_docx(package, filename="a.docx")
                images = blocks_of(draft, ImageDraft)
                if expected == "converted":
                    self.assertEqual(images[0].filename, "a-1.png")
                    self.assertTrue(images[0].data.startswith(b"\x89PNG"))
                else:
                    self.assertEqual(images, [])
                    self.assertIn(expected, " ".join(draft.warnings))
                    # The caption of a picture left out is named, so the editor can restore it.
                    self.assertIn("Its caption was «Подпись»", " ".join(draft.warnings))


class TextStaysTextTests(SimpleTestCase):
    def test_markup_typed_into_a_manuscript_is_text(self) -> None:
        manuscript = Manuscript(title="<b>Статья</b> & <script>x</script>", author="Асан Жакупов")
        manuscript.paragraph("Лид.")
        manuscript.paragraph(
            "Фрагмент <b>черновик</b> & <script>alert(1)</script>; [^1] — не сноска."
        )
        draft = parse_docx(manuscript.to_bytes(), filename="a.docx")
        self.assertEqual(draft.title, "<b>Статья</b> & <script>x</script>")
        self.assertEqual(
            draft.blocks[0].html,  # type: ignore[union-attr]
            "<p>Фрагмент &lt;b&gt;черновик&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;; "
            "[\u2060^1] — не сноска.</p>",
        )
        self.assertEqual(draft.footnotes, [])

    def test_script_links_lose_their_target(self) -> None:
        manuscript = Manuscript(title="Статья", author="Асан Жакупов")
        manuscript.paragraph("Лид.")
        for url in HOSTILE_URLS:
            manuscript.paragraph("Ссылка ", Link("сюда", url), ".")
        draft = parse_docx(manuscript.to_bytes(), filename="a.docx")
        for block in draft.blocks:
            self.assertEqual(block, ParagraphDraft(html="<p>Ссылка сюда.</p>"))
            assert_harmless(block.html)  # type: ignore[union-attr]
