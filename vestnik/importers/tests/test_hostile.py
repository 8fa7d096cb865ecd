"""The hostile corpus through every importer: nothing executable reaches the database or the page.

Each importer gets every payload of `hostile.PAYLOADS` where its format can
carry one; the article is published and rendered, and both the stored rich
text and the rendered page are checked element by element. Payloads typed as
text (a manuscript, a saved page's text) must stay visible as text.
"""

from __future__ import annotations

import lxml.html

from django.test import TestCase

from vestnik.articles.models import ArticlePage
from vestnik.articles.services import ArticleImportResult
from vestnik.importers.errors import ImportFailed
from vestnik.importers.services import (
    article_url_path,
    import_docx_bytes,
    import_html_bytes,
    import_page_bytes,
)
from vestnik.importers.tests.hostile import (
    HOSTILE_URLS,
    PAYLOADS,
    assert_harmless,
    assert_page_harmless,
    hostile_html_page,
    hostile_page_text,
)
from vestnik.importers.tests.manuscripts import (
    Link,
    Manuscript,
    Note,
    package_rewrite,
    part_reencode,
    png_bytes,
)
from vestnik.importers.tests.test_safety import (
    BILLION_LAUGHS,
    INTERNAL_ENTITY,
    members_of,
    noted_docx,
)
from vestnik.site.services import site_setup

SCRIPT = "<script>window.__pwned=1</script>"


def hostile_manuscript() -> bytes:
    manuscript = Manuscript(
        title=f"Опасная рукопись {SCRIPT}",
        author=f"Иван Петров {SCRIPT}",
        date="28 ноября 2025",
        properties_title=SCRIPT,
        properties_author=SCRIPT,
    )
    manuscript.paragraph(f"Лид {PAYLOADS[1]}")
    manuscript.heading(f"Раздел {SCRIPT}", 1)
    for number, payload in enumerate(PAYLOADS):
        manuscript.paragraph(f"Абзац {number}: {payload}")
    for url in HOSTILE_URLS:
        manuscript.paragraph("Ссылка ", Link(f"{SCRIPT} сюда", url), ".")
    manuscript.paragraph("Сноска", Note(f"Примечание {SCRIPT} {PAYLOADS[5]}"), ".")
    manuscript.table([[SCRIPT, PAYLOADS[1]], ["2024", PAYLOADS[5]]])
    manuscript.quote(f"Цитата {SCRIPT}")
    manuscript.image(
        png_bytes(),
        caption=f"Подпись {SCRIPT}. Источник: {PAYLOADS[1]}",
        alt=f'" onerror="window.__pwned=1" x="{SCRIPT}',
    )
    return manuscript.to_bytes()


class HostileCorpusTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def check(self, result: ArticleImportResult, *, visible: tuple[str, ...] = ()) -> None:
        article = ArticlePage.objects.get(pk=result.article.pk)
        self.assertTrue(article.live)
        # Rich text is stored as HTML; headings, captions and cells are plain text
        # (escaped when rendered, which the page check below covers).
        for block in article.body.raw_data:
            if block["type"] == "paragraph":
                assert_harmless(block["value"], where="stored paragraph")
            elif block["type"] == "quote":
                assert_harmless(block["value"]["text"], where="stored quote")
        for note in article.footnotes.all():
            assert_harmless(note.text, where="stored footnote")

        response = self.client.get(article_url_path(article))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        assert_page_harmless(html, where="rendered article")
        body = lxml.html.fromstring(html).xpath('//*[@class="article__body"]')[0]
        shown = body.text_content().replace("\xa0", " ")
        for text in visible:
            self.assertIn(text, shown)

        print_view = self.client.get(article_url_path(article) + "print/")
        self.assertEqual(print_view.status_code, 200)
        assert_page_harmless(print_view.content.decode(), where="print view")

    def test_word_manuscript(self) -> None:
        result = import_docx_bytes(data=hostile_manuscript(), filename="hostile.docx", publish=True)
        self.check(
            result,
            visible=(
                f"Абзац 0: {SCRIPT}",
                "<template><img src=x onerror=window.__pwned=1></template>",
                f"{SCRIPT} сюда",
            ),
        )
        self.assertIn(SCRIPT, result.article.title)

    def test_saved_html_page(self) -> None:
        result = import_html_bytes(
            data=hostile_html_page().encode(), filename="hostile.html", publish=True
        )
        self.check(result)
        article = result.article
        self.assertEqual(article.title, "Опасная статья")
        self.assertEqual(article.lead, "Лид статьи с ссылкой.")
        self.assertEqual(len(article.footnotes.all()), 1)

    def test_saved_page_text(self) -> None:
        result = import_page_bytes(data=hostile_page_text().encode(), publish=True)
        # Typography turns the payloads' straight quotes into «», so compare quote-free ones.
        self.check(result, visible=(f"Абзац 0: {SCRIPT}.", f"Абзац 23: {PAYLOADS[23]}."))


class EntityTests(TestCase):
    """A manuscript's XML may not declare entities, whatever its encoding (issue #12, row 12).

    A byte pattern looking for `<!DOCTYPE` misses UTF-16, where mammoth's
    parser then expanded the entity into the article.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def forged(self, doctype: tuple[str, str], encoding: str = "utf-16") -> bytes:
        data = noted_docx()
        declaration, reference = doctype
        document = part_reencode(
            members_of(data)["word/document.xml"],
            encoding,
            doctype=declaration,
            replace=("Лид.", f"Лид {reference}."),
        )
        return package_rewrite(data, {"word/document.xml": document})

    def test_an_internal_entity_in_utf16_is_refused(self) -> None:
        with self.assertRaisesMessage(
            ImportFailed, "word/document.xml declares a DTD or entities, which Word never writes"
        ):
            import_docx_bytes(data=self.forged(INTERNAL_ENTITY), filename="entity.docx")
        self.assertFalse(ArticlePage.objects.exists())

    def test_billion_laughs_in_utf16_is_refused_before_mammoth_parses_it(self) -> None:
        for encoding in ("utf-16", "utf-16-le", "utf-8-sig"):
            with (
                self.subTest(encoding),
                self.assertRaisesMessage(ImportFailed, "declares a DTD or entities"),
            ):
                import_docx_bytes(data=self.forged(BILLION_LAUGHS, encoding), filename="lol.docx")
        self.assertFalse(ArticlePage.objects.exists())

    def test_a_manuscript_saved_in_utf16_without_a_dtd_imports(self) -> None:
        data = noted_docx()
        changes: dict[str, bytes | None] = {
            name: part_reencode(xml, "utf-16")
            for name, xml in members_of(data).items()
            if name.endswith((".xml", ".rels"))
        }
        result = import_docx_bytes(data=package_rewrite(data, changes), filename="utf16.docx")
        self.assertEqual(result.article.title, "Статья")
        self.assertEqual([note.text for note in result.article.footnotes.all()], ["Сноска."])

    def test_an_svg_drawing_with_its_own_dtd_does_not_stop_the_import(self) -> None:
        svg = (
            b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>'
        )
        data = package_rewrite(noted_docx(), {"word/media/image9.svg": svg})
        result = import_docx_bytes(data=data, filename="drawing.docx")
        self.assertEqual(result.article.title, "Статья")
