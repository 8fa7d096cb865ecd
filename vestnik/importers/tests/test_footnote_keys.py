"""Footnote keys: every key an importer produces is one the renderer reads."""

from __future__ import annotations

from pathlib import Path

from django.test import TestCase

from vestnik.articles.drafts import FootnoteDraft, ParagraphDraft
from vestnik.articles.footnotes import KEY_MAX_CHARS, is_valid_key
from vestnik.articles.models import ArticlePage
from vestnik.importers.parsers.page_text import parse_page_text
from vestnik.importers.services import draft_import, import_page_text, import_upload
from vestnik.importers.tests.test_docx import full_manuscript
from vestnik.importers.tests.test_page_text import read
from vestnik.site.services import site_setup

FILES = Path(__file__).parent / "files"
LONG_KEY = "k" * (KEY_MAX_CHARS + 1)
PAGE_WITH_TYPED_MARKERS = f"""Блог Асана Жакупова
Сноски в тексте
28 ноября 2025
Лид статьи.
Синтаксис редактора — [^abc] и [^{LONG_KEY}], а сноска портала — вот[[1]].
[1] Единственная сноска.
"""


class EveryImportedKeyRendersTests(TestCase):
    """Each importer's notes, imported through the admin's upload path, link both ways."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def assert_notes_linked(self, article: ArticlePage) -> None:
        response = self.client.get(article.get_url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        index = article.footnote_index()
        self.assertTrue(index.notes)
        for note in index.notes:
            self.assertTrue(is_valid_key(note.key), note.key)
            self.assertIn(f'id="{note.id}"', html)
            if note.key not in index.unreferenced:
                self.assertIn(f'href="#{note.id}"', html)
                self.assertIn(f'id="fnref-{note.number}"', html)
        # Every marker in the text was turned into a link: none is left as written.
        self.assertNotIn("[^", html)

    def test_saved_page_text(self) -> None:
        data = read("sokolov_drones.txt").encode()
        result = import_upload(data=data, filename="sokolov.txt", publish=True)
        self.assertEqual(len(result.article.footnotes.all()), 7)
        self.assertEqual(result.article.footnote_index().unreferenced, [])
        self.assert_notes_linked(result.article)

    def test_word_manuscript(self) -> None:
        data = full_manuscript().to_bytes()
        result = import_upload(data=data, filename="tokaeva.docx", publish=True)
        # The one note nothing cites is kept, unlinked, and the editor is told.
        self.assertEqual(result.article.footnote_index().unreferenced, ["4"])
        self.assertTrue(any("referenced nowhere" in w for w in result.warnings))
        self.assert_notes_linked(result.article)

    def test_saved_html_page(self) -> None:
        data = (FILES / "seitkali_caspian.html").read_bytes()
        result = import_upload(data=data, filename="seitkali.html", publish=True)
        self.assert_notes_linked(result.article)


class KeysTheRendererWouldNotReadTests(TestCase):
    """Decided in docs/importers.md («Footnote keys»): defused in text, renamed in notes."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def test_a_marker_typed_in_a_saved_page_stays_text(self) -> None:
        result = import_page_text(text=PAGE_WITH_TYPED_MARKERS, publish=True)

        article = result.article
        self.assertEqual([note.key for note in article.footnotes.all()], ["1"])
        self.assertEqual(result.warnings, [])
        index = article.footnote_index()
        rendered = "".join(index.render(text) for text in article._texts_in_order())
        self.assertEqual(index.unknown_keys, set())
        self.assertIn('href="#fn-1"', rendered)
        html = self.client.get(article.get_url()).content.decode()
        # Shown as written (a word joiner keeps «[» and «^» apart), never as a broken link.
        self.assertIn("[\u2060^abc]", html)
        self.assertIn(f"[\u2060^{LONG_KEY}]", html)

    def test_a_draft_note_with_an_unreadable_key_is_renamed_not_lost(self) -> None:
        # Any importer's draft takes this path; a future source may carry its own keys.
        parsed = parse_page_text(PAGE_WITH_TYPED_MARKERS)
        parsed.blocks.append(ParagraphDraft(html=f"<p>Ещё одна[^{LONG_KEY}].</p>"))
        parsed.footnotes.append(FootnoteDraft(key=LONG_KEY, html="Длинный ключ."))

        result = draft_import(draft=parsed, publish=True)

        keys = [note.key for note in result.article.footnotes.all()]
        self.assertEqual(keys, ["1", "k" * KEY_MAX_CHARS])
        self.assertTrue(any(f"it is now «{keys[1]}»" in w for w in result.warnings))
        index = result.article.footnote_index()
        for text in result.article._texts_in_order():
            index.render(text)
        self.assertEqual([len(note.backlink_ids) for note in index.notes], [1, 1])
