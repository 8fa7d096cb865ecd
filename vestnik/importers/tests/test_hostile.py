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
from vestnik.importers.tests.manuscripts import Link, Manuscript, Note, png_bytes
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
